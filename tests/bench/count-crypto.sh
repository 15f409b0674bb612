#!/usr/bin/env bash
# Instructions (callgrind) of one ECDSA verification and of one key's
# enrolment (on-curve check and comb table), on the object it was linked
# with: differences of runs of tests/bench/count_crypto.c that do 11 and 1
# verifications, 7 and 0 extra keys, so start-up and the one-time
# tables drop out.
set -euo pipefail
prog=$1 vectors=$2
count() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$prog" "$vectors" "$@" 2>&1 |
		sed -n 's/.*I *refs: *//p' | tr -d ,
}
base=$(count 1 0)
verifies=$(count 11 0)
keys=$(count 1 7)
echo "ECDSA P-256 verify: $(( (verifies - base) / 10 )) instructions"
echo "key enrolment (on-curve check, comb table): $(( (keys - base) / 7 )) instructions"
echo "first call (tables of G and of the first key, one verify): $base instructions for the whole run"
