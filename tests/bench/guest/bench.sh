#!/bin/sh
# `make bench-guest`, in the guest (run by /init).  hvp.bench= on the
# command line picks the part this boot measures:
#   hvpatch    (locked)  apply/revert rounds of the demo's patch, reads of
#              /proc/cmdline unpatched and patched, exits per workload
#   livepatch  (under hvpatch, not locked: livepatch writes kernel text
#              through ftrace)  the same change as a kernel livepatch
#   baseline   (no hypervisor)  the workloads alone
# hvp.bench.rounds=N (default 20) and hvp.bench.quick=1 (short workloads)
# make the smoke run in `make test`.  Results are "HVP-BENCH ..." lines
# that tests/bench/guest-report.py turns into tables; only a failure to do
# the work is a FAIL, never a time.
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n1; }
# Straight to the console, not through /init (which prints a test's
# output when it ends), so that a slow run shows its progress.
b() { echo "HVP-BENCH $*" >/dev/console; }
fail() { echo "HVP-TEST bench-$mode FAIL $*"; exit 1; }
mode=$(arg hvp.bench)
rounds=$(arg hvp.bench.rounds)
rounds=${rounds:-20}
marker=hvpatch-demo=patched
klp=/sys/kernel/livepatch/hvp_klp_cmdline
scale=1
idle=10
if [ "$(arg hvp.bench.quick)" = 1 ]; then scale=20; idle=1; fi

b mode "$mode" rounds="$rounds" cpus="$(grep -c ^processor /proc/cpuinfo)"
b tsc_khz "$(dmesg | sed -n 's/.*tsc: Detected \([0-9]*\)\.\([0-9]\)\([0-9]*\) MHz.*/\1\2\3/p' | head -n1)"

# Exits so far, "name=count ..." (hvpatchctl counters' table: number,
# name, count; in a name, what is not a letter or digit becomes _).
exits() {
	hvpatchctl counters | awk '/^vm exits:/ { f = 1; next }
		f && $1 ~ /^[0-9]+$/ && NF >= 3 {
			n = $2; for (i = 3; i < NF; i++) n = n "_" $i
			gsub(/[^A-Za-z0-9_]/, "_", n); printf "%s=%s ", n, $NF }'
}

# workload NAME COMMAND...: guest time, and under hvpatch the exits.
workload() {
	name=$1
	shift
	[ "$mode" = baseline ] || before=$(exits)
	out=$("$@") || fail "workload $name"
	[ "$mode" = baseline ] || after=$(exits)
	b workload "$mode" "$name" "$out" before: $before after: $after
}
workloads() {
	# The counter reads' own exits (starting hvpatchctl twice), which the
	# report takes off every workload's.
	workload none hvp-bench syscalls 0
	t0=$(cut -d' ' -f1 /proc/uptime)
	[ "$mode" = baseline ] || before=$(exits)
	sleep $idle
	t1=$(cut -d' ' -f1 /proc/uptime)
	[ "$mode" = baseline ] || after=$(exits)
	b workload "$mode" idle "ns=$(echo "$t0 $t1" | awk '{ printf "%.0f", ($2 - $1) * 1e9 }')" \
		before: $before after: $after
	workload syscalls hvp-bench syscalls $((200000 / scale))
	workload ctxsw hvp-bench ctxsw $((20000 / scale))
	workload forkexec hvp-bench forkexec $((200 / scale))
	workload pagefault hvp-bench pagefault $((20000 / scale))
}

# /proc/cmdline reads per second over 250 ms, patched after an apply and
# unpatched after the revert, in the first $read_rounds rounds: the report
# takes the median of each, since one reading moves by a percent or so.
read_rounds=5
reads() { [ "$2" -le $read_rounds ] && b reads "$1" "$(hvp-bench reads 250)"; }

hold() { hvpatchctl --json status | sed -n 's/.*"last_hold_cycles": \([0-9]*\).*/\1/p'; }

# The same-body patch (tests/bench/patch/cmdline_same.c) changes nothing a
# reader sees, only how cmdline_proc_show is reached: its reads give the
# redirection's own cost, without the demo patch's longer output.
same_rounds=3
[ "$(arg hvp.bench.quick)" = 1 ] && same_rounds=1

case $mode in
hvpatch)
	hvpatchctl status | grep -q 'protection: LOCKED' || fail "not locked"
	i=1
	while [ $i -le "$rounds" ]; do
		out=$(hvp-bench change $marker present -- hvpatchctl apply "/bin/demo-seq$((i + 1)).hvp") ||
			fail "apply round $i: $out"
		id=$(printf '%s\n' "$out" | sed -n 's/^applied: patch id //p')
		b apply hvpatch "$(printf '%s\n' "$out" | grep cmd_us=)" hold_cycles=$(hold)
		reads hvpatch $i
		out=$(hvp-bench change $marker absent -- hvpatchctl revert "$id") ||
			fail "revert round $i: $out"
		b revert hvpatch "$(printf '%s\n' "$out" | grep cmd_us=)" hold_cycles=$(hold)
		reads unpatched $i
		i=$((i + 1))
	done
	i=1
	while [ $i -le $same_rounds ]; do
		out=$(hvpatchctl apply "/bin/same-seq$((39 + i)).hvp") || fail "same-body apply $i: $out"
		id=$(printf '%s\n' "$out" | sed -n 's/^applied: patch id //p')
		reads hvpatch-same $i
		hvpatchctl revert "$id" >/dev/null || fail "same-body revert $i"
		i=$((i + 1))
	done
	workloads
	;;
livepatch)
	[ -d /sys/kernel/livepatch ] || fail "no CONFIG_LIVEPATCH"
	addr=0x$(awk '$3 == "saved_command_line" { print $1; exit }' /proc/kallsyms)
	i=1
	while [ $i -le "$rounds" ]; do
		# The transition file reads 0 once every task runs the new code;
		# a disabled patch's directory goes away when it is done.
		out=$(hvp-bench change $marker present $klp/transition=0 -- \
			insmod /lib/hvpatch/hvp_klp_cmdline.ko saved_command_line_addr="$addr") ||
			fail "livepatch round $i: $out"
		b apply livepatch "$out"
		reads livepatch $i
		out=$(hvp-bench change $marker absent $klp/transition=0 -- \
			sh -c "echo 0 > $klp/enabled") || fail "livepatch disable round $i: $out"
		b revert livepatch "$out"
		rmmod hvp_klp_cmdline || fail "rmmod round $i"
		reads unpatched $i
		i=$((i + 1))
	done
	i=1
	while [ $i -le $same_rounds ]; do
		out=$(hvp-bench change $marker absent $klp/transition=0 -- insmod \
			/lib/hvpatch/hvp_klp_cmdline.ko saved_command_line_addr="$addr" same_body=1) ||
			fail "same-body livepatch $i: $out"
		reads livepatch-same $i
		out=$(hvp-bench change $marker absent $klp/transition=0 -- \
			sh -c "echo 0 > $klp/enabled") || fail "same-body disable $i: $out"
		rmmod hvp_klp_cmdline || fail "same-body rmmod $i"
		i=$((i + 1))
	done
	;;
baseline)
	workloads
	;;
*)
	fail "hvp.bench=$mode: hvpatch, livepatch or baseline"
	;;
esac
echo "HVP-TEST bench-$mode PASS $rounds rounds"
b done
