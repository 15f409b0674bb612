#!/usr/bin/env bash
# Test inputs made by the real openssl CLI at build time: a P-256 key pair,
# a signed message, and keys the parser must refuse.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
d=$1
mkdir -p "$d"
cd "$d"
openssl ecparam -name prime256v1 -genkey -noout -out key.pem 2>/dev/null
openssl pkey -in key.pem -pubout -out pub.pem
openssl pkey -pubin -in pub.pem -outform DER -out pub.der
openssl pkey -pubin -in pub.der -inform DER -outform DER | sha256sum | cut -c1-64 > key_id.hex
head -c 1000 /dev/urandom > msg.bin
openssl dgst -sha256 -sign key.pem -out msg.sig msg.bin
openssl ecparam -name secp384r1 -genkey -noout 2>/dev/null |
	openssl pkey -pubout -outform DER -out p384.der
openssl ec -in key.pem -pubout -conv_form compressed -outform DER \
	-out compressed.der 2>/dev/null
# More keys than the verifier keeps comb tables for (crypto/p256.c): each
# signs the same message.
for i in 0 1 2 3 4 5 6 7 8 9 10; do
	openssl ecparam -name prime256v1 -genkey -noout -out "many-$i.pem" 2>/dev/null
	openssl pkey -in "many-$i.pem" -pubout -outform DER -out "many-$i.der"
	openssl dgst -sha256 -sign "many-$i.pem" -out "many-$i.sig" msg.bin
done
# Random keys, each signing random 32-byte hashes (openssl takes the
# input as the digest): rand-K-H.{hash,sig}, the key in rand-K.der.
for k in $(seq 0 15); do
	openssl ecparam -name prime256v1 -genkey -noout -out "rand-$k.pem" 2>/dev/null
	openssl pkey -in "rand-$k.pem" -pubout -outform DER -out "rand-$k.der"
	for h in 0 1 2 3; do
		head -c 32 /dev/urandom > "rand-$k-$h.hash"
		openssl pkeyutl -sign -inkey "rand-$k.pem" -in "rand-$k-$h.hash" \
			-out "rand-$k-$h.sig"
	done
done
# Hashes at the ends of the range: 0 (u1 = 0) and 2^256 - 1 (above n,
# reduced), signed by key.pem.
head -c 32 /dev/zero > zero.hash
head -c 32 /dev/zero | tr '\0' '\377' > ones.hash
for h in zero ones; do
	openssl pkeyutl -sign -inkey key.pem -in "$h.hash" -out "$h.sig"
done
# Signatures that reach the point addition's special cases, made by
# arithmetic of our own; openssl must agree with what they claim.
python3 "$here/make-special-vectors.py" .
openssl_says() {
	if openssl pkeyutl -verify -pubin -keyform DER -inkey "$2" -in "$3.hash" \
		-sigfile "$3.sig" >/dev/null 2>&1; then
		[ "$1" = valid ]
	else
		[ "$1" = invalid ]
	fi || { echo "make-vectors: openssl disagrees: $3 is not $1" >&2; exit 1; }
}
openssl_says valid special-g.der special-g-double
openssl_says invalid special-neg-g.der special-neg-g-inf
openssl_says invalid special-g.der special-g-inf
openssl_says valid special-x-above-n.der special-x-above-n
