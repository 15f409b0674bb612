#!/usr/bin/env python3
"""Checks bundles against one boot's running text the way the hypervisor's
plan does (docs/bundle-format.md): the pre-image exactly, each run-time
field against this boot's text base or its encodings, then the hash of
the rest.  A second implementation, for `make fleet-sample`.

Usage: check-running.py HVPATCH SYSTEM_MAP TEXT_BIN BUNDLE...
(SYSTEM_MAP and TEXT_BIN from collect-kernel-facts.py.)  Prints APPLIES or
REFUSED (why) per replacement."""
import hashlib, json, subprocess, sys

hvpatch, smap, text_bin = sys.argv[1:4]
syms = {l.split()[2]: int(l.split()[0], 16) for l in open(smap) if len(l.split()) >= 3}
stext = syms["_stext"]
text = open(text_bin, "rb").read()
for path in sys.argv[4:]:
    j = json.loads(subprocess.run([hvpatch, "inspect", "--json", path], capture_output=True, check=True).stdout)
    for r in j["replacements"]:
        off, size = r["function_offset"], r["function_size"]
        fn = bytearray(text[off:off + size])
        if len(fn) < size or not any(fn):
            print(f"NOBYTES {r['name']}"); continue
        why = None
        if fn[r["site_offset"]:r["site_offset"] + 5].hex() != r["preimage"]:
            why = f"preimage {fn[r['site_offset']:r['site_offset']+5].hex()}"
        for f in r["fields"]:
            at, n = f["offset"], f["length"]
            cur = bytes(fn[at:at + n])
            if f["kind"] == "one_of":
                e = bytes.fromhex(f["encodings"])
                ok = any(e[i:i + n] == cur for i in range(0, len(e), n))
            else:
                v = (stext + f["value"]) if f["kind"] == "slide" else (f["value"] - stext)
                ok = cur == (v % (1 << (8 * n))).to_bytes(n, "little")
            if not ok and not why:
                why = f"field +{at:#x} {f['kind']} holds {cur.hex()}"
            fn[at:at + n] = bytes(n)
        if not why and hashlib.sha256(fn).hexdigest() != r["function_sha256"]:
            why = "hash"
        print(f"{'APPLIES' if not why else 'REFUSED'} {r['name']}" + (f" ({why})" if why else ""))
