#!/usr/bin/env bash
# make-initramfs.sh OUT.img [FILE...]
#
# Builds the test bed's initramfs: busybox-static, the /init from
# qemu-scripts/initramfs/init, and FILEs: `*.sh` go to /hvp-tests/ (run by
# /init in name order), `*.ko` to /lib/hvpatch/ (hvpatch.ko there is loaded
# by /init before anything else), anything else to /bin/ (static guest
# helpers such as hvp-cpuid and hvpatchctl).  cpio newc, gzip.  Needs no
# root: /init mounts devtmpfs instead of relying on a /dev/console node in
# the archive.
set -euo pipefail

out=${1:?usage: make-initramfs.sh OUT.img [FILE...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox
# Debian's busybox-static installs /bin/busybox; make sure it really is the
# static one, or the guest (which has no libc) cannot run it.
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$busybox" 2>&1 | grep -q 'not a dynamic' ||
	{ echo "make-initramfs: $busybox is not static (install busybox-static)" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,hvp-tests,lib/hvpatch}
ln -s bin "$stage/sbin"
mkdir -p "$stage/usr"
ln -s ../bin "$stage/usr/bin"
ln -s ../bin "$stage/usr/sbin"
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
done
install -m 0755 "$here/initramfs/init" "$stage/init"

for f in "$@"; do
	case $f in
	*.sh) install -m 0755 "$f" "$stage/hvp-tests/$(basename "$f")" ;;
	*.ko) install -m 0644 "$f" "$stage/lib/hvpatch/$(basename "$f")" ;;
	*) install -m 0755 "$f" "$stage/bin/$(basename "$f")" ;;
	esac
done

mkdir -p "$(dirname "$out")"
# Owner root and a fixed order keep the archive independent of who builds it.
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) | gzip -9n >"$out.tmp"
mv "$out.tmp" "$out"
echo "make-initramfs: $out ($(stat -c %s "$out") bytes, tests: $(ls "$stage/hvp-tests" | tr '\n' ' ')modules: $(ls "$stage/lib/hvpatch" | tr '\n' ' '))"
