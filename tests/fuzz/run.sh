#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time on a fresh copy of the seed
# corpus, then reports its speed.  Any crash, leak or sanitizer report
# makes libFuzzer exit non-zero, and so this script.
# Usage: run.sh FUZZER SEEDS WORKDIR SECONDS
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 seconds=$4

rm -rf "$work" && mkdir -p "$work/corpus"
cp "$seeds"/* "$work/corpus/" 2>/dev/null || true
rm -f "$work/corpus/.made"
status=0
(cd "$work" && "$fuzzer" -max_total_time="$seconds" -max_len=65536 \
	-print_final_stats=1 corpus) > "$work/log" 2>&1 || status=$?
name=$(basename "$fuzzer")
if [ $status -ne 0 ]; then
	tail -60 "$work/log"
	echo "$name: FAILED (exit $status); crash inputs are in $work"
	exit 1
fi
execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$work/log")
cov=$(grep -Eo 'cov: [0-9]+' "$work/log" | tail -1)
printf '%s: %s s, %s execs, %s execs/s, %s, corpus %s files, 0 crashes\n' \
	"$name" "$seconds" "$execs" "$((execs / seconds))" "$cov" \
	"$(ls "$work/corpus" | wc -l)"
