// SPDX-License-Identifier: MIT
/*
 * hvpatch's verify API over mbedtls 2.28.  Every input is untrusted: the
 * DER parsers below reject anything but the one encoding we accept, and
 * a signature is strict DER with no trailing bytes.
 */
#include "hvp_crypto.h"

#include <mbedtls/asn1.h>
#include <mbedtls/sha256.h>

#include "crypto_pool.h"
#include "p256.h"

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

int hvp_pubkey_from_point(const uint8_t point[HVP_P256_POINT_LEN],
			  struct hvp_pubkey *out)
{
	uint8_t spki[HVP_P256_SPKI_LEN];
	mbedtls_ecp_group *grp = hvp_p256();
	mbedtls_ecp_point q;
	int rc;

	if (!grp)
		return -1;
	mbedtls_ecp_point_init(&q);
	rc = hvp_p256_read_point(grp, &q, point);
	mbedtls_ecp_point_free(&q);
	/* The key's comb table now, while enrolling, not at the first
	 * verification. */
	if (rc != 0 || hvp_p256_prepare_key(point) != 0)
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

/*
 * The signature is strict DER, SEQUENCE { INTEGER r, INTEGER s } and not a
 * byte more, as mbedtls_ecdsa_read_signature() parses it; the check
 * itself runs on kept tables (p256.c).
 */
int hvp_ecdsa_p256_verify(const struct hvp_pubkey *key, const uint8_t hash[32],
			  const uint8_t *sig_der, size_t sig_len)
{
	unsigned char *p = (unsigned char *)sig_der;
	const unsigned char *end = sig_der + sig_len;
	mbedtls_mpi r, s;
	size_t len;
	int rc = -1;

	if (!sig_der || sig_len == 0 || sig_len > 80)
		return -1;
	hvp_crypto_pool_init();
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	if (mbedtls_asn1_get_tag(&p, end, &len,
				 MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) == 0 &&
	    p + len == end && mbedtls_asn1_get_mpi(&p, end, &r) == 0 &&
	    mbedtls_asn1_get_mpi(&p, end, &s) == 0 && p == end)
		rc = hvp_p256_verify(key->point, hash, &r, &s);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	return rc;
}
