#!/usr/bin/env bash
# Fetches Debian's mbedtls source (apt-get source, verified by apt against
# the archive's signed indexes) into the build tree, once.  The sources are
# never committed: the hypervisor compiles the few files it needs.
set -euo pipefail
dest=$1
if [ -f "$dest/.fetched" ]; then exit 0; fi
work=$(dirname "$dest")/mbedtls-fetch
rm -rf "$work" "$dest"
mkdir -p "$work"
(cd "$work" && apt-get source -q --download-only mbedtls >/dev/null &&
	dpkg-source -x ./mbedtls_*.dsc src >/dev/null)
mv "$work/src" "$dest"
rm -rf "$work"
touch "$dest/.fetched"
echo "crypto: fetched mbedtls $(sed -n 's/^#define MBEDTLS_VERSION_STRING *"\(.*\)"/\1/p' "$dest/include/mbedtls/version.h")"
