#!/bin/sh
# The cost of translation pinning (issue 10): two processes ping-pong a
# byte through two pipes, so every round trip switches address spaces at
# least twice, and under hvpatch after lock every switch is a MOV to CR3
# that exits.  Prints the guest time, the context switches (/proc/stat
# ctxt) and, under hvpatch, the VM exits of the loop: control-register
# accesses (28) and EPT violations (48), per context switch.  It fails if
# a round trip is lost (the echo side died, say of a refused CR3 load).
t() { echo "HVP-TEST $*"; }
ROUNDS=1000
ctxt() { sed -n 's/^ctxt //p' /proc/stat; }
exits() { # exits REASON: summed over the vCPUs, 0 without hvpatch
	hvpatchctl --json counters 2>/dev/null |
		sed -n "s/.*\"exits\": {[^}]*\"$1\": \([0-9]*\).*/\1/p" | grep . || echo 0
}
# Guest time in seconds, to the nanosecond from /proc/timer_list where
# the kernel has it (/proc/uptime counts hundredths).
now() {
	sed -n 's/^now at \([0-9]*\) nsecs$/\1/p' /proc/timer_list 2>/dev/null |
		awk '{ printf "%.6f\n", $1 / 1e9; exit }' | grep . || cut -d' ' -f1 /proc/uptime
}

rm -f /tmp/ping /tmp/pong
mkfifo /tmp/ping /tmp/pong
# The echo side: one process, its own address space.
( exec 3</tmp/ping 4>/tmp/pong; while read -r x <&3; do echo "$x" >&4; done ) &
exec 5>/tmp/ping 6</tmp/pong
c0=$(ctxt) cr0=$(exits 28) ept0=$(exits 48) t0=$(now)
i=0
while [ $i -lt $ROUNDS ]; do
	echo $i >&5
	read -r x <&6
	i=$((i + 1))
done
t1=$(now) c1=$(ctxt) cr1=$(exits 28) ept1=$(exits 48)
exec 5>&- 6<&-
wait
rm -f /tmp/ping /tmp/pong
switches=$((c1 - c0))
detail="$ROUNDS round trips in $(echo "$t0 $t1" | awk '{ printf "%.4f", $2 - $1 }') s guest time, $switches context switches, CR exits $((cr1 - cr0)), EPT violations $((ept1 - ept0))"
[ $switches -gt 0 ] && detail="$detail ($(echo "$((cr1 - cr0)) $((ept1 - ept0)) $switches" |
	awk '{ printf "%.2f CR and %.2f EPT exits per switch", $1 / $3, $2 / $3 }'))"
if [ "$x" != $((ROUNDS - 1)) ]; then
	t ctxsw-cost FAIL "round trip $i came back as '$x': $detail"
elif [ "$cr1" = 0 ]; then
	t ctxsw-cost PASS "(no hvpatch counters) $detail"
else
	t ctxsw-cost PASS "$detail"
fi
