#!/usr/bin/env bash
# The e2e verdict must be able to fail: feed hvp_verdict made-up serial
# logs and check that each fault is caught (and a good log passes).
set -euo pipefail
. "$(dirname "$0")/../../qemu-scripts/lib/markers.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
good='HVPATCH: loader start
HVPATCH: cpu 0 virtualized
HVP-INIT: reached /init (1.0s uptime, 6.1.0)
HVP-TEST cpu-count PASS 1 CPUs
HVP-TEST hv-leaf PASS vendor=hvpatch
HVP-INIT: done'
req='HVPATCH: loader start;HVP-INIT: reached /init;HVP-TEST cpu-count PASS;HVP-INIT: done'
pass=0 fail=0

# check NAME EXPECT(pass|fail) LOG_TEXT REQUIRED FORBIDDEN ENDED
check() {
	local name=$1 expect=$2 got=pass
	printf '%s\n' "$3" >"$dir/serial.log"
	: >"$dir/serial.log.times"
	hvp_verdict "$name" "$dir/serial.log" "$4" "$5" "$6" >"$dir/out" 2>&1 || got=fail
	if [ "$got" = "$expect" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "verdict-selftest: $name: expected $expect, got $got:"
		sed 's/^/    /' "$dir/out"
	fi
}

check good-log pass "$good" "$req" '' poweroff
check missing-marker fail "$(printf '%s\n' "$good" | grep -v 'HVP-INIT: done')" "$req" '' poweroff
check forbidden-marker fail "$good
HVPATCH: WARNING: booting UNPROTECTED" "$req" 'HVPATCH: WARNING: booting UNPROTECTED' poweroff
check guest-test-fail fail "$good
HVP-TEST vmx-hidden FAIL CPUID.1:ECX.VMX=1" "$req" '' poweroff
check kernel-panic fail "$good
Kernel panic - not syncing: Attempted to kill init!" "$req" '' poweroff
check poweroff-failed fail "$good
HVP-INIT: poweroff failed" "$req" '' poweroff
check timeout fail "$good" "$req" '' 'timeout after 60s'
check regex-marker pass "$good" 'HVPATCH: cpu [0-9]+ virtualized' '' poweroff
check regex-forbid fail "$good" "$req" 'HVPATCH: cpu [0-9]+ virtualized' poweroff
check empty-log fail '' "$req" '' poweroff

# The runners' early stop: a --fail-on marker ends the run as a failure,
# a --stop-on marker as a normal end; neither fires on an unrelated log.
stop_case() {
	local name=$1 want=$2 got
	printf '%s\n' "$3" >"$dir/serial.log"
	got=$(hvp_check_stop "$dir/serial.log" "$4" "$5" | cut -d: -f1) || got=none
	if [ "$got" = "$want" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "verdict-selftest: $name: expected '$want', got '$got'"; fi
}
stop_case fail-on 'fatal marker' "$good
HVPATCH: cpu 1: stopped" '' 'HVPATCH: cpu [0-9]+: stopped'
stop_case stop-on poweroff 'HVPATCH: VT-x unavailable: no VMX' 'HVPATCH: VT-x unavailable' ''
stop_case no-stop none "$good" 'HVPATCH: VT-x unavailable' 'HVPATCH: cpu [0-9]+: stopped'
stop_case panic-always-fatal 'fatal marker' 'Kernel panic - not syncing: VFS' '' ''
check ended-by-fatal fail "$good" "$req" '' 'fatal marker: HVPATCH: cpu 1: stopped'

echo "verdict-selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
