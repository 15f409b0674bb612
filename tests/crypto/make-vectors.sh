#!/usr/bin/env bash
# Test inputs made by the real openssl CLI at build time: a P-256 key pair,
# a signed message, and keys the parser must refuse.
set -euo pipefail
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
