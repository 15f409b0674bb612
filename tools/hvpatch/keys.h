/* SPDX-License-Identifier: MIT */
/*
 * PEM keys through Debian's mbedtls: P-256 only.  PKCS#8 and SEC1 private
 * keys and SubjectPublicKeyInfo public keys, as OpenSSL writes them.
 */
#ifndef HVPATCH_TOOL_KEYS_H
#define HVPATCH_TOOL_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>

#include "hvp_crypto.h"

struct signer {
	mbedtls_pk_context pk;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	struct hvp_pubkey public_key;
};

bool signer_load(const char *private_pem, struct signer *s);
bool signer_generate(struct signer *s);
bool signer_write(struct signer *s, const char *private_pem,
		  const char *public_pem);
/* DER ECDSA signature of SHA-256(data); sig holds HVP_SIG_DER_MAX bytes. */
bool signer_sign(struct signer *s, const uint8_t *data, size_t len,
		 uint8_t *sig, size_t *sig_len);
void signer_free(struct signer *s);

bool public_key_load(const char *public_pem, struct hvp_pubkey *key);

#endif /* HVPATCH_TOOL_KEYS_H */
