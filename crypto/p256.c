// SPDX-License-Identifier: MIT
/*
 * ECDSA P-256 verification on comb tables kept between calls.
 *
 * A verification computes u1·G + u2·Q.  Each key gets an affine comb
 * table when it is enrolled, at boot in the hypervisor, and G gets one
 * when the group is loaded; a verification is then one interleaved comb
 * over the two tables with a single inversion at the end
 * (p256_point.c), on four-limb Montgomery arithmetic (p256_field.c):
 * 1.0 M instructions where mbedtls_ecp_mul() twice and
 * mbedtls_ecp_muladd() took 6.8 M (docs/performance.md).  mbedtls still
 * loads the group's constants, parses integers and checks that a key is
 * on the curve.
 */
#include "p256.h"

#include <mbedtls/bignum.h>

#include "crypto_pool.h"
#include "p256_point.h"

/* Keys with a table: enough for every key the loader enrols (the
 * engine's HVP_MAX_KEYS); more are served round-robin. */
#define KEY_TABLES 8

static mbedtls_ecp_group p256;
static struct hvp_mod fp, fn; /* modulo the field's p, the group order n */
static struct hvp_comb g_comb;
static int p256_loaded;

static struct key_table {
	uint8_t point[HVP_P256_POINT_LEN];
	struct hvp_comb comb;
	int ready;
} key_tables[KEY_TABLES];
static unsigned int next_table;

/* a < 2^256 (the callers check a's range), reduced modulo mod's m. */
static void mpi_to_fe(const struct hvp_mod *mod, struct hvp_fe *r, const mbedtls_mpi *a)
{
	uint8_t b[32];

	mbedtls_mpi_write_binary(a, b, sizeof(b));
	hvp_fe_from_bytes(mod, r, b);
}

/* The table of a point on the curve, 0x04 || X || Y. */
static int build_comb(struct hvp_comb *comb, const uint8_t point[HVP_P256_POINT_LEN])
{
	struct hvp_affine p;

	hvp_fe_from_bytes(&fp, &p.x, point + 1);
	hvp_fe_from_bytes(&fp, &p.y, point + 33);
	hvp_mod_to_mont(&fp, &p.x, &p.x);
	hvp_mod_to_mont(&fp, &p.y, &p.y);
	return hvp_comb_build(&fp, comb, &p);
}

/* The group's constants, from mbedtls; p and n both exceed 2^255, as
 * hvp_mod_init() needs. */
static int load_p256(void)
{
	uint8_t b[HVP_P256_POINT_LEN];
	size_t len;

	mbedtls_ecp_group_init(&p256);
	if (mbedtls_ecp_group_load(&p256, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
	    mbedtls_mpi_write_binary(&p256.P, b, 32) != 0)
		return -1;
	hvp_mod_init(&fp, b);
	if (mbedtls_mpi_write_binary(&p256.N, b, 32) != 0)
		return -1;
	hvp_mod_init(&fn, b);
	if (mbedtls_ecp_point_write_binary(&p256, &p256.G, MBEDTLS_ECP_PF_UNCOMPRESSED,
					   &len, b, sizeof(b)) != 0 ||
	    len != sizeof(b))
		return -1;
	return build_comb(&g_comb, b);
}

mbedtls_ecp_group *hvp_p256(void)
{
	hvp_crypto_pool_init();
	if (!p256_loaded) {
		if (load_p256() != 0) {
			mbedtls_ecp_group_free(&p256);
			return NULL;
		}
		p256_loaded = 1;
	}
	return &p256;
}

int hvp_p256_read_point(const mbedtls_ecp_group *grp, mbedtls_ecp_point *q,
			const uint8_t point[HVP_P256_POINT_LEN])
{
	if (point[0] != 0x04 ||
	    mbedtls_ecp_point_read_binary(grp, q, point, HVP_P256_POINT_LEN) != 0 ||
	    mbedtls_ecp_check_pubkey(grp, q) != 0)
		return -1;
	return 0;
}

static int same_point(const uint8_t *a, const uint8_t *b)
{
	for (size_t i = 0; i < HVP_P256_POINT_LEN; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The table of a point checked to be on the curve. */
static int load_key_comb(struct hvp_comb *comb, const mbedtls_ecp_group *grp,
			 const uint8_t point[HVP_P256_POINT_LEN])
{
	mbedtls_ecp_point q;
	int rc;

	mbedtls_ecp_point_init(&q);
	rc = hvp_p256_read_point(grp, &q, point);
	mbedtls_ecp_point_free(&q);
	return rc == 0 ? build_comb(comb, point) : -1;
}

static const struct hvp_comb *key_comb(const uint8_t point[HVP_P256_POINT_LEN])
{
	const mbedtls_ecp_group *grp = hvp_p256();
	struct key_table *t;

	if (!grp)
		return NULL;
	for (unsigned int i = 0; i < KEY_TABLES; i++)
		if (key_tables[i].ready && same_point(key_tables[i].point, point))
			return &key_tables[i].comb;
	t = &key_tables[next_table];
	next_table = (next_table + 1) % KEY_TABLES;
	t->ready = 0;
	if (load_key_comb(&t->comb, grp, point) != 0)
		return NULL;
	for (size_t i = 0; i < HVP_P256_POINT_LEN; i++)
		t->point[i] = point[i];
	t->ready = 1;
	return &t->comb;
}

int hvp_p256_prepare_key(const uint8_t point[HVP_P256_POINT_LEN])
{
	return key_comb(point) ? 0 : -1;
}

/* SEC 1 v2, 4.1.4: ECDSA verification, steps 1 and 4 to 8 (the caller
 * hashed the message: steps 2 and 3). */
int hvp_p256_verify(const uint8_t point[HVP_P256_POINT_LEN], const uint8_t hash[32],
		    const mbedtls_mpi *r, const mbedtls_mpi *s)
{
	const mbedtls_ecp_group *grp = hvp_p256();
	const struct hvp_comb *q = key_comb(point);
	struct hvp_fe e, rn, w, u1, u2, x;
	uint8_t xb[32];

	if (!grp || !q)
		return -1;
	/* 1: r and s in [1, n-1]. */
	if (mbedtls_mpi_cmp_int(r, 1) < 0 || mbedtls_mpi_cmp_mpi(r, &grp->N) >= 0 ||
	    mbedtls_mpi_cmp_int(s, 1) < 0 || mbedtls_mpi_cmp_mpi(s, &grp->N) >= 0)
		return -1;
	/* 4: e, the 256-bit hash as an integer, reduced modulo n by one
	 * subtraction at most.  5: u1 = e·s^-1, u2 = r·s^-1 (mod n): w is
	 * s^-1 in Montgomery form, and a Montgomery product of a plain
	 * number with it is plain. */
	hvp_fe_from_bytes(&fn, &e, hash);
	mpi_to_fe(&fn, &rn, r);
	mpi_to_fe(&fn, &w, s);
	hvp_mod_to_mont(&fn, &w, &w);
	hvp_mod_inv(&fn, &w, &w);
	hvp_mod_mul(&fn, &u1, &e, &w);
	hvp_mod_mul(&fn, &u2, &rn, &w);
	/* 5, 6: R = u1·G + u2·Q, refused if at infinity; 7, 8: valid iff
	 * R's x, reduced modulo n (p < 2n: one subtraction), is r. */
	if (hvp_comb_mul2_x(&fp, &x, &g_comb, &u1, q, &u2) != 0)
		return -1;
	hvp_fe_to_bytes(xb, &x);
	hvp_fe_from_bytes(&fn, &x, xb);
	return hvp_fe_equal(&x, &rn) ? 0 : -1;
}
