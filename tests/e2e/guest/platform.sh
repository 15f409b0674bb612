#!/bin/sh
# The platform as the guest sees it under hvpatch: every CPU up, the
# hvpatch CPUID leaf, VMX hidden, the hypervisor's memory listed as
# reserved and unreadable.  Run by /init.  One line per check:
#   HVP-TEST <name> PASS|FAIL|SKIP|UNPROTECTED <detail>
# Inputs from the kernel command line:
#   hvp.cpus=N                  CPUs Linux must see
#   hvp.hvmem=0xSTART-0xEND     hypervisor-owned physical range; the loader
#                               puts the magic HVPATCH-RESERVED at START
# With no hvpatch CPUID leaf (fail-open boot without VT-x) the checks that
# need the hypervisor report UNPROTECTED instead of FAIL, so the runner can
# tell "protected and correct" from "booted unprotected by policy".
magic=HVPATCH-RESERVED
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n1; }
t() { echo "HVP-TEST $*"; }

# --- CPU count: Linux must see every CPU the firmware/hypervisor runs ----
want=$(arg hvp.cpus)
got=$(grep -c ^processor /proc/cpuinfo)
if [ -z "$want" ]; then
	t cpu-count SKIP "no hvp.cpus= on the command line (got $got)"
elif [ "$got" = "$want" ]; then
	t cpu-count PASS "$got CPUs"
else
	t cpu-count FAIL "expected $want CPUs, /proc/cpuinfo has $got"
fi

# --- CPUID: hvpatch leaf, VMX hidden ----------------------------------
info=$(hvp-cpuid) || { t hv-leaf FAIL "hvp-cpuid failed"; exit 0; }
get() { printf '%s\n' "$info" | sed -n "s/^$1=//p"; }
vendor=$(get leaf40000000_vendor)
vmx=$(get vmx)
case $vendor in
hvpatch*)
	protected=1
	t hv-leaf PASS "vendor=$vendor max=$(get leaf40000000_max)"
	if [ "$vmx" = 0 ]; then
		t vmx-hidden PASS "CPUID.1:ECX.VMX=0"
	else
		t vmx-hidden FAIL "CPUID.1:ECX.VMX=1 under hvpatch"
	fi
	;;
*)
	protected=0
	echo "HVP-TEST: no hvpatch CPUID leaf: this guest runs UNPROTECTED"
	t hv-leaf UNPROTECTED "leaf 0x40000000 vendor='$vendor' (not hvpatch)"
	t vmx-hidden UNPROTECTED "no hvpatch; CPUID.1:ECX.VMX=$vmx"
	;;
esac

# --- The hypervisor's memory must not be readable from the guest -------
# The range comes from hvp.hvmem= (any test bed) or from hvpatch's own
# CPUID leaf 0x40000002; the loader puts HVPATCH-RESERVED at its start.
range=$(arg hvp.hvmem)
if [ -z "$range" ] && [ -n "$(get reserved_base)" ]; then
	range=$(get reserved_base)-$(printf '0x%x' $(($(get reserved_base) + $(get reserved_size) - 1)))
	# The OS must know the range as not its own (EfiReservedMemoryType).
	owned=no
	for d in /sys/firmware/memmap/*; do
		[ -f "$d/start" ] || continue
		s=$(cat "$d/start") e=$(cat "$d/end") ty=$(cat "$d/type")
		if [ $((s)) -le $(($(get reserved_base))) ] && [ $((e)) -ge $((${range#*-})) ]; then
			owned="$ty"
		fi
	done
	case $owned in
	Reserved) t hvmem-reserved PASS "$range is Reserved in the firmware memory map" ;;
	*) t hvmem-reserved FAIL "$range is '$owned' in /sys/firmware/memmap, not Reserved" ;;
	esac
fi
if [ -z "$range" ]; then
	t hvmem-hidden SKIP "no hvp.hvmem= on the command line and no hvpatch leaf"
	exit 0
fi
start=${range%-*}
tainted=$(cat /proc/sys/kernel/tainted)
mem=$(hvp-cpuid mem "$start")
text=$(printf '%s\n' "$mem" | sed -n 's/^mem_text=//p')
hex=$(printf '%s\n' "$mem" | sed -n 's/^mem_hex=//p')
err=$(printf '%s\n' "$mem" | sed -n 's/^mem_\(open\|read\)_errno=//p')
# Under hvpatch a read of its memory sees zeros, quietly: the kernel must
# not have taken a fault it reports (a WARN taints it).
if [ $protected = 1 ] && [ "$(cat /proc/sys/kernel/tainted)" != "$tainted" ]; then
	t hvmem-hidden FAIL "the read at $start tainted the kernel ($tainted -> $(cat /proc/sys/kernel/tainted))"
elif [ "$text" = "$magic" ]; then
	if [ $protected = 1 ]; then
		t hvmem-hidden FAIL "read $magic at $start: hypervisor memory is visible"
	else
		t hvmem-hidden UNPROTECTED "read $magic at $start (no hypervisor to hide it)"
	fi
elif [ -n "$err" ]; then
	# STRICT_DEVMEM refuses some ranges by itself; iomem=relaxed lifts that
	# for reserved (non-RAM) ranges, so only then is a refusal evidence.
	why=kernel-policy
	grep -qw iomem=relaxed /proc/cmdline && why=with-iomem=relaxed
	if [ $protected = 1 ] && [ $why = with-iomem=relaxed ]; then
		t hvmem-hidden FAIL "read at $start failed ($err): hvpatch should have answered zeros"
	else
		t hvmem-hidden PASS "read at $start refused ($why): $err"
	fi
elif [ $protected = 1 ] && [ "$hex" != 00000000000000000000000000000000 ]; then
	t hvmem-hidden FAIL "read at $start returned $hex, not zeros"
else
	t hvmem-hidden PASS "read at $start returned ${hex:-nothing}, not $magic"
fi
