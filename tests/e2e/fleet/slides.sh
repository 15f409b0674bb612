#!/usr/bin/env bash
# slides.sh SYSTEM.MAP LOG LOG: the two boots that applied the fleet
# bundles (tests/e2e/fleet/fleet.sh) must have run the build at different
# KASLR slides, or they proved nothing about fields.  A slide is the
# boot's _text (its "HVP-FLEET: _text" line) minus the vmlinux's.
set -euo pipefail
map=$1
shift
built=$(awk '$3 == "_text" { print $1 }' "$map")
slides=()
for log in "$@"; do
	text=$(sed -n 's/^HVP-FLEET: _text 0x\([0-9a-f]\{16\}\).*/\1/p' "$log" | tail -n1)
	[ -n "$text" ] || { echo "fleet-slides: no HVP-FLEET: _text line in $log" >&2; exit 1; }
	slides+=("$(printf '0x%x' $((0x$text - 0x$built)))")
	echo "fleet-slides: $log: _text 0x$text, slide ${slides[-1]}"
done
if [ ${#slides[@]} != 2 ] || [ "${slides[0]}" = "${slides[1]}" ]; then
	echo "fleet-slides: FAIL: the boots' slides do not differ (${slides[*]})" >&2
	exit 1
fi
echo "fleet-slides: PASS: slides ${slides[*]} differ"
