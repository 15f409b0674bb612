#!/usr/bin/env bash
# Installs every Debian package hvpatch needs to build, test and demo.
# Idempotent: when everything is present it only checks and returns.
# Also enables deb-src for the configured Debian sources, because the
# hypervisor's mbedtls is built from source fetched with `apt-get source`.
set -euo pipefail

packages=(
	build-essential clang llvm lld libclang-rt-14-dev pkg-config
	libmbedtls-dev libcmocka-dev libelf-dev openssl dpkg-dev
	gnu-efi mtools dosfstools busybox-static cpio xz-utils zstd kmod
	bochs bochsbios vgabios ovmf
	libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86
	python3
)

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Turn on deb-src next to every enabled deb entry, keeping the hosts the
# machine is already configured with.
enable_deb_src() {
	local changed=0 f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		if grep -q '^Types:.*\bdeb\b' "$f" && ! grep -q '^Types:.*deb-src' "$f"; then
			as_root sed -i 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb deb-src/' "$f"
			changed=1
		fi
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		if grep -q '^deb ' "$f" && ! grep -q '^deb-src ' "$f"; then
			grep '^deb ' "$f" | sed 's/^deb /deb-src /' | as_root tee -a "$f" >/dev/null
			changed=1
		fi
	done
	return $((1 - changed))
}

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

need_update=0
enable_deb_src && need_update=1
# apt-get source needs the source index even when no package is missing.
ls /var/lib/apt/lists/*_source_Sources* >/dev/null 2>&1 || need_update=1

if [ ${#missing[@]} -gt 0 ] || [ $need_update -eq 1 ]; then
	echo "deps: installing ${missing[*]:-(source indexes only)}"
	as_root apt-get update -q
	if [ ${#missing[@]} -gt 0 ]; then
		as_root env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends "${missing[@]}"
	fi
fi
echo "deps: all ${#packages[@]} packages present"
