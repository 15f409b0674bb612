// SPDX-License-Identifier: MIT
/*
 * hvpatch's verify API over mbedtls 2.28.  Every input is untrusted: the
 * DER parsers below reject anything but the one encoding we accept, and
 * mbedtls_ecdsa_read_signature() is strict DER with no trailing bytes.
 */
#include "hvp_crypto.h"

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/sha256.h>

#include "crypto_pool.h"

/* SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (0 unused) } */
static const uint8_t p256_spki_prefix[HVP_P256_SPKI_LEN - HVP_P256_POINT_LEN] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
	0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
	0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
};

void hvp_sha256(const void *data, size_t len, uint8_t out[32])
{
	mbedtls_sha256_ret(data, len, out, 0);
}

static int same_bytes(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint8_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

/* Loads the P-256 group and the point; 0 when the point is on the curve. */
static int load_key(mbedtls_ecdsa_context *ctx,
		    const uint8_t point[HVP_P256_POINT_LEN])
{
	mbedtls_ecdsa_init(ctx);
	if (point[0] != 0x04 ||
	    mbedtls_ecp_group_load(&ctx->grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
	    mbedtls_ecp_point_read_binary(&ctx->grp, &ctx->Q, point,
					  HVP_P256_POINT_LEN) != 0 ||
	    mbedtls_ecp_check_pubkey(&ctx->grp, &ctx->Q) != 0)
		return -1;
	return 0;
}

int hvp_pubkey_from_point(const uint8_t point[HVP_P256_POINT_LEN],
			  struct hvp_pubkey *out)
{
	uint8_t spki[HVP_P256_SPKI_LEN];
	mbedtls_ecdsa_context ctx;
	int rc;

	hvp_crypto_pool_init();
	rc = load_key(&ctx, point);
	mbedtls_ecdsa_free(&ctx);
	if (rc != 0)
		return -1;
	for (size_t i = 0; i < sizeof(p256_spki_prefix); i++)
		spki[i] = p256_spki_prefix[i];
	for (size_t i = 0; i < HVP_P256_POINT_LEN; i++) {
		spki[sizeof(p256_spki_prefix) + i] = point[i];
		out->point[i] = point[i];
	}
	hvp_sha256(spki, sizeof(spki), out->key_id);
	return 0;
}

int hvp_pubkey_from_spki_der(const uint8_t *der, size_t len,
			     struct hvp_pubkey *out)
{
	if (!der || len != HVP_P256_SPKI_LEN ||
	    !same_bytes(der, p256_spki_prefix, sizeof(p256_spki_prefix)))
		return -1;
	return hvp_pubkey_from_point(der + sizeof(p256_spki_prefix), out);
}

int hvp_ecdsa_p256_verify(const struct hvp_pubkey *key, const uint8_t hash[32],
			  const uint8_t *sig_der, size_t sig_len)
{
	mbedtls_ecdsa_context ctx;
	int rc;

	if (!sig_der || sig_len == 0 || sig_len > 80)
		return -1;
	hvp_crypto_pool_init();
	rc = load_key(&ctx, key->point);
	if (rc == 0)
		rc = mbedtls_ecdsa_read_signature(&ctx, hash, 32, sig_der,
						  sig_len);
	mbedtls_ecdsa_free(&ctx);
	return rc == 0 ? 0 : -1;
}
