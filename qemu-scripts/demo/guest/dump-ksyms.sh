#!/bin/sh
# Guest side of `make fleet-sample`: prints the running bytes of every
# function in /bin/fleet-sample.txt (hvp-ksyms, a test probe), so that the
# host can check bundles built from the vmlinux against this boot.
want=$(paste -sd, /bin/fleet-sample.txt 2>/dev/null)
[ -n "$want" ] || { echo "HVP-TEST ksyms FAIL no /bin/fleet-sample.txt"; exit 0; }
echo 0 >/proc/sys/kernel/kptr_restrict
hvp-ksyms "$want"
echo "HVP-TEST ksyms PASS dumped $(wc -l </bin/fleet-sample.txt) functions"
