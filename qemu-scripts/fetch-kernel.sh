#!/usr/bin/env bash
# fetch-kernel.sh OUTDIR
#
# Fetches the guest kernel the test bed boots: Debian's newest cloud-amd64
# kernel that apt offers right now, plus the matching headers and kbuild so
# that the guest agent builds against exactly this kernel.  Nothing is
# hard-coded: the ABI is read from the meta-package's dependency.
#
# Writes OUTDIR/vmlinuz, OUTDIR/System.map, OUTDIR/version (uname -r of the
# guest), OUTDIR/kdir (path of the kbuild tree for `make -C`), and the
# extracted packages under OUTDIR/root.  Idempotent: when OUTDIR already
# holds the version apt offers, it only checks and returns.
#
# HVP_KERNEL_META picks the series (default linux-image-cloud-amd64, the
# release's default kernel; e.g. linux-image-6.12-cloud-amd64 for 6.12).
set -euo pipefail

out=${1:?usage: fetch-kernel.sh OUTDIR}
meta=${HVP_KERNEL_META:-linux-image-cloud-amd64}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The meta-package's candidate depends on the current versioned image
# (linux-image-<abi>-cloud-amd64).  Falls back to the newest versioned image
# by version sort when the meta-package is not known.
pick_image() {
	local dep
	dep=$(apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -n1)
	if [ -z "$dep" ]; then
		dep=$(apt-cache pkgnames linux-image- 2>/dev/null |
			grep -E '^linux-image-[0-9][^ ]*-cloud-amd64$' |
			grep -v -- '-dbg' | sort -V | tail -n1)
	fi
	printf '%s\n' "$dep"
}

image=$(pick_image)
if [ -z "$image" ]; then
	# Package lists may be missing on a fresh machine: refresh once.
	echo "fetch-kernel: no cloud kernel in apt's lists, running apt-get update"
	apt-get update -q >/dev/null
	image=$(pick_image)
fi
[ -n "$image" ] || { echo "fetch-kernel: apt offers no linux-image-*-cloud-amd64" >&2; exit 1; }

kver=${image#linux-image-}          # e.g. 6.1.0-56-cloud-amd64 (uname -r)
abi=${kver%-cloud-amd64}            # e.g. 6.1.0-56
if [ -f "$out/version" ] && [ "$(cat "$out/version")" = "$kver" ] &&
	[ -s "$out/vmlinuz" ] && [ -s "$out/System.map" ] && [ -s "$out/kdir" ]; then
	echo "fetch-kernel: $kver already in $out"
	exit 0
fi

# The headers package names the -common and kbuild packages it needs; take
# them from its dependencies rather than guessing their names.
headers=linux-headers-$kver
extra=$(apt-cache depends "$headers" |
	sed -n 's/^ *Depends: \(linux-headers-.*-common\|linux-kbuild-.*\)$/\1/p' | sort -u)
pkgs=("$image" "$headers" $extra)
echo "fetch-kernel: $kver (${pkgs[*]})"

debs=$out/debs
rm -rf "$debs" "$out/root" && mkdir -p "$debs" "$out/root"
# apt-get download writes to the current directory; run it in a subshell.
# As root, apt's _apt sandbox user cannot write here: download as root
# rather than print a warning per package.
(cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "${pkgs[@]}" >/dev/null)
for d in "$debs"/*.deb; do
	dpkg-deb -x "$d" "$out/root"
done

cp "$out/root/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$out/root/boot/System.map-$kver" "$out/System.map"
# Debian ships a one-line placeholder System.map (the real one is in the
# -dbg package); say so rather than let a later step trust it.
if [ "$(wc -l <"$out/System.map")" -lt 100 ]; then
	echo "fetch-kernel: note: System.map is Debian's placeholder; use the guest's /proc/kallsyms for symbols"
fi
kdir=$out/root/usr/src/linux-headers-$kver
[ -f "$kdir/Makefile" ] || { echo "fetch-kernel: no kbuild tree at $kdir" >&2; exit 1; }
# The flavour's Makefile includes the -common tree by absolute path
# (/usr/src/...); point it into OUTDIR so `make -C kdir M=...` needs nothing
# installed on the host.  (Its other links are relative and already work.)
sed -i "s|^include /usr/src/|include $out/root/usr/src/|" "$kdir/Makefile"
echo "$kdir" >"$out/kdir"
rm -rf "$debs"          # the extracted tree is all later steps need
# Written last: its presence with the other files marks a complete fetch.
echo "$kver" >"$out/version"
echo "fetch-kernel: wrote $out/vmlinuz ($(stat -c %s "$out/vmlinuz") bytes), System.map, kdir"
