#!/usr/bin/env bash
# Checks the freestanding crypto object the hypervisor links: no libc (no
# undefined symbol at all), no SSE/AVX register, only the API global.
set -euo pipefail
obj=$1
shift
fail=0 pass=0
check() {
	if eval "$2"; then
		echo "PASS: $1"; pass=$((pass + 1))
	else
		echo "FAIL: $1"; fail=$((fail + 1))
	fi
}
undefined=$(nm -u "$obj")
check "no undefined symbols (no libc)" '[ -z "$undefined" ] || { echo "$undefined"; false; }'
vector=$(objdump -d "$obj" | grep -E '%[xyz]mm[0-9]' | head -3 || true)
check "no SSE/AVX registers" '[ -z "$vector" ] || { echo "$vector"; false; }'
globals=$(nm -g --defined-only "$obj" | awk '{print $3}' | sort | tr '\n' ' ')
expected=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
check "only the API is global ($expected)" '[ "$globals" = "$expected" ] || { echo "got: $globals"; false; }'
echo "crypto object: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
