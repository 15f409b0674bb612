#!/usr/bin/env bash
# fetch-vmlinux.sh KVER CACHEDIR
#
# The guest kernel's own vmlinux, as built: Debian ships it in
# linux-image-KVER-dbg (a 283 MB download for 6.1).  `hvpatch build` reads
# from it what only the build knows: symbol sizes, the relocations the
# kernel applies for KASLR (--emit-relocs keeps .rela.*), and the sites the
# kernel rewrites at boot (alternatives, paravirt, static keys, LOCK
# prefixes, fentry, return thunks).
#
# The download happens once per kernel version into CACHEDIR (outside any
# test's work directory; default of the Makefile: /var/cache/hvpatch), and
# only the vmlinux and its System.map are kept:
#   CACHEDIR/KVER/vmlinux, CACHEDIR/KVER/System.map
# Later runs find them and return at once.
set -euo pipefail

kver=${1:?usage: fetch-vmlinux.sh KVER CACHEDIR}
cache=${2:?usage: fetch-vmlinux.sh KVER CACHEDIR}
out=$cache/$kver
if [ -s "$out/vmlinux" ] && [ -s "$out/System.map" ]; then
	exit 0
fi
mkdir -p "$out"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

pkg=linux-image-$kver-dbg
echo "fetch-vmlinux: $pkg (once, into $out)"
# As root, apt's _apt sandbox user cannot write here: download as root.
(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null)
# Only the two files: the package also holds every module's debug info.
dpkg-deb --fsys-tarfile "$tmp"/*.deb |
	tar -x -C "$tmp" --wildcards "./usr/lib/debug/boot/vmlinux-$kver" \
		"./usr/lib/debug/boot/System.map-$kver" 2>/dev/null ||
	dpkg-deb --fsys-tarfile "$tmp"/*.deb |
	tar -x -C "$tmp" --wildcards "*/vmlinux-$kver"
vmlinux=$(find "$tmp" -name "vmlinux-$kver" -type f | head -n1)
[ -n "$vmlinux" ] || { echo "fetch-vmlinux: no vmlinux-$kver in $pkg" >&2; exit 1; }
# As the kernel's scripts/mksysmap makes it: without undefined, weak
# undefined and local absolute symbols, which have no address.
nm -n "$vmlinux" | grep -v ' [aNUw] ' >"$tmp/System.map"
mv "$vmlinux" "$out/vmlinux.part" && mv "$out/vmlinux.part" "$out/vmlinux"
# Written last: its presence marks a complete fetch.
mv "$tmp/System.map" "$out/System.map"
echo "fetch-vmlinux: $out/vmlinux ($(stat -c %s "$out/vmlinux") bytes)"
