// SPDX-License-Identifier: MIT
/*
 * Signature verification and hashing speed of one crypto build: linked
 * once against the host library (Debian's mbedtls) and once against the
 * freestanding object the hypervisor uses (general registers only).
 * Usage: bench_crypto FLAVOUR VECTORS_DIR
 */
#include <string.h>

#include "bench_util.h"
#include "hvp_crypto.h"

int main(int argc, char **argv)
{
	static uint8_t big[256 * 1024];
	uint8_t der[512], msg[4096], sig[128], hash[32];
	size_t der_len, msg_len, sig_len;
	struct hvp_pubkey key;
	char title[128];
	double ns;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_crypto FLAVOUR VECTORS_DIR\n");
		return 1;
	}
	der_len = bench_load(argv[2], "pub.der", der, sizeof(der));
	msg_len = bench_load(argv[2], "msg.bin", msg, sizeof(msg));
	sig_len = bench_load(argv[2], "msg.sig", sig, sizeof(sig));
	hvp_sha256(msg, msg_len, hash);
	if (hvp_pubkey_from_spki_der(der, der_len, &key) != 0 ||
	    hvp_ecdsa_p256_verify(&key, hash, sig, sig_len) != 0) {
		fprintf(stderr, "bench_crypto: the test vector does not verify\n");
		return 1;
	}
	memset(big, 0xa5, sizeof(big));

	snprintf(title, sizeof(title), "crypto, %s build", argv[1]);
	bench_header(title);
	BENCH_LOOP(1.0, ns, hvp_ecdsa_p256_verify(&key, hash, sig, sig_len));
	bench_row("ECDSA P-256 verify", ns);
	BENCH_LOOP(0.5, ns, hvp_pubkey_from_spki_der(der, der_len, &key));
	bench_row("public key from DER (with on-curve check)", ns);
	BENCH_LOOP(0.5, ns, hvp_sha256(big, sizeof(big), hash));
	bench_row("SHA-256 of a 256 KiB bundle", ns);
	printf("SHA-256 throughput: %.0f MB/s\n", sizeof(big) / ns * 1e3);
	return 0;
}
