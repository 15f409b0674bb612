#!/usr/bin/env bash
# guest-checks-selftest.sh VMLINUZ INITRD LOGDIR
#
# The guest checks (tests/e2e/guest/platform.sh) must be able to fail.  Boots
# the real kernel and initramfs straight from QEMU (TCG, no firmware: a few
# seconds each) with faults made on purpose, and checks that the guest
# reports them:
#   wrong-cpus   hvp.cpus says 3, the VM has 2: cpu-count must FAIL
#   magic-seen   the magic HVPATCH-RESERVED is planted in a reserved range
#                that /dev/mem can read: the check must see it (reported as
#                UNPROTECTED, as there is no hvpatch leaf under TCG)
set -euo pipefail
kernel=${1:?usage: guest-checks-selftest.sh VMLINUZ INITRD LOGDIR}
initrd=${2:?}
logdir=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
run=$here/../../qemu-scripts/run-qemu.sh
mkdir -p "$logdir"
common="quiet nokaslr cryptomgr.notests=1 mitigations=off iomem=relaxed"
pass=0 fail=0
result() { if [ "$1" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "guest-checks-selftest: $2"; fi; }

# A wrong CPU count must turn the run red: the runner's verdict fails, on
# exactly this line.
if bash "$run" --name wrong-cpus --accel tcg --cpus 2 --timeout 60 --logdir "$logdir/wrong-cpus" \
	--kernel "$kernel" --initrd "$initrd" --append "$common hvp.cpus=3" >"$logdir/wrong-cpus.out" 2>&1; then
	result bad "wrong-cpus: the run passed with hvp.cpus=3 on 2 CPUs"
elif grep -q 'HVP-TEST cpu-count FAIL expected 3' "$logdir/wrong-cpus/serial.log"; then
	result ok
else
	result bad "wrong-cpus: no 'cpu-count FAIL' line (see $logdir/wrong-cpus/serial.log)"
fi

# Plant the magic at a page that the kernel is told is reserved (memmap=
# nn$ss), where iomem=relaxed lets /dev/mem read it.
addr=0x7f00000
printf 'HVPATCH-RESERVED' >"$logdir/magic.bin"
if bash "$run" --name magic-seen --accel tcg --cpus 1 --timeout 60 --logdir "$logdir/magic-seen" \
	--kernel "$kernel" --initrd "$initrd" \
	--append "$common hvp.cpus=1 memmap=4K\$$addr hvp.hvmem=$addr-0x7f00fff" \
	--qemu-arg -device --qemu-arg "loader,file=$logdir/magic.bin,addr=$addr,force-raw=on" \
	--require 'HVP-TEST hvmem-hidden UNPROTECTED read HVPATCH-RESERVED' >"$logdir/magic-seen.out" 2>&1; then
	result ok
else
	result bad "magic-seen: the planted magic was not reported:"
	cat "$logdir/magic-seen.out"
fi

echo "guest-checks-selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
