#!/usr/bin/env bash
# mock-cli-test.sh HVPATCHCTL_MOCK
#
# hvpatchctl end to end on the host, with the ioctl layer replaced by
# hvpctl_mock.c (scenario in HVPCTL_MOCK): exit codes, the messages a user
# sees, and every --json output through python3's JSON parser.
set -euo pipefail
bin=${1:?usage: mock-cli-test.sh HVPATCHCTL_MOCK}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# expect SCENARIO RC REGEX ARGS...: exit code RC, and REGEX (grep -E) in
# stdout+stderr.
expect() {
	local sc=$1 rc=$2 re=$3 got=0
	shift 3
	HVPCTL_MOCK=$sc "$bin" "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
	if [ "$got" -ne "$rc" ]; then
		echo "FAIL [$sc] hvpatchctl $*: exit $got, want $rc"; sed 's/^/  | /' "$tmp/out" "$tmp/err"
		fail=$((fail + 1))
	elif ! cat "$tmp/out" "$tmp/err" | grep -qE -- "$re"; then
		echo "FAIL [$sc] hvpatchctl $*: no /$re/ in output"; sed 's/^/  | /' "$tmp/out" "$tmp/err"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

# expect_json SCENARIO RC PYTHON-EXPR ARGS...: stdout is one JSON document
# (python3 -m json.tool accepts it) and PYTHON-EXPR holds for it (`j`).
expect_json() {
	local sc=$1 rc=$2 cond=$3 got=0
	shift 3
	HVPCTL_MOCK=$sc "$bin" --json "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
	if [ "$got" -ne "$rc" ]; then
		echo "FAIL [$sc] hvpatchctl --json $*: exit $got, want $rc"; fail=$((fail + 1)); return
	fi
	if ! python3 -m json.tool "$tmp/out" >/dev/null 2>"$tmp/jerr"; then
		echo "FAIL [$sc] hvpatchctl --json $*: not JSON: $(cat "$tmp/jerr")"; sed 's/^/  | /' "$tmp/out"
		fail=$((fail + 1)); return
	fi
	if ! python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($cond) else 1)" "$tmp/out"; then
		echo "FAIL [$sc] hvpatchctl --json $*: JSON does not satisfy: $cond"; sed 's/^/  | /' "$tmp/out"
		fail=$((fail + 1)); return
	fi
	pass=$((pass + 1))
}

printf 'HVPBNDL1 and the rest of a bundle' >"$tmp/bundle.hvp"
printf 'ELF, not a bundle' >"$tmp/notbundle"
: >"$tmp/empty"
head -c $((256 * 1024 + 1)) /dev/zero >"$tmp/huge"

# Usage: exit 1.
expect locked 0 '^usage: hvpatchctl' --help
expect locked 1 'usage' 
expect locked 1 'unknown option --frob' --frob status
expect locked 1 'bad command' frobnicate
expect locked 1 'bad command' status extra
expect locked 1 "'x7' is not a patch id" revert x7
expect locked 1 "'-1' is not a patch id" revert -1
expect locked 1 'bad command' apply

# A locked guest (default scenario).
expect locked 0 '^protection: LOCKED$' status
expect locked 0 '^kernel exec: no MBEC on this CPU: new kernel code can still run$' status
expect mbec 0 '^kernel exec: MBEC in force, approved code only$' status
expect mbec-any 0 '^kernel exec: MBEC in force, new kernel code allowed and logged \(kernel_exec any\)$' status
expect_json mbec 0 'j["mbec"] and j["kernel_exec"] == "approved" and j["flags"] == 3' status
expect_json locked 0 'not j["mbec"] and j["kernel_exec_text"] == "no MBEC on this CPU: new kernel code can still run"' status
expect locked 0 '^build-id: a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3$' status
expect locked 0 '^3 +2 +6 +0xffffffffc0001040' list
expect locked 0 '^150 +1150000 ' log
expect locked 0 '^140 ' log 140
expect locked 0 '^\[1800 earlier bytes were overwritten in the hypervisor.s log ring\]$' hvlog
expect locked 0 '^line 999$' hvlog
expect locked 0 '^\[dropped: 9982 HVP_E_CPL refusals were counted but not recorded \(rate limit\)\]$' hvlog
expect locked 0 '^\[dropped: 9982 HVP_E_CPL refusals were counted but not recorded \(rate limit\)\]$' log
expect locked 0 '^\[dropped: 0 events and 2 rate-limited refusals were overwritten in the audit ring\]$' log
expect locked 0 '^line 990$' hvlog 8910
expect locked 1 "'x' is not an offset" hvlog x
expect locked 1 "'abc' is not a serial number" log abc
expect locked 0 'HVP_E_BAD_SIGNATURE +3  signature does not verify' counters
expect locked 0 '^ +48 EPT violation +2$' counters
expect locked 0 '^static-key switch steps done by the hypervisor: 6$' counters
expect locked 0 '^applied: patch id 7$' apply "$tmp/bundle.hvp"
expect locked 3 '^REFUSED: HVP_E_BAD_MAGIC: not a bundle \(bad magic\)$' apply "$tmp/notbundle"
expect locked 2 'cannot open .*/missing' apply "$tmp/missing"
expect locked 2 'empty file' apply "$tmp/empty"
expect locked 2 'larger than 256 KiB' apply "$tmp/huge"
expect locked 0 '^reverted: patch id 7$' revert 7
expect locked 3 '^REFUSED: HVP_E_NO_SUCH_PATCH: no applied patch with that id$' revert 8
expect_json locked 0 'j["ok"] and j["locked"] and j["regions"][2]["name"] == "arena" and j["regions"][0]["gva"] == "0xffffffff81000000"' status
expect_json locked 0 '[p["id"] for p in j["patches"]] == [2, 3] and len(j["patches"][0]["key_id"]) == 64' list
expect_json locked 0 '[e["serial"] for e in j["events"]] == list(range(1, 151))' log
expect_json locked 0 '[e["serial"] for e in j["events"]] == list(range(140, 151)) and j["events"][0]["type"] == "APPLY"' log 140
expect_json locked 0 'j["refusals"] == {"HVP_E_CPL": 10000, "HVP_E_BAD_SIGNATURE": 3} and j["exits"] == {"10": 5000, "48": 2} and j["jump_label_writes"] == 6' counters
expect_json locked 0 'j["start"] == 1800 and j["end"] == 9000 and j["dropped"] == 1800 and j["text"] == "".join("line %03u\n" % i for i in range(200, 1000))' hvlog
expect_json locked 0 'j["dropped"] == 0 and j["text"] == "line 999\n" and j["unrecorded"] == {"HVP_E_CPL": 9982}' hvlog 8991
expect_json locked 0 'j["dropped"] == {"overwritten": 0, "floodable_overwritten": 2, "unrecorded": {"HVP_E_CPL": 9982}}' log
expect_json locked 0 'j["ok"] and j["patch_id"] == 7' apply "$tmp/bundle.hvp"
expect_json locked 3 'not j["ok"] and j["refused"] and j["status"] == "HVP_E_BAD_MAGIC" and j["code"] == 7' apply "$tmp/notbundle"
expect_json locked 2 'not j["ok"] and j["errno"] == 2' apply "$tmp/missing"
expect_json locked 0 'j["ok"] and j["patch_id"] == 7' revert 7

# Nothing applied yet.
expect empty 0 '^no patches applied$' list
expect empty 0 '^audit log is empty$' log
expect empty 0 '^  none$' counters
expect_json empty 0 'j["patches"] == []' list
expect_json empty 0 'j["events"] == [] and j["dropped"]["unrecorded"] == {}' log
expect_json empty 0 'j["refusals"] == {} and j["exits"] == {}' counters
expect_json empty 0 'j["text"] == "" and j["end"] == 0' hvlog
expect_json empty 0 'j["applied_count"] == 0 and j["arena_used"] == 0' status

# No hypervisor: the module is there, every ioctl says ENODEV.
for c in status list log counters hvlog; do
	expect unprotected 2 "^hvpatchctl: $c: no hvpatch hypervisor \\(this kernel runs unprotected\\)$" $c
	expect_json unprotected 2 'not j["ok"] and not j["refused"] and j["error"].startswith("no hvpatch hypervisor")' $c
done
expect unprotected 2 'no hvpatch hypervisor' apply "$tmp/bundle.hvp"
expect unprotected 2 'no hvpatch hypervisor' revert 1

# No module: no /dev/hvpatch.
expect nodev 2 'cannot open /dev/hvpatch: no such device node \(is hvpatch.ko loaded\?\)' status
expect_json nodev 2 'j["errno"] == 2' status

# Refusals reach the user by name, with exit code 3.
expect refuse=12 3 '^REFUSED: HVP_E_BAD_SIGNATURE: signature does not verify$' status
expect refuse=22 3 '^REFUSED: HVP_E_NOT_LOCKED: protection is not locked yet$' apply "$tmp/bundle.hvp"
expect refuse=4 3 '^REFUSED: HVP_E_BAD_POINTER: ' log
expect refuse=99 3 '^REFUSED: HVP_E_UNKNOWN_STATUS: unknown status code$' counters
expect_json refuse=12 3 'j["status"] == "HVP_E_BAD_SIGNATURE" and j["message"] == "signature does not verify"' status

echo "mock-cli-test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
