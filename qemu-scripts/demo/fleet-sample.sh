#!/usr/bin/env bash
# fleet-sample.sh HVPATCH VMLINUX_DIR FACTS_DIR SAMPLE OUTDIR
#
# The figures of docs/fleet.md: for each function in SAMPLE, `hvpatch build
# --vmlinux` a trivial replacement (return 0), then check the bundle
# against the running text of another boot (FACTS_DIR, from
# `make fleet-sample`'s one-CPU boot) as the hypervisor would.
set -euo pipefail
hvpatch=$1 vml=$2 facts=$3 sample=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out"
built=0 total=0 applies=0
: >"$out/refused.txt"
while read -r fn; do
	total=$((total + 1))
	printf 'int %s(void)\n{\n\treturn 0;\n}\n' "$fn" >"$out/$fn.c"
	gcc -O2 -mcmodel=kernel -fno-pic -mno-red-zone -fno-asynchronous-unwind-tables \
		-fcf-protection=none -c "$out/$fn.c" -o "$out/$fn.o"
	if ! "$hvpatch" build --object "$out/$fn.o" --symbols "$vml/System.map" \
		--vmlinux "$vml/vmlinux" --build-id-from "$vml/vmlinux" --sequence 1 \
		-o "$out/$fn.unsigned" 2>>"$out/refused.txt" >/dev/null; then
		continue
	fi
	built=$((built + 1))
	python3 "$here/check-running.py" "$hvpatch" "$facts/System.map" "$facts/text.bin" \
		"$out/$fn.unsigned" | tee -a "$out/applies.txt" | grep -q '^APPLIES' &&
		applies=$((applies + 1))
done <"$sample"
echo "fleet-sample: $total functions, $built built from the vmlinux, $applies of those apply on the sample boot"
echo "fleet-sample: not built:"
sed 's/^hvpatch: [^:]*: //; s/+0x[0-9a-f]*/+X/g' "$out/refused.txt" | sort | uniq -c | sort -rn
echo "fleet-sample: built but refused on the sample boot:"
grep -v '^APPLIES' "$out/applies.txt" || echo "  none"
