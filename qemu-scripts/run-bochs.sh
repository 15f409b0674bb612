#!/usr/bin/env bash
# run-bochs.sh: boots an ESP image under Bochs 2.7 (VT-x with EPT) with
# OVMF, and decides pass/fail from marker lines in the serial log only.
#
#   run-bochs.sh --esp IMG [--cpus 1|2] [--timeout SECONDS] [--mem MiB]
#                [--require 'RE;RE'] [--forbid 'RE;RE'] [--stop-on RE]
#                [--fail-on 'RE;RE'] [--name NAME] [--logdir DIR]
# (--stop-on and --fail-on as in run-qemu.sh)
#
# Writes DIR/bochsrc, DIR/serial.log (COM1), DIR/bochs.out (Bochs's own
# output, including port 0xE9 debug bytes) and DIR/serial.log.times.
# See /work/shared/notes/testbed.md for why each bochsrc line is there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/markers.sh"
. "$here/lib/run-common.sh"

esp= cpus=1 timeout=180 mem=512 require='HVP-INIT: done' forbid= stop_on= fail_on= name= logdir=
while [ $# -gt 0 ]; do
	if [ $# -ge 2 ] && hvp_run_option "$1" "$2"; then
		shift 2
		continue
	fi
	case $1 in
	*) echo "run-bochs: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -f "$esp" ] || { echo "run-bochs: no ESP image '$esp' (--esp)" >&2; exit 2; }
name=${name:-bochs-${cpus}cpu}
logdir=${logdir:-$(mktemp -d "/tmp/hvp-$name.XXXXXX")}
mkdir -p "$logdir"
logdir=$(cd "$logdir" && pwd)
ovmf=/usr/share/ovmf/OVMF.fd   # the 2 MiB build; the 4 MiB one does not fit Bochs's ROM
for f in "$ovmf" /usr/share/bochs/VGABIOS-lgpl-latest; do
	[ -f "$f" ] || { echo "run-bochs: missing $f (scripts/deps.sh installs it)" >&2; exit 2; }
done

# Bochs writes to (and locks) its disk: each run gets its own copy, so that
# runs never share state and a killed run leaves no lock behind.
cp "$esp" "$logdir/esp.img"
: >"$logdir/serial.log"
# IA32_MISC_ENABLE reads 0 in Bochs 2.7, which makes Linux 6.1 clear ERMS
# while FSRM stays set and corrupts memory in memmove: give it its reset
# value 0x1801 (fast strings on, BTS/PEBS unavailable).
# Columns: ADDRESS TYPE RESET_HI RESET_LO RSRVD_HI RSRVD_LO IGNRD_HI IGNRD_LO.
# Bochs reads the six values with "%08x": a 0x prefix would eat two of the
# eight digits and shift every field, so they are written without one.
echo "0x1a0 0 00000000 00001801 00000000 00000000 00000000 00000000" >"$logdir/msrs.def"
echo c >"$logdir/cmds"   # the built-in debugger waits at the first instruction
# Paths are relative (Bochs runs in $logdir): long absolute paths in some
# bochsrc options overflow a fixed buffer in Bochs 2.7 and abort it.
# Relative paths: Bochs runs in $logdir.  sound: driver=dummy because with
# no sound card Bochs 2.7's ALSA mixer thread aborts ("buffer overflow
# detected") within a second of starting, even with the speaker disabled.
cat >"$logdir/bochsrc" <<RC
megs: $mem
romimage: file=$ovmf, address=0x0, options=none
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
cpu: model=corei7_icelake_u, count=$cpus, quantum=32, ips=20000000, reset_on_triple_fault=0, ignore_bad_msrs=1, msrs="msrs.def"
pci: enabled=1, chipset=i440fx
ata0-master: type=disk, path=esp.img, mode=flat
boot: disk
com1: enabled=1, mode=file, dev=serial.log
port_e9_hack: enabled=1
clock: sync=none
speaker: enabled=0
sound: driver=dummy
vga: extension=none, update_freq=1
display_library: rfb, options="timeout=0"
log: bochs.log
info: action=ignore
RC

pid=
cleanup() { hvp_stop_emulator "$pid" "$logdir/esp.img"; }
trap cleanup EXIT

echo "run-bochs: $name: $cpus CPU(s), timeout ${timeout}s, logs in $logdir"
t0=$(hvp_now)
hvp_watch_start "$logdir/serial.log"
(cd "$logdir" && exec timeout -k 5 "$timeout" bochs -q -unlock -f bochsrc -rc cmds \
	</dev/null >bochs.out 2>&1) &
pid=$!
hvp_wait_emulator run-bochs "$pid" "$logdir/serial.log"
pid=
sleep 0.5     # let the watcher see the last lines
hvp_watch_stop
# timeout(1) exits 124 (or 137 after -k): anything else is Bochs ending,
# which only the guest (ACPI S5, port 0x8900) or a Bochs panic can cause.
[ -n "$ended" ] || case $rc in
124 | 137) ended="timeout after ${timeout}s" ;;
*) ended=poweroff
   grep -q 'PANIC' "$logdir/bochs.out" "$logdir/bochs.log" 2>/dev/null &&
	! grep -q 'soft power off' "$logdir/bochs.out" "$logdir/bochs.log" 2>/dev/null &&
	ended="bochs panic: $(grep -h -m1 PANIC "$logdir/bochs.out" "$logdir/bochs.log" | head -n1)" ;;
esac
echo "run-bochs: $name: Bochs ran $(hvp_elapsed "$t0")s"
hvp_verdict "$name" "$logdir/serial.log" "$require" "$forbid" "$ended"
