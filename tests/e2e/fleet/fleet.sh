#!/bin/sh
# Fleet bundles (docs/fleet.md, "End to end"), in the locked Bochs boots:
# the bundles in /bin were built once on the host from the kernel's
# vmlinux and signed with the key this boot enrolled.  For each function:
# apply, the marker shows from user space; revert, the marker is gone and
# the text is byte for byte what it was; the same bundle again is a replay.
# Then a correctly signed bundle with a relocation past the image must be
# refused.  The host compares this boot's _text with the other boot's.
#   HVP-FLEET: _text 0x<address>    (and the guest time the checks took)
#   HVP-TEST fleet-<function>-apply|revert|replay|text PASS|FAIL <detail>
#   HVP-TEST fleet-outside-image PASS|FAIL <detail>
t() { echo "HVP-TEST $*"; }
ctl() { # ctl ARGS...: runs hvpatchctl, sets $rc and $out
	rc=0
	out=$(hvpatchctl "$@" 2>&1) || rc=$?
}
functions="version_proc_show loadavg_proc_show uptime_proc_show proc_resctrl_show"
ksyms() { hvp-ksyms "$(echo "$functions" | tr ' ' ,)"; }
# text KSYMS FUNCTION: the function's running bytes in a hvp-ksyms dump
text() { printf '%s\n' "$1" | sed -n "s/^HVP-KBYTES $2 //p"; }

start=$(cut -d' ' -f1 /proc/uptime)
before=$(ksyms)
echo "HVP-FLEET: _text 0x$(printf '%s\n' "$before" | awk '$4 == "_text" { print $2; exit }')"
# The per-CPU read must come from the CPU that runs the reader: the last.
cpu=$(($(grep -c '^processor' /proc/cpuinfo) - 1))

# fleet SEQUENCE FUNCTION MARKER READER...: one function's bundle
fleet() {
	bundle=/bin/fleet-$1-$2.hvp fn=$2 marker=$3
	shift 3
	ctl apply "$bundle"
	id=$(printf '%s\n' "$out" | sed -n 's/^applied: patch id //p')
	seen=$("$@" 2>&1)
	if [ "$rc" = 0 ] && printf '%s\n' "$seen" | grep -qF "$marker"; then
		t "fleet-$fn-apply" PASS "patch $id: $(printf '%s' "$seen" | grep -F "$marker")"
	else
		t "fleet-$fn-apply" FAIL "apply exit $rc: $out; read: $seen"
	fi
	ctl revert "$id"
	if [ "$rc" = 0 ] && ! "$@" 2>&1 | grep -qF "$marker"; then
		t "fleet-$fn-revert" PASS "patch $id reverted, marker gone"
	else
		t "fleet-$fn-revert" FAIL "revert exit $rc: $out"
	fi
	ctl apply "$bundle"
	if [ "$rc" = 3 ] && printf '%s\n' "$out" | grep -q '^REFUSED: HVP_E_REPLAY:'; then
		t "fleet-$fn-replay" PASS "$out"
	else
		t "fleet-$fn-replay" FAIL "exit $rc: $out (want REFUSED: HVP_E_REPLAY)"
	fi
}
fleet 1 version_proc_show hvpatch-fleet=version cat /proc/version
fleet 2 loadavg_proc_show "hvpatch-fleet=loadavg cpu=$cpu" taskset -c "$cpu" cat /proc/loadavg
fleet 3 uptime_proc_show hvpatch-fleet=uptime cat /proc/uptime
fleet 4 proc_resctrl_show hvpatch-fleet=resctrl cat /proc/self/cpu_resctrl_groups

# Signed with the enrolled key, for the right build, a higher sequence:
# only its call to ktime_get_seconds(), aimed one page past _end by
# `hvpatch build --test-only-outside-image`, is wrong.
ctl apply /bin/fleet-outside-image.hvp
if [ "$rc" = 3 ] && printf '%s\n' "$out" | grep -q '^REFUSED: HVP_E_RELOC_OUTSIDE_IMAGE:'; then
	t fleet-outside-image PASS "$out"
else
	t fleet-outside-image FAIL "exit $rc: $out"
fi

after=$(ksyms)
for fn in $functions; do
	b=$(text "$before" "$fn") a=$(text "$after" "$fn")
	if [ -n "$b" ] && [ "$a" = "$b" ]; then
		t "fleet-$fn-text" PASS "$((${#b} / 2)) bytes identical after revert"
	else
		t "fleet-$fn-text" FAIL "text differs after revert (or unreadable)"
	fi
done
echo "HVP-FLEET: checks took $(awk -v s="$start" '{ printf "%.2f", $1 - s }' /proc/uptime) s of guest time"
