#!/bin/sh
# Guest agent checks (issue 4), run by /init after it loaded hvpatch.ko.
#   HVP-TEST <name> PASS|FAIL|SKIP <detail>
# No hvpatch CPUID leaf: the module must load anyway, say UNPROTECTED, and
# hvpatchctl must exit 2 with "no hvpatch hypervisor".  Under hvpatch: the
# module must have locked, `hvpatchctl status` must say LOCKED, the module
# must refuse to unload, and a refusal must reach user space by name.
t() { echo "HVP-TEST $*"; }
log=$(dmesg | grep 'hvpatch: ')

if grep -q '^hvpatch ' /proc/modules && [ -c /dev/hvpatch ]; then
	t agent-load PASS "hvpatch.ko loaded, /dev/hvpatch is a character device"
else
	t agent-load FAIL "hvpatch.ko not loaded or no /dev/hvpatch"
fi

# ctl ARGS...: runs hvpatchctl, sets $rc and $out (stdout and stderr).
ctl() {
	rc=0
	out=$(hvpatchctl "$@" 2>&1) || rc=$?
}

vendor=$(hvp-cpuid | sed -n 's/^leaf40000000_vendor=//p')
case $vendor in
hvpatch*) ;;
*)
	ctl status
	if ! printf '%s\n' "$log" | grep -q 'no hvpatch hypervisor.*runs UNPROTECTED'; then
		t agent-unprotected FAIL "no 'runs UNPROTECTED' message from hvpatch.ko"
	elif [ "$rc" != 2 ] || ! printf '%s\n' "$out" | grep -q '^hvpatchctl: status: no hvpatch hypervisor'; then
		t agent-unprotected FAIL "hvpatchctl status: exit $rc, '$out' (want exit 2, 'no hvpatch hypervisor')"
	else
		t agent-unprotected PASS "vendor '$vendor': module says UNPROTECTED; hvpatchctl status exit 2: $out"
	fi
	# --json: one JSON object on stdout even on errors (the message goes
	# to stderr).
	rc=0
	out=$(hvpatchctl --json status 2>/dev/null) || rc=$?
	case $rc:$out in
	2:'{"command": "status", "ok": false, "refused": false, "errno": 19, '*) t agent-json PASS "$out" ;;
	*) t agent-json FAIL "exit $rc: $out" ;;
	esac
	exit 0
	;;
esac

# Under hvpatch.
if printf '%s\n' "$log" | grep -q 'answers no hypercalls'; then
	t agent-locked FAIL "the hypervisor answers no hypercalls"
	exit 0
fi
if grep -qw 'hvp.lock=0' /proc/cmdline; then
	t agent-locked SKIP "hvp.lock=0 on the command line"
else
	ctl status
	if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^protection: LOCKED$' &&
		printf '%s\n' "$log" | grep -q 'hvpatch: locked: '; then
		t agent-locked PASS "$(printf '%s\n' "$out" | tr '\n' ';')"
	else
		t agent-locked FAIL "hvpatchctl status exit $rc: $(printf '%s\n' "$out" | tr '\n' ';')"
	fi
	# Status says plainly which kernel code can run (no MBEC in Bochs).
	if printf '%s\n' "$out" | grep -q '^kernel exec: '; then
		t agent-kernel-exec PASS "$(printf '%s\n' "$out" | grep '^kernel exec: ')"
	else
		t agent-kernel-exec FAIL "no 'kernel exec:' line in hvpatchctl status"
	fi
	# The arena is live code for the hypervisor: the module must stay.
	if rmmod hvpatch 2>/dev/null; then
		t agent-pinned FAIL "rmmod hvpatch succeeded after lock"
	else
		t agent-pinned PASS "rmmod hvpatch refused"
	fi
fi
# A static key switched after lock, both ways: kernel.sched_schedstats
# rewrites its jump-label sites in locked text, which the hypervisor does
# for the kernel (three steps per site).  Without it the kernel oopses in
# text_poke() and the writer dies.
jump_writes() { hvpatchctl --json counters | sed -n 's/.*"jump_label_writes": \([0-9]*\).*/\1/p'; }
oopses() { dmesg | grep -cE 'general protection fault|Oops|BUG:'; }
if grep -qw 'hvp.lock=0' /proc/cmdline; then
	t agent-static-key SKIP "hvp.lock=0 on the command line"
else
	w0=$(jump_writes) o0=$(oopses)
	sh -c 'echo 1 >/proc/sys/kernel/sched_schedstats'
	on=$?:$(cat /proc/sys/kernel/sched_schedstats)
	sh -c 'echo 0 >/proc/sys/kernel/sched_schedstats'
	off=$?:$(cat /proc/sys/kernel/sched_schedstats)
	w1=$(jump_writes) o1=$(oopses)
	if [ "$on" = 0:1 ] && [ "$off" = 0:0 ] && [ "$o1" = "$o0" ] &&
		[ "${w1:-0}" -ge $((${w0:-0} + 6)) ]; then
		t agent-static-key PASS "sched_schedstats on and off after lock: $((w1 - w0)) switch steps by the hypervisor, no oops"
	else
		t agent-static-key FAIL "on $on, off $off (want 0:1, 0:0); oopses $o0 -> $o1; switch steps $w0 -> $w1"
	fi
fi
# A refusal reaches user space by name, with exit code 3.
ctl revert 4000000000
if [ "$rc" = 3 ] && [ "$out" = "REFUSED: HVP_E_NO_SUCH_PATCH: no applied patch with that id" ]; then
	t agent-refusal PASS "revert of an unknown id: $out"
else
	t agent-refusal FAIL "revert 4000000000: exit $rc: $out"
fi
# APPLY goes through the module's page list: what the hypervisor parses
# must be the file's bytes.  Three pages of non-bundle bytes must be
# refused as BAD_MAGIC, the magic followed by zeros as BAD_VERSION (not
# BAD_POINTER or INVALID, which would mean a bad page list).
head -c 9000 /dev/zero | tr '\0' 'x' >/tmp/garbage.hvp
{ printf 'HVPBNDL1'; head -c 9000 /dev/zero; } >/tmp/v0.hvp
ctl apply /tmp/garbage.hvp
a1="$rc:$out"
ctl apply /tmp/v0.hvp
a2="$rc:$out"
if [ "$a1" = "3:REFUSED: HVP_E_BAD_MAGIC: not a bundle (bad magic)" ] &&
	[ "$a2" = "3:REFUSED: HVP_E_BAD_VERSION: unsupported bundle format version" ]; then
	t agent-apply-refusals PASS "9000-byte non-bundle: BAD_MAGIC; magic + zeros: BAD_VERSION"
else
	t agent-apply-refusals FAIL "non-bundle -> $a1; magic + zeros -> $a2"
fi
ctl counters
if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q 'HVP_E_NO_SUCH_PATCH'; then
	t agent-counters PASS "$(printf '%s\n' "$out" | tr '\n' ';')"
else
	t agent-counters FAIL "exit $rc: $(printf '%s\n' "$out" | tr '\n' ';')"
fi
# The hypervisor's own log, read back by hypercall: its boot lines and the
# refusal of the revert above must be there.
ctl hvlog
if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^EPT: identity map of ' &&
	printf '%s\n' "$out" | grep -q '^patch: refused revert: HVP_E_NO_SUCH_PATCH'; then
	t agent-hvlog PASS "$(printf '%s\n' "$out" | wc -l) lines, the EPT boot line and the refused revert present"
else
	t agent-hvlog FAIL "exit $rc: $(printf '%s\n' "$out" | tail -n 5 | tr '\n' ';')"
fi
ctl log
if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qE ' LOCK +HVP_OK '; then
	t agent-log PASS "$(printf '%s\n' "$out" | wc -l) lines, LOCK event present"
elif grep -qw 'hvp.lock=0' /proc/cmdline && [ "$rc" = 0 ]; then
	t agent-log PASS "lock=0: $(printf '%s\n' "$out" | wc -l) lines"
else
	t agent-log FAIL "exit $rc: $(printf '%s\n' "$out" | tr '\n' ';')"
fi
