#!/usr/bin/env python3
"""Turns the demo's dump boot (HVP-KSYM, HVP-KBYTES, HVP-KBUILDID lines in a
serial log) into what `hvpatch build` takes: a System.map-style symbol file,
a text dump (the running bytes of each dumped function at its offset from
_stext, zeros elsewhere) and the build-id.

Usage: collect-kernel-facts.py SERIAL_LOG OUTDIR
Writes OUTDIR/System.map, OUTDIR/text.bin, OUTDIR/build-id.
"""
import os
import sys


def main():
    log, out = sys.argv[1], sys.argv[2]
    syms, funcs, build_id = {}, {}, None
    with open(log, errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and parts[0] == "HVP-KSYM":
                syms[parts[3]] = (int(parts[1], 16), parts[2])
            elif len(parts) == 3 and parts[0] == "HVP-KBYTES" and parts[2] != "unreadable":
                funcs[parts[1]] = bytes.fromhex(parts[2])
            elif len(parts) == 2 and parts[0] == "HVP-KBUILDID" and parts[1] != "none":
                build_id = parts[1]
    missing = [n for n in ("_stext", "_etext") if n not in syms]
    if missing or not funcs or not build_id:
        sys.exit(f"collect-kernel-facts: {log} lacks {missing or ''}"
                 f"{' function bytes' if not funcs else ''}{' build-id' if not build_id else ''}")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "System.map"), "w") as f:
        for name, (addr, kind) in sorted(syms.items(), key=lambda s: s[1][0]):
            f.write(f"{addr:016x} {kind} {name}\n")
    stext = syms["_stext"][0]
    size = max(syms[n][0] - stext + len(b) for n, b in funcs.items())
    text = bytearray(size)
    for name, code in funcs.items():
        off = syms[name][0] - stext
        text[off:off + len(code)] = code
    with open(os.path.join(out, "text.bin"), "wb") as f:
        f.write(text)
    with open(os.path.join(out, "build-id"), "w") as f:
        f.write(build_id + "\n")
    print(f"collect-kernel-facts: {len(syms)} symbols, {len(funcs)} function(s), "
          f"build-id {build_id}")


if __name__ == "__main__":
    main()
