# shellcheck shell=bash
# Tiny assertion library for the shell test suites: each check prints one
# line, and check_summary prints "N passed, M failed" and sets the exit code.

check_passed=0
check_failed=0

pass() {
	check_passed=$((check_passed + 1))
	echo "[  PASS  ] $1"
}

fail() {
	check_failed=$((check_failed + 1))
	echo "[  FAIL  ] $1"
}

# expect_status NAME WANT COMMAND...: runs COMMAND, which must exit WANT.
# Its output is kept in $check_output for further checks.
expect_status() {
	local name=$1 want=$2 got=0
	shift 2
	check_output=$("$@" 2>&1) || got=$?
	if [ "$got" -eq "$want" ]; then
		pass "$name"
	else
		fail "$name (exit $got, wanted $want)"
		printf '%s\n' "$check_output" | sed 's/^/    | /'
	fi
}

# expect_output NAME PATTERN: the last command's output matches PATTERN (ERE).
expect_output() {
	if printf '%s\n' "$check_output" | grep -Eq -- "$2"; then
		pass "$1"
	else
		fail "$1 (no match for /$2/)"
		printf '%s\n' "$check_output" | sed 's/^/    | /'
	fi
}

# flip_byte FILE OFFSET: inverts every bit of one byte in place, so the file
# is certain to change (writing a fixed value would be a no-op whenever the
# byte, say of a random signature or key id, already held that value).
flip_byte() {
	local old
	old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' $((old ^ 0xff)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

check_summary() {
	echo "$1: $check_passed passed, $check_failed failed"
	[ "$check_failed" -eq 0 ]
}
