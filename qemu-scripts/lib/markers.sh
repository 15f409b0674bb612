# qemu-scripts/lib/markers.sh: sourced by run-bochs.sh, run-libvirt.sh and
# run-qemu.sh.  Emulator exit codes say nothing (Bochs exits 1 however the
# guest ends), so every verdict comes from marker lines in the serial log.
#
# Marker lists are `;`-separated extended regular expressions.

# Always forbidden, whatever the case asks for: these never mean success.
HVP_ALWAYS_FORBIDDEN='Kernel panic;HVP-TEST [^ ]+ FAIL;HVP-INIT: poweroff failed'

# Markers whose first appearance is timed (seconds from the emulator start).
HVP_TIMED_MARKERS='HVP-ACPI: installed;HVPATCH: loader start;HVPATCH: starting next stage;HVP-INIT: reached /init;HVP-INIT: done'

# Markers after which waiting longer is pointless: the run ends at once
# and fails.  Runners add their --fail-on list to these.
HVP_ALWAYS_FATAL='Kernel panic - not syncing'

# hvp_check_stop LOG STOP_ON FAIL_ON: called by the runners' wait loops.
# Prints how the run ended and returns 0 when it should end now:
#   "poweroff"                 a --stop-on marker appeared (e.g. the
#                              fail-closed refusal; the firmware would idle)
#   "fatal marker: LINE"       a --fail-on marker appeared
# Waits 2 s after a match so the lines that follow (the reason, register
# dumps) reach the log too.
hvp_check_stop() {
	local log=$1 stop_on=$2 fail_on=$3 line
	[ -f "$log" ] || return 1
	local fatal="$fail_on;$HVP_ALWAYS_FATAL" m IFS=';'
	for m in $fatal; do
		[ -n "$m" ] || continue
		if line=$(grep -aE -m1 -- "$m" "$log"); then
			sleep 2
			echo "fatal marker: $(printf '%s' "$line" | tr -d '\r')"
			return 0
		fi
	done
	if [ -n "$stop_on" ] && grep -aqE -- "$stop_on" "$log"; then
		sleep 2
		echo poweroff
		return 0
	fi
	return 1
}

hvp_now() { date +%s.%N; }
hvp_elapsed() { awk -v a="$1" -v b="$(hvp_now)" 'BEGIN { printf "%.1f", b - a }'; }

# hvp_watch_start LOG: polls LOG in the background and appends
# "SECONDS<TAB>MARKER" to LOG.times when a timed marker first shows up.
# The serial log is a plain file written by the emulator, so polling is the
# only way to know *when* a line appeared.
hvp_watch_start() {
	local log=$1 t0
	t0=$(hvp_now)
	: >"$log.times"
	(
		IFS=';'
		# shellcheck disable=SC2206
		local pending=($HVP_TIMED_MARKERS) rest m
		while [ ${#pending[@]} -gt 0 ]; do
			rest=()
			for m in "${pending[@]}"; do
				if [ -f "$log" ] && grep -aqE -- "$m" "$log"; then
					printf '%s\t%s\n' "$(hvp_elapsed "$t0")" "$m" >>"$log.times"
				else
					rest+=("$m")
				fi
			done
			pending=("${rest[@]}")
			sleep 0.2
		done
	) &
	HVP_WATCH_PID=$!
}

hvp_watch_stop() {
	if [ -n "${HVP_WATCH_PID:-}" ]; then
		kill "$HVP_WATCH_PID" 2>/dev/null || true
		wait "$HVP_WATCH_PID" 2>/dev/null || true
		HVP_WATCH_PID=
	fi
}

# hvp_marker_time LOG MARKER: seconds recorded for MARKER, or "-".
hvp_marker_time() {
	awk -F'\t' -v m="$2" '$2 == m { print $1; found = 1; exit } END { if (!found) print "-" }' "$1.times"
}

# hvp_verdict NAME LOG REQUIRED FORBIDDEN ENDED_BY
# Prints one line per problem and a closing PASS/FAIL line; returns 0 on
# PASS.  ENDED_BY is "poweroff" when the guest ended the emulator itself,
# anything else (e.g. "timeout") fails the run: a guest that cannot power
# off would hang every later run.
hvp_verdict() {
	local name=$1 log=$2 required=$3 forbidden=$4 ended=$5 m bad=0 IFS=';'
	for m in $required; do
		[ -n "$m" ] || continue
		if ! grep -aqE -- "$m" "$log"; then
			echo "  $name: missing required marker: $m"
			bad=1
		fi
	done
	# One variable, then split: a quoted ";" between two expansions would
	# be a literal character, not a field separator.
	local all_forbidden="$forbidden;$HVP_ALWAYS_FORBIDDEN"
	for m in $all_forbidden; do
		[ -n "$m" ] || continue
		if grep -aqE -- "$m" "$log"; then
			echo "  $name: forbidden marker present: $(grep -aE -m1 -- "$m" "$log" | tr -d '\r')"
			bad=1
		fi
	done
	if [ "$ended" != poweroff ]; then
		echo "  $name: the guest did not end the run itself ($ended)"
		bad=1
	fi
	unset IFS
	local init done_
	init=$(hvp_marker_time "$log" 'HVP-INIT: reached /init')
	done_=$(hvp_marker_time "$log" 'HVP-INIT: done')
	# The test lines are the interesting part of a passing run too.
	grep -aE '^(HVP-TEST|HVPATCH: WARNING|HVPATCH: VT-x)' "$log" | tr -d '\r' | sed 's/^/  | /' || true
	if [ $bad -eq 0 ]; then
		echo "$name: PASS (to /init ${init}s, to done ${done_}s, ended by $ended; log $log)"
		return 0
	fi
	echo "$name: FAIL (to /init ${init}s; last lines of $log:)"
	tail -n 25 "$log" | tr -d '\r' | sed 's/^/  > /'
	return 1
}
