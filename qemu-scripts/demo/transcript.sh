#!/usr/bin/env bash
# Prints the demo's transcript from the serial log: the guest's steps
# (HVP-DEMO), the hypervisor's own lines about patches, refusals and
# blocked writes, and the verdict of each step.
set -euo pipefail
log=${1:?usage: transcript.sh SERIAL_LOG}
echo "================ hvpatch demo transcript ================"
grep -a -E '^HVP-DEMO: |^HVPATCH: (patch|key|lock|cpu [0-9]+: (blocked|refused))|^HVP-TEST demo-' "$log" |
	sed -e 's/^HVP-DEMO: //' -e 's/^HVPATCH: /    [hypervisor] /' -e 's/^HVP-TEST demo-/    [check] /'
echo "=========================================================="
