// SPDX-License-Identifier: MIT
/*
 * hvpatch's verify API over mbedtls 2.28.  Every input is untrusted: the
 * DER parsers below reject anything but the one encoding we accept, and
 * a signature is strict DER with no trailing bytes.
 */
#include "hvp_crypto.h"

#include <mbedtls/asn1.h>
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

/*
 * The P-256 group, loaded once and kept.  With MBEDTLS_ECP_FIXED_POINT_OPTIM
 * a multiplication of the generator stores a comb table for it in the
 * group, so one is done here, when the first key is enrolled at boot, and
 * every verification reuses the table instead of building it again.  Not
 * re-entrant, like the pool: the hypervisor verifies one bundle at a time.
 */
static mbedtls_ecp_group p256;
static int p256_loaded;

static int load_p256(void)
{
	mbedtls_ecp_point g;
	mbedtls_mpi one;
	int rc;

	mbedtls_ecp_group_init(&p256);
	mbedtls_ecp_point_init(&g);
	mbedtls_mpi_init(&one);
	rc = mbedtls_ecp_group_load(&p256, MBEDTLS_ECP_DP_SECP256R1);
	if (rc == 0)
		rc = mbedtls_mpi_lset(&one, 1);
	if (rc == 0)
		rc = mbedtls_ecp_mul(&p256, &g, &one, &p256.G, NULL, NULL);
	mbedtls_mpi_free(&one);
	mbedtls_ecp_point_free(&g);
	if (rc != 0)
		mbedtls_ecp_group_free(&p256);
	return rc;
}

static mbedtls_ecp_group *p256_group(void)
{
	hvp_crypto_pool_init();
	if (!p256_loaded && load_p256() == 0)
		p256_loaded = 1;
	return p256_loaded ? &p256 : NULL;
}

/* 0 when point is an uncompressed point on the curve, now in q. */
static int read_point(const mbedtls_ecp_group *grp, mbedtls_ecp_point *q,
		      const uint8_t point[HVP_P256_POINT_LEN])
{
	if (point[0] != 0x04 ||
	    mbedtls_ecp_point_read_binary(grp, q, point, HVP_P256_POINT_LEN) != 0 ||
	    mbedtls_ecp_check_pubkey(grp, q) != 0)
		return -1;
	return 0;
}

int hvp_pubkey_from_point(const uint8_t point[HVP_P256_POINT_LEN],
			  struct hvp_pubkey *out)
{
	uint8_t spki[HVP_P256_SPKI_LEN];
	mbedtls_ecp_group *grp = p256_group();
	mbedtls_ecp_point q;
	int rc;

	if (!grp)
		return -1;
	mbedtls_ecp_point_init(&q);
	rc = read_point(grp, &q, point);
	mbedtls_ecp_point_free(&q);
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

/*
 * The signature is strict DER, SEQUENCE { INTEGER r, INTEGER s } and not a
 * byte more, as mbedtls_ecdsa_read_signature() parses it; parsed here so
 * that the verification runs on the kept group.
 */
int hvp_ecdsa_p256_verify(const struct hvp_pubkey *key, const uint8_t hash[32],
			  const uint8_t *sig_der, size_t sig_len)
{
	unsigned char *p = (unsigned char *)sig_der;
	const unsigned char *end = sig_der + sig_len;
	mbedtls_ecp_group *grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	size_t len;
	int rc = -1;

	if (!sig_der || sig_len == 0 || sig_len > 80)
		return -1;
	grp = p256_group();
	if (!grp)
		return -1;
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	if (read_point(grp, &q, key->point) == 0 &&
	    mbedtls_asn1_get_tag(&p, end, &len,
				 MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) == 0 &&
	    p + len == end && mbedtls_asn1_get_mpi(&p, end, &r) == 0 &&
	    mbedtls_asn1_get_mpi(&p, end, &s) == 0 && p == end &&
	    mbedtls_ecdsa_verify(grp, hash, 32, &q, &r, &s) == 0)
		rc = 0;
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_ecp_point_free(&q);
	return rc;
}
