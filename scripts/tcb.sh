#!/usr/bin/env bash
# `make tcb`: the trusted computing base, counted.  Lines of code exclude
# blank lines and comments.  Crypto is counted apart: our glue, and the
# mbedtls files the freestanding build compiles (listed by crypto/build.mk
# once built).
set -euo pipefail
cd "$(dirname "$0")/.."

# Prints "files code-lines" for the C/asm files given on stdin.
count() {
	local files=() f
	while IFS= read -r f; do [ -f "$f" ] && files+=("$f"); done
	if [ ${#files[@]} -eq 0 ]; then echo "0 0"; return; fi
	awk '
	FNR == 1 { nfiles++ }
	{
		line = $0
		out = ""
		while (length(line) > 0) {
			if (in_comment) {
				end = index(line, "*/")
				if (end == 0) { line = ""; break }
				line = substr(line, end + 2); in_comment = 0
			} else {
				start = index(line, "/*"); slash = index(line, "//")
				if (slash > 0 && (start == 0 || slash < start)) {
					out = out substr(line, 1, slash - 1); line = ""
				} else if (start > 0) {
					out = out substr(line, 1, start - 1)
					line = substr(line, start + 2); in_comment = 1
				} else { out = out line; line = "" }
			}
		}
		if (out ~ /[^[:space:]]/) code++
	}
	END { printf "%d %d\n", nfiles, code }' "${files[@]}"
}

src() { find "$@" -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) 2>/dev/null | sort; }

row() { printf '%-58s %6s %8s\n' "$1" "$2" "$3"; }

row "component" "files" "code"
row "----------------------------------------------------------" "-----" "--------"
total_files=0 total_code=0
add() {
	local name=$1 files code
	shift
	read -r files code < <(src "$@" | count)
	row "$name" "$files" "$code"
	total_files=$((total_files + files))
	total_code=$((total_code + code))
}
add "hypervisor: CPU and VMX instructions (arch/x86)" hypervisor/arch
add "hypervisor: VMX root (vmx: exits, setup, SMP, hypercalls)" hypervisor/vmx
add "hypervisor: portable memory (mm: EPT, walk, MTRR)" hypervisor/mm
add "hypervisor: portable helpers (lib)" hypervisor/lib
add "hypervisor: patch engine" hypervisor/patch
add "shared ABI (include/hvpatch)" include
row "hypervisor total (TCB without crypto)" "$total_files" "$total_code"
echo
row "crypto: hvpatch glue (crypto/)" $(src crypto | count)
list=build/freestanding/mbedtls-sources.txt
if [ -f "$list" ]; then
	row "crypto: mbedtls compiled in (freestanding)" $(count < "$list")
else
	row "crypto: mbedtls compiled in (freestanding)" "-" "(run make all)"
fi
echo
row "efi-loader (boot time only, not resident)" $(src efi-loader | count)
