#!/usr/bin/env bash
# run-qemu.sh: boots an ESP image under plain qemu-system-x86_64 with OVMF.
# With a working /dev/kvm it uses `-enable-kvm -cpu host`, so a host with
# nested VT-x hands VMX to the guest (hvpatch.efi can then virtualize);
# otherwise TCG, which has no VMX.  Verdict from serial markers only.
#
#   run-qemu.sh --esp IMG [--cpus N] [--timeout S] [--mem MiB]
#               [--require 'RE;RE'] [--forbid 'RE;RE'] [--stop-on RE]
#               [--fail-on 'RE;RE'] [--accel kvm|tcg|auto] [--name NAME] [--logdir DIR]
#
# Or, instead of --esp, --kernel K --initrd I --append CMDLINE boots Linux
# directly (no firmware; seconds under TCG), with --qemu-arg ARG (may
# repeat) for extra devices: the guest-check self-tests use this.
#
# --stop-on RE ends the run once RE shows up in the serial log (e.g. a
# fail-closed refusal, after which the firmware would just sit in its menu);
# --fail-on ends it and fails it (a hypervisor's fatal error: the machine
# would only hang until the timeout).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/markers.sh"
. "$here/lib/run-common.sh"
. "$here/lib/accel.sh"

kernel= initrd= append= qemu_extra=() esp= cpus=2 timeout=120 mem=512 require='HVP-INIT: done' forbid= stop_on= fail_on= accel=auto name= logdir=
while [ $# -gt 0 ]; do
	if [ $# -ge 2 ] && hvp_run_option "$1" "$2"; then
		shift 2
		continue
	fi
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--qemu-arg) qemu_extra+=("$2"); shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	*) echo "run-qemu: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -f "$esp" ] || [ -f "$kernel" ] ||
	{ echo "run-qemu: need --esp IMG or --kernel VMLINUZ" >&2; exit 2; }
if [ "$accel" = auto ]; then
	if hvp_kvm_usable; then accel=kvm; else accel=tcg; fi
fi
name=${name:-qemu-$accel}
logdir=${logdir:-$(mktemp -d "/tmp/hvp-$name.XXXXXX")}
mkdir -p "$logdir"
logdir=$(cd "$logdir" && pwd)
cpu_args=(-accel tcg -cpu max)
[ "$accel" = kvm ] && cpu_args=(-accel kvm -cpu host)

if [ -n "$esp" ]; then
	# Per-run copies: the firmware writes its variables, and nothing is
	# shared between runs.
	cp "$esp" "$logdir/esp.img"
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$logdir/vars.fd"
	boot_args=(-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
		-drive if=pflash,format=raw,file="$logdir/vars.fd"
		-drive if=virtio,format=raw,file="$logdir/esp.img")
else
	boot_args=(-kernel "$kernel" -append "console=ttyS0,115200 $append")
	[ -z "$initrd" ] || boot_args+=(-initrd "$initrd")
fi
: >"$logdir/serial.log"

pid=
cleanup() { hvp_stop_emulator "$pid" "$logdir/esp.img"; }
trap cleanup EXIT

echo "run-qemu: $name: $accel, $cpus CPU(s), timeout ${timeout}s, logs in $logdir"
t0=$(hvp_now)
hvp_watch_start "$logdir/serial.log"
# -no-reboot: a reset (triple fault, reboot) ends the run instead of looping.
timeout -k 5 "$timeout" qemu-system-x86_64 "${cpu_args[@]}" -machine q35 -m "$mem" \
	-smp "$cpus" -nodefaults -display none -no-reboot "${boot_args[@]}" \
	${qemu_extra[@]+"${qemu_extra[@]}"} -serial file:"$logdir/serial.log" >"$logdir/qemu.out" 2>&1 &
pid=$!
hvp_wait_emulator run-qemu "$pid" "$logdir/serial.log"
pid=
sleep 0.3
hvp_watch_stop
if [ -z "$ended" ]; then
	case $rc in
	0) ended=poweroff ;;   # QEMU exits 0 when the guest powers off (or resets, with -no-reboot)
	124 | 137) ended="timeout after ${timeout}s" ;;
	*) ended="qemu exited $rc: $(tail -n1 "$logdir/qemu.out")" ;;
	esac
fi
echo "run-qemu: $name: QEMU ran $(hvp_elapsed "$t0")s"
hvp_verdict "$name" "$logdir/serial.log" "$require" "$forbid" "$ended"
