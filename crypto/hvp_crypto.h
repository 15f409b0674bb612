/* SPDX-License-Identifier: MIT */
/*
 * The one signature-verification API of hvpatch, on mbedtls.
 *
 * The same source builds twice: against Debian's libmbedcrypto for the
 * host tools and tests, and freestanding (no libc, no heap, general
 * registers only) for the hypervisor.  Only stdint/stddef here, so the
 * hypervisor can include it.
 */
#ifndef HVPATCH_CRYPTO_H
#define HVPATCH_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define HVP_P256_POINT_LEN 65 /* 0x04 || X || Y */
#define HVP_P256_SPKI_LEN 91  /* DER SubjectPublicKeyInfo of such a point */

struct hvp_pubkey {
	uint8_t point[HVP_P256_POINT_LEN];
	uint8_t key_id[32]; /* SHA-256 of the DER SubjectPublicKeyInfo */
};

void hvp_sha256(const void *data, size_t len, uint8_t out[32]);

/*
 * Parses the DER SubjectPublicKeyInfo of an uncompressed P-256 key, and
 * nothing else: the id-ecPublicKey/prime256v1 prefix, then a point that
 * must lie on the curve.  0 on success, -1 otherwise.
 */
int hvp_pubkey_from_spki_der(const uint8_t *der, size_t len,
			     struct hvp_pubkey *out);

/* The same from the bare 65-byte point. */
int hvp_pubkey_from_point(const uint8_t point[HVP_P256_POINT_LEN],
			  struct hvp_pubkey *out);

/* 0 when sig_der is a valid ECDSA P-256 signature of hash by key. */
int hvp_ecdsa_p256_verify(const struct hvp_pubkey *key, const uint8_t hash[32],
			  const uint8_t *sig_der, size_t sig_len);

#endif /* HVPATCH_CRYPTO_H */
