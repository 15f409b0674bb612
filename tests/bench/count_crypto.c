// SPDX-License-Identifier: MIT
/*
 * A fixed amount of crypto work for an instruction counter (callgrind):
 * enrols the test key and verifies its signature once (what is built
 * once happens there), then enrols KEYS more keys and verifies VERIFIES
 * more times.  Counts for two values of one argument, the other kept,
 * give the cost of one verification or of one key's enrolment.
 * Usage: count_crypto VECTORS_DIR VERIFIES KEYS
 */
#include "bench_util.h"
#include "hvp_crypto.h"

static void enrol(const char *dir, const char *name, struct hvp_pubkey *key)
{
	uint8_t der[512];
	size_t len = bench_load(dir, name, der, sizeof(der));

	if (hvp_pubkey_from_spki_der(der, len, key) != 0) {
		fprintf(stderr, "count_crypto: %s refused\n", name);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	uint8_t msg[4096], sig[128], hash[32];
	struct hvp_pubkey key, other;
	size_t sig_len;
	char name[32];
	int verifies, keys, ok = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: count_crypto VECTORS_DIR VERIFIES KEYS\n");
		return 1;
	}
	verifies = atoi(argv[2]);
	keys = atoi(argv[3]);
	hvp_sha256(msg, bench_load(argv[1], "msg.bin", msg, sizeof(msg)), hash);
	sig_len = bench_load(argv[1], "msg.sig", sig, sizeof(sig));
	enrol(argv[1], "pub.der", &key);
	ok &= hvp_ecdsa_p256_verify(&key, hash, sig, sig_len) == 0;
	for (int i = 0; i < keys; i++) {
		snprintf(name, sizeof(name), "many-%d.der", i);
		enrol(argv[1], name, &other);
	}
	for (int i = 0; i < verifies; i++)
		ok &= hvp_ecdsa_p256_verify(&key, hash, sig, sig_len) == 0;
	if (!ok) {
		fprintf(stderr, "count_crypto: the test vector does not verify\n");
		return 1;
	}
	return 0;
}
