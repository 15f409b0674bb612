#!/usr/bin/env python3
# ECDSA P-256 signatures whose verification takes the point addition's
# special cases, which random keys and hashes reach with negligible
# probability (tests/crypto/make-vectors.sh checks each with openssl):
#   g-double: key Q = G (private key 1) and a hash e equal to r, so
#     u1 = e/s = r/s = u2: the verifier adds the same table point twice
#     (a doubling) at the first column where u1's bits are not all zero.
#     A valid signature: it must verify.
#   neg-g-inf: key Q = -G (private key n - 1) and e = r, so u1 = u2 and
#     u1·G + u2·Q is the point at infinity: the verifier meets R = -T.
#     Not a valid signature (any s): it must be refused.
#   g-inf: key Q = G and e = n - r, so u1 + u2 = n: the sum is at
#     infinity again, reached through other columns.  Refused.
#   x-above-n: a sum R whose x is at least n (p - n is about 2^126), so
#     that r = x - n: a point R chosen with such an x, random u1, s, then
#     u2 = r/s, e = u1·s and the key Q = (R - u1·G)/u2.  Valid.
# Usage: make-special-vectors.py DIR
import os
import sys

P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def add(a, b):
    """Affine addition with None as the point at infinity (a = -3)."""
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % P == 0:
        return None
    if a == b:
        lam = (3 * a[0] * a[0] - 3) * pow(2 * a[1], -1, P) % P
    else:
        lam = (b[1] - a[1]) * pow(b[0] - a[0], -1, P) % P
    x = (lam * lam - a[0] - b[0]) % P
    return (x, (lam * (a[0] - x) - a[1]) % P)


def mul(k, pt):
    r = None
    for bit in bin(k)[2:]:
        r = add(r, r)
        if bit == "1":
            r = add(r, pt)
    return r


def der_int(v):
    b = v.to_bytes(33, "big").lstrip(b"\0")
    if not b or b[0] & 0x80:
        b = b"\0" + b
    return bytes([2, len(b)]) + b


def der_sig(r, s):
    body = der_int(r) + der_int(s)
    return bytes([0x30, len(body)]) + body


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def spki(pt):
    return SPKI_PREFIX + b"\4" + pt[0].to_bytes(32, "big") + pt[1].to_bytes(32, "big")


def random_scalar():
    while True:
        k = int.from_bytes(os.urandom(32), "big") % N
        if k:
            return k


def x_above_n(d, g):
    t = 0
    while True:
        t += 1
        x = N + t
        rhs = (x * x * x - 3 * x + B) % P
        y = pow(rhs, (P + 1) // 4, P)  # a square root, as p = 3 mod 4
        if y * y % P == rhs:
            break
    r = t
    u1, s = random_scalar(), random_scalar()
    u2 = r * pow(s, -1, N) % N
    minus_u1g = mul(N - u1, g)
    q = mul(pow(u2, -1, N), add((x, y), minus_u1g))
    write(d, "special-x-above-n.der", spki(q))
    write(d, "special-x-above-n.hash", (u1 * s % N).to_bytes(32, "big"))
    write(d, "special-x-above-n.sig", der_sig(r, s))


def main():
    d = sys.argv[1]
    g = (GX, GY)
    neg_g = (GX, P - GY)
    # k random; r = (k·G).x mod n; with e = r and private key 1,
    # s = (e + r·1)/k.
    while True:
        k = random_scalar()
        r = mul(k, g)[0] % N
        s = 2 * r * pow(k, -1, N) % N
        if r and s:
            break
    write(d, "special-g.der", spki(g))
    write(d, "special-neg-g.der", spki(neg_g))
    write(d, "special-g-double.hash", r.to_bytes(32, "big"))
    write(d, "special-g-double.sig", der_sig(r, s))
    write(d, "special-neg-g-inf.hash", r.to_bytes(32, "big"))
    write(d, "special-neg-g-inf.sig", der_sig(r, s))
    write(d, "special-g-inf.hash", (N - r).to_bytes(32, "big"))
    write(d, "special-g-inf.sig", der_sig(r, s))
    x_above_n(d, g)


main()
