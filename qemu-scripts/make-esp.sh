#!/usr/bin/env bash
# make-esp.sh: builds a FAT32 EFI system partition image (no partition
# table: OVMF, Bochs and QEMU all take a bare FAT volume).
#
#   make-esp.sh --out ESP.img --flavour qemu|bochs --kernel VMLINUZ
#               --initrd INITRD [--loader HVPATCH_EFI] [--acpi HVP_ACPI_EFI]
#               [--policy fail-closed|fail-open] [--log-level LEVEL]
#               [--key PEM]... [--direct] [-- KERNEL CMDLINE EXTRAS...]
#
# Flavours:
#   qemu   \EFI\BOOT\BOOTX64.EFI is hvpatch.efi (QEMU/libvirt have ACPI)
#   bochs  BOOTX64.EFI is the test bed's hvp-acpi.efi, which installs ACPI
#          tables and then starts \EFI\hvpatch\hvpatch.efi
# --direct boots the kernel with no hypervisor, to check the test bed
# itself: BOOTX64.EFI is hvp-acpi.efi (it leaves existing ACPI tables
# alone) chaining to \vmlinuz through \EFI\BOOT\testbed-chain.txt.
set -euo pipefail

out= flavour= kernel= initrd= loader= acpi= policy=fail-closed log_level=info direct=0
keys=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--flavour) flavour=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--loader) loader=$2; shift 2 ;;
	--acpi) acpi=$2; shift 2 ;;
	--policy) policy=$2; shift 2 ;;
	--log-level) log_level=$2; shift 2 ;;
	--key) keys+=("$2"); shift 2 ;;
	--direct) direct=1; shift ;;
	--) shift; break ;;
	*) echo "make-esp: unknown argument $1" >&2; exit 2 ;;
	esac
done
die() { echo "make-esp: $*" >&2; exit 1; }
[ -n "$out" ] && [ -n "$kernel" ] && [ -n "$initrd" ] || die "need --out, --kernel and --initrd"
case $flavour in qemu | bochs) ;; *) die "--flavour must be qemu or bochs" ;; esac
case $policy in fail-closed | fail-open) ;; *) die "--policy must be fail-closed or fail-open" ;; esac
# The loader appends nothing: the guest's whole command line is here.
cmdline="console=ttyS0,115200 initrd=\\initrd.img${*:+ $*}"

if [ $direct -eq 1 ] || [ "$flavour" = bochs ]; then
	[ -f "$acpi" ] || die "this ESP needs hvp-acpi.efi (--acpi)"
fi
if [ $direct -eq 0 ]; then
	[ -f "$loader" ] || die "no hvpatch.efi at '${loader}' (--loader); use --direct to boot without it"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
conf=$stage/hvpatch.conf
{
	echo "# hvpatch.conf written by qemu-scripts/make-esp.sh ($flavour flavour)"
	echo 'next_stage = \vmlinuz'
	echo "next_stage_options = $cmdline"
	echo "policy = $policy"
	echo "log_level = $log_level"
	for k in "${keys[@]}"; do echo "key = \\EFI\\hvpatch\\keys\\$(basename "$k")"; done
} >"$conf"

# Size: the payload plus slack, rounded up to whole Bochs "cylinders"
# (16 heads x 63 sectors x 512 bytes) so that Bochs can derive a geometry
# for the flat image, and at least 64 MiB so that FAT32 has enough clusters.
cyl=$((16 * 63 * 512))
payload=$(cat "$kernel" "$initrd" ${loader:+"$loader"} ${acpi:+"$acpi"} | wc -c)
size=$(((payload + 16 * 1024 * 1024 + cyl - 1) / cyl * cyl))
min=$(((64 * 1024 * 1024 + cyl - 1) / cyl * cyl))
[ $size -ge $min ] || size=$min

mkdir -p "$(dirname "$out")"
tmp=$out.tmp
rm -f "$tmp"
truncate -s "$size" "$tmp"
mkfs.vfat -F 32 -n HVPESP "$tmp" >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$tmp" ::/EFI ::/EFI/BOOT ::/EFI/hvpatch
put() { mcopy -i "$tmp" -o "$1" "::$2"; }

if [ $direct -eq 1 ]; then
	put "$acpi" /EFI/BOOT/BOOTX64.EFI
	printf '%s\r\n%s\r\n' '\vmlinuz' "$cmdline" >"$stage/testbed-chain.txt"
	put "$stage/testbed-chain.txt" /EFI/BOOT/testbed-chain.txt
elif [ "$flavour" = bochs ]; then
	put "$acpi" /EFI/BOOT/BOOTX64.EFI
	put "$loader" /EFI/hvpatch/hvpatch.efi
else
	put "$loader" /EFI/BOOT/BOOTX64.EFI
	put "$loader" /EFI/hvpatch/hvpatch.efi
fi
put "$conf" /EFI/hvpatch/hvpatch.conf
if [ ${#keys[@]} -gt 0 ]; then
	mmd -i "$tmp" ::/EFI/hvpatch/keys
	for k in "${keys[@]}"; do put "$k" "/EFI/hvpatch/keys/$(basename "$k")"; done
fi
put "$kernel" /vmlinuz
put "$initrd" /initrd.img
mv "$tmp" "$out"
echo "make-esp: $out ($flavour$([ $direct -eq 1 ] && echo ', direct'), policy $policy, $((size / 1048576)) MiB)"
echo "make-esp: cmdline: $cmdline"
