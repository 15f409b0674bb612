#!/usr/bin/env bash
# Interop with the real openssl binary, both ways:
#  - a bundle signed by `hvpatch sign` verifies with `openssl dgst`, after
#    cutting it by hand as docs/bundle-format.md says (and with `split`);
#  - keys made by openssl (PKCS#8 and SEC1) sign bundles that hvpatch's
#    verifier (the hypervisor's own code) accepts, and a signature made by
#    `openssl dgst -sign` assembled into a bundle by hand verifies too;
#  - keys made by `hvpatch keygen` are read by openssl.
# Usage: test_openssl.sh HVPATCH FIXTURES WORKDIR
set -uo pipefail
. "$(dirname "$0")/../lib/check.sh"

hvpatch=$1 fixtures=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
echo "openssl: $(openssl version)"

"$hvpatch" build --object "$fixtures/patch/greeting.o" \
	--symbols "$fixtures/System.map" --vmlinux "$fixtures/vmlinux" \
	--build-id-from "$fixtures/vmlinux" --sequence 1 -o patch.unsigned >/dev/null ||
	{ echo "cannot build the fixture bundle"; exit 1; }

# Little-endian fields of the bundle header (docs/bundle-format.md).
le32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
le16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
build_id=$(readelf -n "$fixtures/vmlinux" | awk '/Build ID/ { print $3 }')

# --- hvpatch signs, openssl verifies -----------------------------------------
expect_status "hvpatch keygen" 0 "$hvpatch" keygen --out-private hv.pem --out-public hv.pub
expect_status "openssl reads the keygen private key" 0 openssl pkey -in hv.pem -noout
expect_status "openssl reads the keygen public key" 0 openssl pkey -pubin -in hv.pub -noout
expect_status "it is a P-256 key" 0 sh -c "openssl pkey -in hv.pem -text -noout | grep -q 'NIST CURVE: P-256'"
expect_status "openssl derives the same public key" 0 \
	sh -c "openssl pkey -in hv.pem -pubout | cmp - hv.pub"
expect_status "hvpatch sign" 0 "$hvpatch" sign --key hv.pem patch.unsigned -o patch.bin

# Cut by hand: the signed part is the first signed_size bytes (header
# offset 104); the SIG1 block follows, DER after its 8-byte head.
signed_size=$(le32 patch.bin 104)
der_len=$(le16 patch.bin $((signed_size + 6)))
head -c "$signed_size" patch.bin > signed-part.bin
tail -c +$((signed_size + 9)) patch.bin > sig.der
expect_status "SIG1 block magic" 0 test "$(dd if=patch.bin bs=1 skip="$signed_size" count=4 status=none)" = SIG1
expect_status "DER length matches the file" 0 test "$(stat -c %s sig.der)" -eq "$der_len"
expect_status "openssl dgst -verify accepts hvpatch's signature" 0 \
	openssl dgst -sha256 -verify hv.pub -signature sig.der signed-part.bin
expect_output "  openssl says" "Verified OK"
expect_status "hvpatch split" 0 "$hvpatch" split patch.bin --signed-part split-part.bin --signature split-sig.der
expect_status "split cuts the same bytes" 0 sh -c "cmp split-part.bin signed-part.bin && cmp split-sig.der sig.der"
flip_byte signed-part.bin 100
expect_status "openssl rejects a changed signed part" 1 \
	openssl dgst -sha256 -verify hv.pub -signature sig.der signed-part.bin

# --- openssl keys and signatures, hvpatch verifies ----------------------------
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out pkcs8.pem 2>/dev/null
openssl ec -in pkcs8.pem -out sec1.pem 2>/dev/null
openssl pkey -in pkcs8.pem -pubout -out ossl.pub
expect_status "openssl key is PKCS#8" 0 grep -q "BEGIN PRIVATE KEY" pkcs8.pem
expect_status "openssl key is SEC1" 0 grep -q "BEGIN EC PRIVATE KEY" sec1.pem
for form in pkcs8 sec1; do
	expect_status "hvpatch sign with openssl's $form key" 0 \
		"$hvpatch" sign --key $form.pem patch.unsigned -o $form.bin
	expect_status "  verifies in hvpatch (the engine's verifier)" 0 \
		"$hvpatch" verify --key ossl.pub --build-id "$build_id" $form.bin
	expect_status "  and in openssl" 0 sh -c \
		"$hvpatch split $form.bin --signed-part p.bin --signature s.der && openssl dgst -sha256 -verify ossl.pub -signature s.der p.bin"
done

# The whole signature made by openssl: take the signed part (which holds
# the key id) from an hvpatch-signed bundle, sign it with `openssl dgst
# -sign`, and append a SIG1 block by hand.
head -c "$(le32 pkcs8.bin 104)" pkcs8.bin > to-sign.bin
openssl dgst -sha256 -sign pkcs8.pem -out ossl-sig.der to-sign.bin
n=$(stat -c %s ossl-sig.der)
{
	cat to-sign.bin
	printf 'SIG1\x01\x00'
	printf "\\x$(printf %02x $((n & 255)))\\x$(printf %02x $((n >> 8)))"
	cat ossl-sig.der
} > ossl-signed.bin
expect_status "a bundle signed by openssl dgst -sign verifies in hvpatch" 0 \
	"$hvpatch" verify --key ossl.pub ossl-signed.bin
expect_status "  but not with another key" 3 "$hvpatch" verify --key hv.pub ossl-signed.bin
expect_output "  (unknown key)" HVP_E_UNKNOWN_KEY

check_summary "openssl interop"
