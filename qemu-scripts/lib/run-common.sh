# qemu-scripts/lib/run-common.sh: sourced by run-bochs.sh, run-libvirt.sh
# and run-qemu.sh, for what every runner does the same way.

# hvp_run_option OPTION VALUE: takes one of the options every runner has,
# setting the runner's variable of that name; returns 1 for any other.
hvp_run_option() {
	case $1 in
	--esp) esp=$2 ;;
	--cpus) cpus=$2 ;;
	--timeout) timeout=$2 ;;
	--mem) mem=$2 ;;
	--require) require=$2 ;;
	--forbid) forbid=$2 ;;
	--stop-on) stop_on=$2 ;;
	--fail-on) fail_on=$2 ;;
	--name) name=$2 ;;
	--logdir) logdir=$2 ;;
	*) return 1 ;;
	esac
}

# hvp_stop_emulator PID DISK: at exit, stops the serial watcher and an
# emulator still running (timeout(1) forwards its signal; the wait makes
# sure it is gone), then removes the run's copy of the disk.
hvp_stop_emulator() {
	hvp_watch_stop
	if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
		kill "$1" 2>/dev/null || true
		wait "$1" 2>/dev/null || true
	fi
	rm -f "$2"
}

# hvp_wait_emulator RUNNER PID LOG: waits for the emulator, ending it early
# when a --stop-on or --fail-on marker shows up in LOG (and then setting
# `ended` to why); sets `rc` to the emulator's exit status.
hvp_wait_emulator() {
	local runner=$1 emulator=$2 log=$3
	ended=
	while kill -0 "$emulator" 2>/dev/null; do
		if ended=$(hvp_check_stop "$log" "$stop_on" "$fail_on"); then
			kill "$emulator" 2>/dev/null || true
			echo "$runner: $name: stopped early: $ended"
			break
		fi
		sleep 0.5
	done
	rc=0
	wait "$emulator" || rc=$?
}
