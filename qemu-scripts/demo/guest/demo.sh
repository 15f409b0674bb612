#!/bin/sh
# The demo, in the guest: before, apply, after, revert, refusals, an
# attack on kernel text, the audit log.  Every step is echoed as
# "HVP-DEMO: ..." for the transcript and asserted as "HVP-TEST demo-..."
# for the verdict.  The bundles are in /bin (built on the host by make demo).
say() { echo "HVP-DEMO: $*"; }
run() { # run CMD...: shows the command and its output; output kept in $out
	say "\$ $*"
	out=$("$@" 2>&1)
	status=$?
	printf '%s\n' "$out" | sed 's/^/HVP-DEMO:   /'
	return $status
}
check() { # check NAME CONDITION-STATUS DETAIL
	if [ "$2" = 0 ]; then echo "HVP-TEST demo-$1 PASS $3"; else echo "HVP-TEST demo-$1 FAIL $3"; fi
}
marker=hvpatch-demo=patched
text_hash() { hvp-ksyms cmdline_proc_show | sed -n 's/^HVP-KBYTES cmdline_proc_show //p' | sha256sum | cut -c1-16; }

say "=== hvpatch demo: live-patching cmdline_proc_show (/proc/cmdline) ==="
run hvpatchctl status
printf '%s\n' "$out" | grep -q 'protection: LOCKED'; check locked $? "protection is locked"
hash_before=$(text_hash)

say "--- 1. before: /proc/cmdline as the kernel prints it"
run cat /proc/cmdline
printf '%s\n' "$out" | grep -q "$marker"; [ $? != 0 ]; check before $? "no marker before apply"

say "--- 2. apply the signed patch"
t0=$(cut -d' ' -f1 /proc/uptime)
run hvpatchctl apply /bin/demo-good.hvp
check apply $? "$out"
id=$(printf '%s\n' "$out" | sed -n 's/^applied: patch id //p')
run cat /proc/cmdline
t1=$(cut -d' ' -f1 /proc/uptime)
printf '%s\n' "$out" | grep -q "$marker"; check after-apply $? "marker shows ($t0 s -> $t1 s uptime)"
run hvpatchctl list

say "--- 3. revert it"
run hvpatchctl revert "$id"
check revert $? "$out"
run cat /proc/cmdline
printf '%s\n' "$out" | grep -q "$marker"; [ $? != 0 ]; check after-revert $? "marker gone"
hash_after=$(text_hash)
[ -n "$hash_before" ] && [ "$hash_before" = "$hash_after" ]; check text-identical $? "text bytes sha256 $hash_before before, $hash_after after revert"

say "--- 4. refusals"
refused() { # refused NAME BUNDLE STATUS
	run hvpatchctl apply "$2"
	rc=$?
	[ $rc = 3 ] && printf '%s\n' "$out" | grep -q "REFUSED: $3"; check "$1" $? "exit $rc, wanted REFUSED: $3"
}
say "a forged bundle (one byte of the code changed after signing):"
refused forged /bin/demo-forged.hvp HVP_E_BAD_SIGNATURE
say "a bundle for another kernel build:"
refused other-build /bin/demo-other-build.hvp HVP_E_WRONG_BUILD
say "a bundle signed with a key the hypervisor does not know:"
refused unknown-key /bin/demo-unknown-key.hvp HVP_E_UNKNOWN_KEY
say "the good bundle again (a replay of sequence 1):"
refused replay /bin/demo-good.hvp HVP_E_REPLAY

say "--- 5. a kernel module clears CR0.WP and writes into kernel text"
target=$(awk '$3 == "cmdline_proc_show" { print $1; exit }' /proc/kallsyms)
run insmod /lib/hvpatch/hvp_attack.ko mode=cr0 target_addr=0x$target
[ $? != 0 ]; check attack-cr0 $? "insmod failed (the module was stopped)"
say "the same write through a fresh writable alias of the page:"
run insmod /lib/hvpatch/hvp_attack.ko mode=alias target_addr=0x$target
[ $? != 0 ]; check attack-alias $? "insmod failed (the write was stopped)"
dmesg | grep -q 'WRITE SUCCEEDED'; [ $? != 0 ]; check attack-no-write $? "no attack write went through"
[ "$(text_hash)" = "$hash_before" ]; check attack-text-intact $? "text unchanged"
run cat /proc/cmdline

say "--- 6. the hypervisor's audit log and counters"
run hvpatchctl log
printf '%s\n' "$out" | grep -qi 'blocked'; check log-blocked $? "blocked write in the audit log"
run hvpatchctl counters
say "=== end of demo ==="
