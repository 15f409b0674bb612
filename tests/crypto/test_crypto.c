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
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s TEST-DATA-DIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
