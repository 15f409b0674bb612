#!/usr/bin/env bash
# agent-selftest.sh VMLINUZ INITRD LOGDIR
#
# The guest agent checks (tests/e2e/guest/agent.sh) must be able to fail.
# Boots the real kernel and initramfs straight from QEMU (TCG, no
# firmware) with hvp.agent=0, so /init does not load hvpatch.ko: the run
# must fail, on agent-load (no module) and on agent-unprotected
# (hvpatchctl cannot open /dev/hvpatch, which is not the "no hvpatch
# hypervisor" answer the check wants).
set -euo pipefail
kernel=${1:?usage: agent-selftest.sh VMLINUZ INITRD LOGDIR}
initrd=${2:?}
logdir=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
run=$here/../../qemu-scripts/run-qemu.sh
mkdir -p "$logdir"
common="console=ttyS0,115200 quiet cryptomgr.notests=1 mitigations=off iomem=relaxed hvp.cpus=1"
pass=0 fail=0
result() { if [ "$1" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "agent-selftest: $2"; fi; }

log=$logdir/no-agent/serial.log
if bash "$run" --name no-agent --accel tcg --cpus 1 --timeout 60 --logdir "$logdir/no-agent" \
	--kernel "$kernel" --initrd "$initrd" --append "$common hvp.agent=0" \
	--require 'HVP-INIT: done' >"$logdir/no-agent.out" 2>&1; then
	result bad "no-agent: the run passed without hvpatch.ko"
else
	grep -aq 'HVP-AGENT: hvpatch.ko not loaded (hvp.agent=0)' "$log" &&
		result ok || result bad "no-agent: /init ignored hvp.agent=0 (see $log)"
	grep -aq 'HVP-TEST agent-load FAIL' "$log" &&
		result ok || result bad "no-agent: no 'agent-load FAIL' line (see $log)"
	grep -aq 'HVP-TEST agent-unprotected FAIL' "$log" &&
		result ok || result bad "no-agent: no 'agent-unprotected FAIL' line (see $log)"
	grep -aq 'HVP-TEST agent-json FAIL exit 2: .*"errno": 2,' "$log" &&
		result ok || result bad "no-agent: no 'agent-json FAIL' line for ENOENT (see $log)"
	grep -aq 'HVP-INIT: done' "$log" &&
		result ok || result bad "no-agent: the guest did not finish (see $log)"
fi

echo "agent-selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
