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
ksym() { awk -v s="$1" '$3 == s { print "0x" $1; exit }' /proc/kallsyms; }
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
target=$(ksym cmdline_proc_show)
run insmod /lib/hvpatch/hvp_attack.ko mode=cr0 target_addr=$target
[ $? != 0 ]; check attack-cr0 $? "insmod failed (the module was stopped)"
say "the same write through a fresh writable alias of the page:"
run insmod /lib/hvpatch/hvp_attack.ko mode=alias target_addr=$target
[ $? != 0 ]; check attack-alias $? "insmod failed (the write was stopped)"
dmesg | grep -q 'WRITE SUCCEEDED'; [ $? != 0 ]; check attack-no-write $? "no attack write went through"
[ "$(text_hash)" = "$hash_before" ]; check attack-text-intact $? "text unchanged"
run cat /proc/cmdline

say "--- 6. the attacker's view"
attack() { # attack MODE [ARGS]: loads the attacker, shows what it logged
	dmesg -c >/dev/null
	run insmod /lib/hvpatch/hvp_attack.ko mode="$@"
	attack_log=$(dmesg | grep 'hvp_attack')
	printf '%s\n' "$attack_log" | sed 's/^/HVP-DEMO:   dmesg: /'
}
statuses() { printf '%s\n' "$attack_log" | sed -n 's/.*: status \(-\{0,1\}[0-9]*\)$/\1/p' | tr '\n' ' '; }
say "re-registering and re-locking after lock (HVP_E_LOCKED is 23):"
attack register
# busybox's insmod tries twice (finit_module, then init_module): both runs
# are in the log, and both must be refused.
set -- $(statuses)
[ "$1 $2 $3" = "23 23 23" ] && ! printf '%s\n' "$(statuses)" | grep -qv '^\(23 \)*$'
check attack-register $? "statuses $(statuses)"
say "page lists into the hypervisor's memory and into MMIO (HVP_E_BAD_POINTER is 4):"
attack hvmem
set -- $(statuses)
[ "$1 $2 $4" = "4 4 4" ]; check attack-hvmem $? "hypervisor memory: $1 $2 $4"
[ "$3" = 4 ]; check attack-mmio $? "MMIO: $3"
say "a hypercall from ring 3 (HVP_E_CPL is 3):"
run hvp-vmcall
[ "$out" = "status 3" ]; check attack-ring3 $? "$out"
say "a blocked write, then 10,000 hypercalls from ring 3 to push it out of the logs:"
run insmod /lib/hvpatch/hvp_attack.ko mode=alias target_addr=$target
blocked=$(hvpatchctl log | awk '$3 == "BLOCKED_WRITE" { s = $1 } END { print s }')
run hvp-vmcall 10000
[ "$out" = "status 3 x10000" ]; check attack-flood $? "$out"
out=$(hvpatchctl log 2>&1)
printf '%s\n' "$out" | grep '^\[dropped' | sed 's/^/HVP-DEMO:   /'
[ -n "$blocked" ] && printf '%s\n' "$out" | awk -v s="$blocked" '$1 == s && $3 == "BLOCKED_WRITE" { f = 1 } END { exit !f }' &&
	printf '%s\n' "$out" | grep -q '^\[dropped: [0-9]* HVP_E_CPL refusals were counted but not recorded (rate limit)\]$' &&
	hvpatchctl --json hvlog | grep -q '"unrecorded": {[^}]*"HVP_E_CPL": [0-9]'
check flood-kept-blocked $? "blocked write (serial $blocked) still in the audit log after the flood; the drops are reported"
say "writing the patch arena through an alias:"
arena=$(hvpatchctl status | sed -n 's/^ *arena *\(0x[0-9a-f]*\).*/\1/p')
attack arena arena_addr=$arena
printf '%s\n' "$attack_log" | grep -q 'blocked'; check attack-arena $? "arena $arena: $(printf '%s' "$attack_log" | tail -n1)"
say "a JMP to a forged target at a static-key site, written the way text_poke() writes:"
attack jumplabel jump_table_addr=$(ksym __start___jump_table) jump_table_end=$(ksym __stop___jump_table) \
	stext=$(ksym _stext) etext=$(ksym _etext)
# The hypervisor's reason: a site it knows, in a state the site never has.
why=$(hvpatchctl hvlog | grep 'is not a static-key switch' | tail -n1)
printf 'HVP-DEMO:   hvlog: %s\n' "$why"
printf '%s\n' "$attack_log" | grep -q 'blocked; site .*, unchanged' &&
	! printf '%s\n' "$attack_log" | grep -q 'CHANGED' &&
	printf '%s\n' "$why" | grep -q 'HVP_E_PREIMAGE$'
check attack-jump-label $? "$(printf '%s' "$attack_log" | grep 'blocked' | tail -n1 | sed 's/.*hvp_attack: //')"
say "remapping text instead of writing it: its PTE (or 2 MiB PMD), its PMD, a new PGD in CR3:"
for level in pte pmd pgd; do
	attack remap level=$level target_addr=$(ksym version_proc_show)
	why=$(hvpatchctl hvlog | grep 'refused \(page-table write\|MOV to CR3\)' | tail -n1)
	printf 'HVP-DEMO:   hvlog: %s\n' "${why#*HVPATCH: }"
	printf '%s\n' "$attack_log" | grep -q "remap $level: the write faulted (#GP): blocked; translation unchanged" &&
		! printf '%s\n' "$attack_log" | grep -q 'WRITTEN\|CHANGED' &&
		{ [ $level != pgd ] || printf '%s\n' "$attack_log" | grep -q 'loading it faulted'; } &&
		grep -q 'Linux version' /proc/version
	check attack-remap-$level $? "$(printf '%s' "$attack_log" | tail -n1 | sed 's/.*hvp_attack: //')"
done
# Hooks that leave text alone: each refused (#GP), the guest alive after.
blocked_only() { # blocked_only WHAT...: each WHAT line blocked, nothing SUCCEEDED
	for w in "$@"; do
		printf '%s\n' "$attack_log" | grep -qF "$w: blocked (#GP)" || return 1
	done
	! printf '%s\n' "$attack_log" | grep -q 'SUCCEEDED'
}
allowed() { printf '%s\n' "$attack_log" | grep -qF "$1: allowed"; }
say "an execute breakpoint (DR0, DR7) on cmdline_proc_show, the hook of a #DB handler:"
attack dr7 target_addr=$target
blocked_only "execute breakpoint on target (DR7.L0)" "armed breakpoint moved to target (DR1)" &&
	allowed "execute breakpoint on module code (DR7.L1)" &&
	allowed "write watchpoint on target (DR7.L0, R/W 01)"
check attack-dr7 $? "hook refused; a breakpoint on module code and a watchpoint on text allowed"
run cat /proc/cmdline
say "the system-call entry (IA32_LSTAR) pointed at a stub, and EFER.NXE cleared, on each CPU:"
attack lstar
blocked_only "cpu 0: LSTAR -> stub" "cpu 1: LSTAR -> stub" "cpu 0: EFER.NXE cleared" "cpu 1: EFER.NXE cleared" &&
	allowed "cpu 0: LSTAR rewritten unchanged" && allowed "cpu 1: LSTAR rewritten unchanged"
check attack-lstar $? "LSTAR and EFER.NXE changes refused on both CPUs, the same LSTAR allowed"
say "LIDT to a copy of the IDT:"
attack idt
blocked_only "LIDT of a copy" && allowed "LIDT of the same table" &&
	printf '%s\n' "$attack_log" | grep -q 'IDTR unchanged'
check attack-idt $? "LIDT of a copy refused, IDTR unchanged"
say "INT3 parked on the static-key sites of sched_schedstats for 200 ms, with a hook on the kernel's #BP path:"
int3_before=$(hvpatchctl --json counters | sed -n 's/.*"jump_label_int3": \([0-9]*\).*/\1/p')
attack int3park key_addr=$(ksym sched_schedstats) jump_table_addr=$(ksym __start___jump_table) \
	jump_table_end=$(ksym __stop___jump_table) stext=$(ksym _stext) etext=$(ksym _etext)
int3_after=$(hvpatchctl --json counters | sed -n 's/.*"jump_label_int3": \([0-9]*\).*/\1/p')
say "INT3s at the parked sites run by the hypervisor: $int3_before before, $int3_after after"
printf '%s\n' "$attack_log" | grep -q "kernel's #BP path saw 0 INT3s at parked sites: never" &&
	printf '%s\n' "$attack_log" | grep -q 'INT3 parked on [1-9][0-9]* sites .*(0 writes refused)' &&
	! printf '%s\n' "$attack_log" | grep -q 'still cc' &&
	[ "${int3_after:-0}" -gt "${int3_before:-0}" ]
check attack-int3 $? "the hook never ran; $((int3_after - int3_before)) INT3s run by the hypervisor"
hvpatchctl log | grep -q BLOCKED_CONTROL; check pins-audited $? "refused changes of pinned state are in the audit log"
say "changing the bundle from the other vCPU while APPLY runs:"
attack race bundle=/bin/demo-seq30.hvp
printf '%s\n' "$attack_log" | grep -q 'while another CPU changes the bundle: status'; check attack-race $? "$(statuses)(the copy is taken once; a torn copy fails its signature)"
[ "$(text_hash)" = "$hash_before" ]; check attack-text-intact $? "text unchanged after the attacks"

say "--- 7. apply and revert 20 times while both vCPUs call the patched function"
base=$(cat /proc/cmdline)
rm -f /tmp/stop
for cpu in 0 1; do
	taskset -c $cpu sh -c '
		n=0 bad=0
		while [ ! -e /tmp/stop ]; do
			c=$(cat /proc/cmdline)
			if [ "$c" = "$1" ] || [ "$c" = "$1 $2" ]; then n=$((n + 1)); else bad=$((bad + 1)); echo "HVP-DEMO: MIXED OUTPUT: $c"; fi
		done
		echo "$n $bad" >/tmp/load.$3' sh "$base" "$marker" $cpu &
done
rounds=0
for seq in $(seq 2 21); do
	o=$(hvpatchctl apply /bin/demo-seq$seq.hvp) || { echo "HVP-DEMO: apply $seq: $o"; continue; }
	i=$(printf '%s\n' "$o" | sed -n 's/^applied: patch id //p')
	hvpatchctl revert "$i" >/dev/null && rounds=$((rounds + 1))
done
touch /tmp/stop
wait
read n0 b0 </tmp/load.0
read n1 b1 </tmp/load.1
say "rounds of apply + revert: $rounds; reads of /proc/cmdline: cpu0 $n0 ($b0 mixed), cpu1 $n1 ($b1 mixed)"
[ "$rounds" = 20 ]; check load-rounds $? "$rounds of 20 apply/revert rounds"
[ "$b0" = 0 ] && [ "$b1" = 0 ] && [ "$n0" -gt 0 ] && [ "$n1" -gt 0 ]; check load-consistent $? "cpu0 $n0 reads, cpu1 $n1 reads, none mixed"
[ "$(text_hash)" = "$hash_before" ]; check load-text-intact $? "text identical after 20 rounds"

say "--- 8. the hypervisor's audit log and counters"
run hvpatchctl log
printf '%s\n' "$out" | grep -qi 'blocked'; check log-blocked $? "blocked write in the audit log"
say "\$ hvpatchctl hvlog   (the hypervisor's own log; its last patch lines)"
out=$(hvpatchctl hvlog 2>&1)
status=$?
printf '%s\n' "$out" | grep '^patch: ' | tail -n 6 | sed 's/^/HVP-DEMO:   /'
[ $status = 0 ] && printf '%s\n' "$out" | grep -q '^patch: applied #' &&
	printf '%s\n' "$out" | grep -q '^patch: refused apply: HVP_E_BAD_SIGNATURE'
check hvlog $? "exit $status, $(printf '%s\n' "$out" | wc -l) lines with the applies and the forged bundle's refusal"
run hvpatchctl counters
run hvpatchctl status
say "=== end of demo ==="
