#!/bin/sh
# Guest side of the demo's first boot: prints what `hvpatch build` needs
# about this kernel (hvp-ksyms), for the symbols named by hvp.ksyms=.
want=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^hvp.ksyms=//p')
[ -n "$want" ] || { echo "HVP-TEST ksyms FAIL no hvp.ksyms= on the command line"; exit 0; }
echo 0 >/proc/sys/kernel/kptr_restrict
hvp-ksyms "$want"
echo "HVP-TEST ksyms PASS dumped $want"
