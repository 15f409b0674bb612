# qemu-scripts/lib/libvirtd.sh: sourced by run-libvirt.sh.
#
# hvp_libvirt_uri: prints the libvirt URI to use, starting a daemon first
# when none answers.  As root: qemu:///system with a libvirtd started by
# hand (this machine has no systemd), following the test-bed notes:
#   - libvirtd exits at start unless the user libvirt-qemu exists;
#   - stdio_handler = "file" avoids needing virtlogd;
#   - /dev/kvm, when present, gets Debian's usual owner and mode (root:kvm
#     0660, set by udev on a normal install, absent here) with libvirt-qemu
#     in group kvm.  Otherwise libvirt probes QEMU with KVM as root, then
#     finds /dev/kvm unusable for libvirt-qemu, declares its capabilities
#     cache stale and re-probes on every call: each `virsh define` then
#     takes about 60 s instead of well under one.
# As another user: qemu:///session, which virsh starts by itself.
HVP_LIBVIRTD_PID=/run/hvp-libvirtd.pid

hvp_libvirt_uri() {
	if [ "$(id -u)" -ne 0 ]; then
		echo qemu:///session
		return
	fi
	local uri=qemu:///system i
	# Idempotent set-up, done even when a daemon already runs (the /dev/kvm
	# mode matters to a running libvirtd too).
	if ! id libvirt-qemu >/dev/null 2>&1; then
		useradd --system --user-group --no-create-home --home-dir /var/lib/libvirt \
			--shell /usr/sbin/nologin libvirt-qemu >&2
	fi
	if [ -c /dev/kvm ]; then
		getent group kvm >/dev/null || groupadd --system kvm
		id -nG libvirt-qemu | grep -qw kvm || usermod -a -G kvm libvirt-qemu
		if [ "$(stat -c %G:%a /dev/kvm)" != kvm:660 ]; then
			chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
		fi
	fi
	mkdir -p /etc/libvirt /var/log/libvirt/qemu /var/lib/libvirt/qemu
	if ! grep -qs '^stdio_handler' /etc/libvirt/qemu.conf; then
		echo 'stdio_handler = "file"   # added by hvpatch qemu-scripts: no virtlogd needed' \
			>>/etc/libvirt/qemu.conf
	fi
	if timeout 5 virsh -c "$uri" uri >/dev/null 2>&1; then
		echo "$uri"
		return
	fi
	echo "libvirt: starting libvirtd (no daemon answered on $uri)" >&2
	libvirtd -d --pid-file "$HVP_LIBVIRTD_PID" >&2
	for i in $(seq 1 50); do
		if timeout 5 virsh -c "$uri" uri >/dev/null 2>&1; then
			echo "$uri"
			return
		fi
		sleep 0.2
	done
	echo "libvirt: libvirtd did not answer on $uri" >&2
	return 1
}
