// SPDX-License-Identifier: MIT
/*
 * The verify API, run once against Debian's libmbedcrypto and once against
 * the hypervisor's freestanding object: the same assertions prove both.
 * Usage: test_crypto DIR (inputs from tests/crypto/make-vectors.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hvp_crypto.h"

static const char *data_dir;

struct blob {
	uint8_t bytes[4096];
	size_t len;
};

static void load(const char *name, struct blob *b)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	b->len = fread(b->bytes, 1, sizeof(b->bytes), f);
	fclose(f);
	assert_true(b->len > 0);
}

static void assert_sha256(const void *msg, size_t len, const char *hex)
{
	uint8_t digest[32];
	char got[65];

	hvp_sha256(msg, len, digest);
	for (int i = 0; i < 32; i++)
		sprintf(got + 2 * i, "%02x", digest[i]);
	assert_string_equal(got, hex);
}

/* FIPS 180-2 examples and the NIST "million a" vector. */
static void sha256_known_answers(void **state)
{
	static char million[1000000];

	assert_sha256("abc", 3,
		      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_sha256("", 0,
		      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', sizeof(million));
	assert_sha256(million, sizeof(million),
		      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void load_key(struct hvp_pubkey *key)
{
	struct blob der;

	load("pub.der", &der);
	assert_int_equal(hvp_pubkey_from_spki_der(der.bytes, der.len, key), 0);
}

static void spki_key_id_matches_openssl(void **state)
{
	struct hvp_pubkey key, from_point;
	struct blob id_hex;
	char got[65];

	load_key(&key);
	load("key_id.hex", &id_hex);
	for (int i = 0; i < 32; i++)
		sprintf(got + 2 * i, "%02x", key.key_id[i]);
	assert_memory_equal(got, id_hex.bytes, 64);

	assert_int_equal(hvp_pubkey_from_point(key.point, &from_point), 0);
	assert_memory_equal(from_point.key_id, key.key_id, 32);
}

/* The openssl-made vector: its key, the message's hash, its signature. */
static void load_signed_vector(struct hvp_pubkey *key, uint8_t hash[32],
			       struct blob *sig)
{
	struct blob msg;

	load_key(key);
	load("msg.bin", &msg);
	load("msg.sig", sig);
	hvp_sha256(msg.bytes, msg.len, hash);
}

static void openssl_signature_verifies(void **state)
{
	struct hvp_pubkey key;
	struct blob sig;
	uint8_t hash[32];

	load_signed_vector(&key, hash, &sig);
	assert_int_equal(hvp_ecdsa_p256_verify(&key, hash, sig.bytes, sig.len), 0);
}

/*
 * Eleven keys, more than the verifier keeps tables for, used round-robin
 * twice: every key verifies its own signature and refuses its
 * neighbour's, whether its table is kept, rebuilt or was evicted.
 */
#define MANY_KEYS 11
static void many_keys_round_robin(void **state)
{
	struct hvp_pubkey keys[MANY_KEYS];
	struct blob der, sigs[MANY_KEYS], msg;
	uint8_t hash[32];
	char name[32];

	load("msg.bin", &msg);
	hvp_sha256(msg.bytes, msg.len, hash);
	for (int i = 0; i < MANY_KEYS; i++) {
		snprintf(name, sizeof(name), "many-%d.der", i);
		load(name, &der);
		assert_int_equal(hvp_pubkey_from_spki_der(der.bytes, der.len, &keys[i]), 0);
		snprintf(name, sizeof(name), "many-%d.sig", i);
		load(name, &sigs[i]);
	}
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < MANY_KEYS; i++) {
			const struct blob *other = &sigs[(i + 1) % MANY_KEYS];

			assert_int_equal(hvp_ecdsa_p256_verify(&keys[i], hash, sigs[i].bytes,
							       sigs[i].len), 0);
			assert_int_not_equal(hvp_ecdsa_p256_verify(&keys[i], hash, other->bytes,
								   other->len), 0);
		}
	}
}

static void any_flipped_byte_fails(void **state)
{
	struct hvp_pubkey key;
	struct blob sig;
	uint8_t hash[32];

	load_signed_vector(&key, hash, &sig);
	for (size_t i = 0; i < sig.len; i++) {
		sig.bytes[i] ^= 0x01;
		assert_int_not_equal(hvp_ecdsa_p256_verify(&key, hash, sig.bytes,
							   sig.len), 0);
		sig.bytes[i] ^= 0x01;
	}
	for (size_t i = 0; i < sizeof(hash); i++) {
		hash[i] ^= 0x80;
		assert_int_not_equal(hvp_ecdsa_p256_verify(&key, hash, sig.bytes,
							   sig.len), 0);
		hash[i] ^= 0x80;
	}
	for (size_t i = 1; i < sizeof(key.point); i++) {
		struct hvp_pubkey other = key;

		other.point[i] ^= 0x01;
		assert_int_not_equal(hvp_ecdsa_p256_verify(&other, hash,
							   sig.bytes, sig.len), 0);
	}
}

static void malformed_signatures_fail(void **state)
{
	struct hvp_pubkey key;
	struct blob msg, sig;
	uint8_t hash[32], big[200];

	load_key(&key);
	load("msg.bin", &msg);
	load("msg.sig", &sig);
	hvp_sha256(msg.bytes, msg.len, hash);
	for (size_t len = 0; len < sig.len; len++)
		assert_int_not_equal(hvp_ecdsa_p256_verify(&key, hash, sig.bytes,
							   len), 0);
	sig.bytes[sig.len] = 0x00; /* trailing byte after the DER */
	assert_int_not_equal(hvp_ecdsa_p256_verify(&key, hash, sig.bytes,
						   sig.len + 1), 0);
	memset(big, 0x30, sizeof(big));
	assert_int_not_equal(hvp_ecdsa_p256_verify(&key, hash, big, sizeof(big)), 0);
	assert_int_not_equal(hvp_ecdsa_p256_verify(&key, hash, NULL, 0), 0);
}

/* P-256's group order n, big-endian. */
static const uint8_t order_n[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

/* One DER INTEGER of at most 32 significant bytes into v. */
static const uint8_t *der_read_int(const uint8_t *p, uint8_t v[32])
{
	size_t len;

	assert_int_equal(p[0], 0x02);
	len = p[1];
	p += 2;
	if (len == 33) {
		assert_int_equal(p[0], 0x00);
		p++;
		len--;
	}
	assert_true(len >= 1 && len <= 32);
	memset(v, 0, 32 - len);
	memcpy(v + 32 - len, p, len);
	return p + len;
}

static void der_split(const struct blob *sig, uint8_t r[32], uint8_t s[32])
{
	const uint8_t *p = sig->bytes;

	assert_int_equal(p[0], 0x30);
	assert_int_equal(p[1], sig->len - 2);
	p = der_read_int(der_read_int(p + 2, r), s);
	assert_ptr_equal(p, sig->bytes + sig->len);
}

/* Minimal DER for the 256-bit integer v, even one no signature holds. */
static size_t der_write_int(uint8_t *out, const uint8_t v[32])
{
	size_t skip = 0, len;

	while (skip < 31 && v[skip] == 0)
		skip++;
	len = 32 - skip;
	out[0] = 0x02;
	if (v[skip] & 0x80) {
		out[1] = len + 1;
		out[2] = 0x00;
		memcpy(out + 3, v + skip, len);
		return len + 3;
	}
	out[1] = len;
	memcpy(out + 2, v + skip, len);
	return len + 2;
}

static void der_join(struct blob *sig, const uint8_t r[32], const uint8_t s[32])
{
	size_t len = der_write_int(sig->bytes + 2, r);

	len += der_write_int(sig->bytes + 2 + len, s);
	sig->bytes[0] = 0x30;
	sig->bytes[1] = len;
	sig->len = len + 2;
}

static int verify_rs(const struct hvp_pubkey *key, const uint8_t hash[32],
		     const uint8_t r[32], const uint8_t s[32])
{
	struct blob sig;

	der_join(&sig, r, s);
	return hvp_ecdsa_p256_verify(key, hash, sig.bytes, sig.len);
}

static void load_spki(const char *name, struct hvp_pubkey *key)
{
	struct blob der;

	load(name, &der);
	assert_int_equal(hvp_pubkey_from_spki_der(der.bytes, der.len, key), 0);
}

static void load_hash(const char *name, uint8_t hash[32])
{
	struct blob b;

	load(name, &b);
	assert_int_equal(b.len, 32);
	memcpy(hash, b.bytes, 32);
}

/*
 * 64 openssl signatures of random hashes by 16 keys (more keys than
 * tables) verify; with any one of 8 bits flipped in r, in s, in the hash
 * or in the key's coordinates, none does.
 */
#define RAND_KEYS 16
#define RAND_HASHES 4
#define FLIPS 8
static void random_signatures_and_one_bit_off(void **state)
{
	unsigned int seed = 1;

	for (int k = 0; k < RAND_KEYS; k++) {
		struct hvp_pubkey key;
		char name[64];

		snprintf(name, sizeof(name), "rand-%d.der", k);
		load_spki(name, &key);
		for (int h = 0; h < RAND_HASHES; h++) {
			struct blob sig, again;
			uint8_t hash[32], r[32], s[32];

			snprintf(name, sizeof(name), "rand-%d-%d.hash", k, h);
			load_hash(name, hash);
			snprintf(name, sizeof(name), "rand-%d-%d.sig", k, h);
			load(name, &sig);
			assert_int_equal(hvp_ecdsa_p256_verify(&key, hash, sig.bytes, sig.len), 0);
			der_split(&sig, r, s);
			der_join(&again, r, s);
			assert_memory_equal(again.bytes, sig.bytes, sig.len);
			for (int f = 0; f < FLIPS; f++) {
				unsigned int bit = rand_r(&seed) % 256;
				uint8_t mask = 1u << (bit % 8);
				struct hvp_pubkey other = key;

				r[bit / 8] ^= mask;
				assert_int_not_equal(verify_rs(&key, hash, r, s), 0);
				r[bit / 8] ^= mask;
				s[bit / 8] ^= mask;
				assert_int_not_equal(verify_rs(&key, hash, r, s), 0);
				s[bit / 8] ^= mask;
				hash[bit / 8] ^= mask;
				assert_int_not_equal(verify_rs(&key, hash, r, s), 0);
				hash[bit / 8] ^= mask;
				other.point[1 + rand_r(&seed) % 64] ^= mask;
				assert_int_not_equal(verify_rs(&other, hash, r, s), 0);
			}
			assert_int_equal(verify_rs(&key, hash, r, s), 0);
		}
	}
}

/* n - 1 + delta, delta in -1..+1, or 2^256 - 1. */
static void near_n(uint8_t v[32], int delta)
{
	int carry = delta;

	memcpy(v, order_n, 32);
	for (int i = 31; i >= 0 && carry; i--) {
		int x = v[i] + carry;

		v[i] = (uint8_t)x;
		carry = x < 0 ? -1 : x > 255;
	}
}

/* SEC 1 v2, 4.1.4 step 1: r and s in [1, n-1], whatever else holds. */
static void r_and_s_out_of_range_fail(void **state)
{
	uint8_t hash[32], r[32], s[32], bad[5][32];
	struct hvp_pubkey key;
	struct blob sig;

	load_signed_vector(&key, hash, &sig);
	der_split(&sig, r, s);
	memset(bad[0], 0, 32);	  /* 0 */
	memcpy(bad[1], order_n, 32); /* n */
	near_n(bad[2], -1);	  /* n - 1: in range, but not this signature's */
	near_n(bad[3], 1);	  /* n + 1 */
	memset(bad[4], 0xff, 32); /* 2^256 - 1 */
	for (int i = 0; i < 5; i++) {
		assert_int_not_equal(verify_rs(&key, hash, bad[i], s), 0);
		assert_int_not_equal(verify_rs(&key, hash, r, bad[i]), 0);
		assert_int_not_equal(verify_rs(&key, hash, bad[i], bad[i]), 0);
	}
	assert_int_equal(verify_rs(&key, hash, r, s), 0);
}

/*
 * The hash as an integer e modulo n (SEC 1 v2, 4.1.4 step 4, and
 * openssl): a signature of the zero hash (u1 = 0, the sum is u2·Q alone)
 * verifies for the hash n too, one of 2^256 - 1 for 2^256 - 1 - n too,
 * and neither for its neighbour.  u2 = r/s is never 0.
 */
static void hashes_at_the_ends_of_the_range(void **state)
{
	uint8_t zero[32] = { 0 }, ones[32], n[32], ones_minus_n[32];
	struct hvp_pubkey key;
	struct blob sig;
	int borrow = 0;

	load_key(&key);
	load("zero.sig", &sig);
	memcpy(n, order_n, 32);
	assert_int_equal(hvp_ecdsa_p256_verify(&key, zero, sig.bytes, sig.len), 0);
	assert_int_equal(hvp_ecdsa_p256_verify(&key, n, sig.bytes, sig.len), 0);
	zero[31] = 1;
	assert_int_not_equal(hvp_ecdsa_p256_verify(&key, zero, sig.bytes, sig.len), 0);

	load("ones.sig", &sig);
	memset(ones, 0xff, 32);
	for (int i = 31; i >= 0; i--) {
		int x = 0xff - order_n[i] - borrow;

		ones_minus_n[i] = (uint8_t)x;
		borrow = x < 0;
	}
	assert_int_equal(hvp_ecdsa_p256_verify(&key, ones, sig.bytes, sig.len), 0);
	assert_int_equal(hvp_ecdsa_p256_verify(&key, ones_minus_n, sig.bytes, sig.len), 0);
	ones[31] ^= 1;
	assert_int_not_equal(hvp_ecdsa_p256_verify(&key, ones, sig.bytes, sig.len), 0);
}

static int verify_files(const char *key_name, const char *vector)
{
	struct hvp_pubkey key;
	uint8_t hash[32];
	struct blob sig;
	char name[64];

	load_spki(key_name, &key);
	snprintf(name, sizeof(name), "%s.hash", vector);
	load_hash(name, hash);
	snprintf(name, sizeof(name), "%s.sig", vector);
	load(name, &sig);
	return hvp_ecdsa_p256_verify(&key, hash, sig.bytes, sig.len);
}

/*
 * Cases random signatures reach with negligible probability
 * (tests/crypto/make-special-vectors.py): the same point twice, a valid
 * signature by the key G; the point and its opposite, and a sum at
 * infinity, refused; a sum whose x is n or more, reduced modulo n.
 */
static void rare_cases(void **state)
{
	assert_int_equal(verify_files("special-g.der", "special-g-double"), 0);
	assert_int_not_equal(verify_files("special-neg-g.der", "special-neg-g-inf"), 0);
	assert_int_not_equal(verify_files("special-g.der", "special-g-inf"), 0);
	assert_int_equal(verify_files("special-x-above-n.der", "special-x-above-n"), 0);
}

static void refuses_other_keys(void **state)
{
	struct hvp_pubkey key;
	struct blob der;

	load("p384.der", &der);
	assert_int_not_equal(hvp_pubkey_from_spki_der(der.bytes, der.len, &key), 0);
	load("compressed.der", &der);
	assert_int_not_equal(hvp_pubkey_from_spki_der(der.bytes, der.len, &key), 0);

	load("pub.der", &der);
	assert_int_not_equal(hvp_pubkey_from_spki_der(der.bytes, der.len - 1, &key), 0);
	assert_int_not_equal(hvp_pubkey_from_spki_der(der.bytes, der.len + 1, &key), 0);
	assert_int_not_equal(hvp_pubkey_from_spki_der(NULL, 91, &key), 0);
	der.bytes[der.len - 1] ^= 0x01; /* Y no longer on the curve */
	assert_int_not_equal(hvp_pubkey_from_spki_der(der.bytes, der.len, &key), 0);
	der.bytes[der.len - 1] ^= 0x01;
	der.bytes[26] = 0x02; /* not the uncompressed form */
	assert_int_not_equal(hvp_pubkey_from_spki_der(der.bytes, der.len, &key), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_known_answers),
		cmocka_unit_test(spki_key_id_matches_openssl),
		cmocka_unit_test(openssl_signature_verifies),
		cmocka_unit_test(many_keys_round_robin),
		cmocka_unit_test(any_flipped_byte_fails),
		cmocka_unit_test(malformed_signatures_fail),
		cmocka_unit_test(refuses_other_keys),
		cmocka_unit_test(random_signatures_and_one_bit_off),
		cmocka_unit_test(r_and_s_out_of_range_fail),
		cmocka_unit_test(hashes_at_the_ends_of_the_range),
		cmocka_unit_test(rare_cases),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s TEST-DATA-DIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
