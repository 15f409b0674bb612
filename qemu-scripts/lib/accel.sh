# qemu-scripts/lib/accel.sh: sourced by run-qemu.sh and run-libvirt.sh.
#
# hvp_kvm_usable: true when KVM can run a vCPU with `-cpu host`.  A /dev/kvm
# node alone is not enough: some nested setups expose one whose vCPUs reject
# QEMU's MSR set-up (QEMU aborts at once with "failed to set MSR"), so
# start a paused VM for a moment and see whether it survives.
hvp_kvm_usable() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	local rc=0
	# The subshell keeps bash's "Aborted" job notice out of the output.
	(timeout 3 qemu-system-x86_64 -accel kvm -cpu host -machine q35 -nodefaults \
		-display none -S -monitor none -serial none >/dev/null 2>&1; exit $?) 2>/dev/null || rc=$?
	[ $rc -eq 124 ]   # still running when timeout stopped it: KVM works
}
