#!/bin/sh
# Steady-state VM exits (issue 11), run by /init after the agent checks.
#   HVP-TEST <name> PASS|FAIL|SKIP|UNPROTECTED <detail>
# cpu-online: CPU 1 goes offline and comes back (an INIT and a SIPI after
# the APIC start-up window closed).  idle-exits: then the guest sleeps
# hvp.idle=SECONDS (default 2) and the exits by reason over that time,
# taken from `hvpatchctl --json counters` and /proc/uptime, are printed per
# second of guest time.  With the kernel locked and every CPU up, writes
# to the local APIC (EOI, timer) must not exit: no EPT violation may occur
# while idle.  The counter reads themselves add one VMCALL and the CPUIDs
# of hvpatchctl's start-up.
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n1; }
t() { echo "HVP-TEST $*"; }

case $(hvp-cpuid | sed -n 's/^leaf40000000_vendor=//p') in
hvpatch*) ;;
*)
	t idle-exits UNPROTECTED "no hvpatch hypervisor"
	exit 0
	;;
esac
if grep -qw 'hvp.lock=0' /proc/cmdline; then
	t idle-exits SKIP "hvp.lock=0: the start-up window stays open until lock"
	exit 0
fi

# --- CPU 1 offline and online again -----------------------------------
online=/sys/devices/system/cpu/cpu1/online
if [ ! -w "$online" ]; then
	t cpu-online SKIP "no $online"
else
	echo 0 >"$online"
	off=$?:$(cat "$online"):$(grep -c ^processor /proc/cpuinfo)
	echo 1 >"$online"
	on=$?:$(cat "$online"):$(grep -c ^processor /proc/cpuinfo)
	if [ "${off%%:*}" = 0 ] && [ "${off#*:}" = "0:$(($(arg hvp.cpus) - 1))" ] &&
		[ "$on" = "0:1:$(arg hvp.cpus)" ]; then
		t cpu-online PASS "cpu1 offline (exit:online:cpus $off) and online again ($on)"
	else
		t cpu-online FAIL "offline gave $off, online gave $on (exit:online:cpus); $(dmesg | grep -iE 'cpu ?1' | tail -n 3 | tr '\n' ';')"
	fi
fi

# --- exits while idle --------------------------------------------------
# measure SECONDS: "GUEST-SECONDS REASON:EXITS:PER-SECOND..." for the exits
# between two counter reads with `sleep SECONDS` between them.  Few
# programs, since each costs exits of its own (the CPUIDs of its start-up).
measure() {
	read -r t0 _ </proc/uptime
	b=$(hvpatchctl --json counters)
	sleep "$1"
	a=$(hvpatchctl --json counters)
	read -r t1 _ </proc/uptime
	printf '%s\n%s\n' "$b" "$a" | awk -v t0="$t0" -v t1="$t1" '
		match($0, /"exits": [{][^}]*[}]/) {
			n = split(substr($0, RSTART + 10, RLENGTH - 11), kv, /, /)
			for (i = 1; i <= n; i++) {
				split(kv[i], p, /: /)
				gsub(/"/, "", p[1])
				if (NR == 1) was[p[1]] = p[2]; else now[p[1]] = p[2]
			}
		}
		END {
			s = t1 - t0
			if (s <= 0) s = 0.01
			printf "%.2f", s
			for (r in now)
				if (now[r] - was[r] > 0)
					printf " %s:%d:%d", r, now[r] - was[r], (now[r] - was[r]) / s
			print ""
		}'
}
idle=$(arg hvp.idle)
# The reads and the sleep cost exits of their own (starting hvpatchctl
# writes page tables, which translation pinning emulates): a run with no
# sleep shows them.  Beyond those, a kernel thread may still write a
# guarded page table while we sleep, so up to 4 EPT violations pass;
# trapped APIC writes would give 13 or more in 2 s (6.5/s per idle CPU).
cal=$(measure 0)
got=$(measure "${idle:-2}")
ept() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n 's/^48:\([0-9]*\):.*/\1/p'; }
summary="reason:exits:per-second over ${got%% *} s of guest time idle: ${got#* }; the same reads with no sleep (${cal%% *} s): ${cal#* }"
if [ "$got" = "${got%% *}" ]; then
	t idle-exits FAIL "no exits counted (hvpatchctl --json counters failed?): $got"
elif [ "$(ept "$got")" -gt "$(($(ept "$cal") + 4))" ] 2>/dev/null; then
	t idle-exits FAIL "more EPT violations while idle than the reads cost (APIC writes still trapped?): $summary"
else
	t idle-exits PASS "$summary"
fi
