#!/usr/bin/env bash
# run-libvirt.sh: boots an ESP image as a libvirt domain (q35, OVMF), reads
# the serial log, and always destroys and undefines the domain.  Verdict
# from serial markers only.
#
#   run-libvirt.sh --esp IMG [--cpus N] [--timeout S] [--mem MiB]
#                  [--require 'RE;RE'] [--forbid 'RE;RE'] [--stop-on RE]
#                  [--fail-on 'RE;RE']
# (--stop-on and --fail-on as in run-qemu.sh)
#                  [--accel auto|kvm|tcg] [--name NAME] [--logdir DIR]
#
# type='kvm' with <cpu mode='host-passthrough'> when KVM can run a vCPU
# (the guest then gets VMX on a host with nested VT-x), else type='qemu'
# (TCG, no VMX: hvpatch.efi must fail closed or boot unprotected).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/markers.sh"
. "$here/lib/run-common.sh"
. "$here/lib/accel.sh"
. "$here/lib/libvirtd.sh"

esp= cpus=2 timeout=120 mem=512 require='HVP-INIT: done' forbid= stop_on= fail_on= accel=auto name= logdir=
while [ $# -gt 0 ]; do
	if [ $# -ge 2 ] && hvp_run_option "$1" "$2"; then
		shift 2
		continue
	fi
	case $1 in
	--accel) accel=$2; shift 2 ;;
	*) echo "run-libvirt: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -f "$esp" ] || { echo "run-libvirt: no ESP image '$esp' (--esp)" >&2; exit 2; }
name=${name:-libvirt}
logdir=${logdir:-$(mktemp -d "/tmp/hvp-$name.XXXXXX")}
mkdir -p "$logdir"
logdir=$(cd "$logdir" && pwd)
uri=$(hvp_libvirt_uri)
virsh() { command virsh -q -c "$uri" "$@"; }
dom=hvp-$name-$$

# --accel tcg pins the no-VT-x case (fail-closed/fail-open tests) even on a
# host where KVM works.
if [ "$accel" = kvm ] || { [ "$accel" = auto ] && hvp_kvm_usable; }; then
	type=kvm cpu="<cpu mode='host-passthrough' check='none'/>"
else
	type=qemu cpu=
fi
cp "$esp" "$logdir/esp.img"
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$logdir/vars.fd"
rm -f "$logdir/serial.log"
# QEMU runs as libvirt-qemu under qemu:///system; libvirt relabels the
# disk and NVRAM, but the directory must let that user in and write.
chmod 0777 "$logdir"

# on_reboot=destroy: a reset or triple fault ends the run (reason
# "destroyed") instead of looping; only a guest power-off reads "shutdown".
cat >"$logdir/domain.xml" <<XML
<domain type='$type'>
  <name>$dom</name>
  <memory unit='MiB'>$mem</memory>
  <vcpu>$cpus</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
    <nvram>$logdir/vars.fd</nvram>
    <boot dev='hd'/>
  </os>
  <features><acpi/><apic/></features>
  $cpu
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$logdir/esp.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'>
      <source path='$logdir/serial.log'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML

cleanup() {
	hvp_watch_stop
	virsh destroy "$dom" >/dev/null 2>&1 || true
	virsh undefine --nvram "$dom" >/dev/null 2>&1 || virsh undefine "$dom" >/dev/null 2>&1 || true
	rm -f "$logdir/esp.img"
}
trap cleanup EXIT

echo "run-libvirt: $name: domain $dom, type=$type, $cpus CPU(s), timeout ${timeout}s, logs in $logdir"
t0=$(hvp_now)
virsh define "$logdir/domain.xml" >/dev/null
hvp_watch_start "$logdir/serial.log"
virsh start "$dom" >/dev/null
ended=
deadline=$(($(date +%s) + timeout))
while :; do
	state=$(virsh domstate --reason "$dom" 2>/dev/null || echo "gone")
	case $state in
	"shut off (shutdown)"*) ended=poweroff; break ;;
	"shut off"* | gone) ended="domain $state"; break ;;
	esac
	if ended=$(hvp_check_stop "$logdir/serial.log" "$stop_on" "$fail_on"); then
		echo "run-libvirt: $name: stopped early: $ended"
		break
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		ended="timeout after ${timeout}s ($state)"
		break
	fi
	sleep 0.5
done
virsh destroy "$dom" >/dev/null 2>&1 || true
# The domain may be off before the watcher saw the last lines: re-read.
sleep 0.3
hvp_watch_stop
touch "$logdir/serial.log"
echo "run-libvirt: $name: run took $(hvp_elapsed "$t0")s"
hvp_verdict "$name" "$logdir/serial.log" "$require" "$forbid" "$ended"
