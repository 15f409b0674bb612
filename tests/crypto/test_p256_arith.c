// SPDX-License-Identifier: MIT
/*
 * The four-limb field and the comb (crypto/p256_field.c, p256_point.c)
 * against Debian's mbedtls on thousands of inputs: random values, long
 * runs of zero and one bits, small values and values next to the modulus,
 * and scalar pairs that make the comb add a point to itself or to its
 * opposite.  Host only: it calls the crypto library's internals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/ecp.h>

#include "p256_field.h"
#include "p256_point.h"

static mbedtls_ecp_group grp;
static unsigned int seed = 11;

static void to_bytes(const mbedtls_mpi *a, uint8_t b[32])
{
	assert_int_equal(mbedtls_mpi_write_binary(a, b, 32), 0);
}

static void from_bytes(mbedtls_mpi *a, const uint8_t b[32])
{
	assert_int_equal(mbedtls_mpi_read_binary(a, b, 32), 0);
}

static void init_mod(struct hvp_mod *mod, const mbedtls_mpi *m)
{
	uint8_t b[32];

	to_bytes(m, b);
	hvp_mod_init(mod, b);
}

static void random_bytes(uint8_t b[32])
{
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)rand_r(&seed);
}

/* Alternating runs of ones and zeros, each 1 to 64 bits long. */
static void runs(uint8_t b[32])
{
	int bit = rand_r(&seed) & 1, left = 0;

	for (int i = 0; i < 256; i++) {
		if (left-- == 0) {
			bit ^= 1;
			left = rand_r(&seed) % 64;
		}
		if (bit)
			b[i / 8] |= 0x80 >> (i % 8);
		else
			b[i / 8] &= ~(0x80 >> (i % 8));
	}
}

/* One of several kinds of 256-bit values, some at or above m. */
static void some_value(uint8_t b[32], const mbedtls_mpi *m, unsigned int kind)
{
	mbedtls_mpi v;

	mbedtls_mpi_init(&v);
	memset(b, 0, 32);
	switch (kind % 6) {
	case 0:
		random_bytes(b);
		break;
	case 1:
		runs(b);
		break;
	case 2: /* 0 .. 1023 */
		b[31] = (uint8_t)rand_r(&seed);
		b[30] = (uint8_t)(rand_r(&seed) & 3);
		break;
	case 3: /* m - 1024 .. m + 1023 */
		assert_int_equal(mbedtls_mpi_add_int(&v, m, rand_r(&seed) % 2048 - 1024), 0);
		to_bytes(&v, b);
		break;
	case 4: /* 2^j or 2^j - 1 */
		assert_int_equal(mbedtls_mpi_lset(&v, 1), 0);
		assert_int_equal(mbedtls_mpi_shift_l(&v, rand_r(&seed) % 256), 0);
		assert_int_equal(mbedtls_mpi_sub_int(&v, &v, rand_r(&seed) & 1), 0);
		to_bytes(&v, b);
		break;
	case 5:
		memset(b, 0xff, 32);
		break;
	}
	mbedtls_mpi_free(&v);
}

/* hvp_fe_from_bytes's reduction, and add, sub, mul, inv modulo m. */
static void check_field(const mbedtls_mpi *m)
{
	struct hvp_mod mod;
	mbedtls_mpi a, b, want, got;

	init_mod(&mod, m);
	mbedtls_mpi_init(&a);
	mbedtls_mpi_init(&b);
	mbedtls_mpi_init(&want);
	mbedtls_mpi_init(&got);
	for (unsigned int i = 0; i < 3000; i++) {
		uint8_t ab[32], bb[32], out[32];
		struct hvp_fe fa, fb, ma, mb, r;

		some_value(ab, m, i);
		some_value(bb, m, i / 6);
		hvp_fe_from_bytes(&mod, &fa, ab);
		hvp_fe_from_bytes(&mod, &fb, bb);
		from_bytes(&a, ab);
		from_bytes(&b, bb);
		assert_int_equal(mbedtls_mpi_mod_mpi(&a, &a, m), 0);
		assert_int_equal(mbedtls_mpi_mod_mpi(&b, &b, m), 0);
		hvp_fe_to_bytes(out, &fa);
		from_bytes(&got, out);
		assert_int_equal(mbedtls_mpi_cmp_mpi(&got, &a), 0);

		hvp_mod_to_mont(&mod, &ma, &fa);
		hvp_mod_to_mont(&mod, &mb, &fb);
		for (int op = 0; op < 4; op++) {
			switch (op) {
			case 0:
				hvp_mod_add(&mod, &r, &fa, &fb);
				assert_int_equal(mbedtls_mpi_add_mpi(&want, &a, &b), 0);
				break;
			case 1:
				hvp_mod_sub(&mod, &r, &fa, &fb);
				assert_int_equal(mbedtls_mpi_sub_mpi(&want, &a, &b), 0);
				break;
			case 2:
				hvp_mod_mul(&mod, &r, &ma, &mb);
				hvp_mod_from_mont(&mod, &r, &r);
				assert_int_equal(mbedtls_mpi_mul_mpi(&want, &a, &b), 0);
				break;
			case 3:
				if (mbedtls_mpi_cmp_int(&a, 0) == 0)
					continue;
				hvp_mod_inv(&mod, &r, &ma);
				hvp_mod_from_mont(&mod, &r, &r);
				assert_int_equal(mbedtls_mpi_inv_mod(&want, &a, m), 0);
				break;
			}
			assert_int_equal(mbedtls_mpi_mod_mpi(&want, &want, m), 0);
			hvp_fe_to_bytes(out, &r);
			from_bytes(&got, out);
			assert_int_equal(mbedtls_mpi_cmp_mpi(&got, &want), 0);
		}
	}
	mbedtls_mpi_free(&got);
	mbedtls_mpi_free(&want);
	mbedtls_mpi_free(&b);
	mbedtls_mpi_free(&a);
}

static void field_modulo_p_and_n(void **state)
{
	check_field(&grp.P);
	check_field(&grp.N);
}

static void affine_of(const mbedtls_ecp_point *q, const struct hvp_mod *fp,
		      struct hvp_affine *a)
{
	uint8_t b[32];

	to_bytes(&q->X, b);
	hvp_fe_from_bytes(fp, &a->x, b);
	hvp_mod_to_mont(fp, &a->x, &a->x);
	to_bytes(&q->Y, b);
	hvp_fe_from_bytes(fp, &a->y, b);
	hvp_mod_to_mont(fp, &a->y, &a->y);
}

/* A scalar in [0, n - 1] of one of several kinds. */
static void some_scalar(mbedtls_mpi *u, unsigned int kind)
{
	uint8_t b[32];

	some_value(b, &grp.N, kind);
	from_bytes(u, b);
	assert_int_equal(mbedtls_mpi_mod_mpi(u, u, &grp.N), 0);
}

static struct hvp_comb g_comb, q_comb;

/*
 * u1·G + u2·Q against mbedtls_ecp_muladd() for keys Q = k·G: random k,
 * and k = 1, n - 1, 2 and 2^d (Q's table then shares points with G's),
 * with u2 sometimes u1 or n - u1 so that the comb meets R = T and R = -T.
 */
static void comb_against_muladd(void **state)
{
	struct hvp_mod fp, fn;
	struct hvp_affine ga, qa;
	mbedtls_mpi k, u1, u2;
	mbedtls_ecp_point q, want;
	unsigned int at_infinity = 0;

	init_mod(&fp, &grp.P);
	init_mod(&fn, &grp.N);
	mbedtls_mpi_init(&k);
	mbedtls_mpi_init(&u1);
	mbedtls_mpi_init(&u2);
	mbedtls_ecp_point_init(&q);
	mbedtls_ecp_point_init(&want);
	affine_of(&grp.G, &fp, &ga);
	assert_int_equal(hvp_comb_build(&fp, &g_comb, &ga), 0);
	for (int key = 0; key < 8; key++) {
		switch (key) {
		case 0:
			assert_int_equal(mbedtls_mpi_lset(&k, 1), 0);
			break;
		case 1:
			assert_int_equal(mbedtls_mpi_sub_int(&k, &grp.N, 1), 0);
			break;
		case 2:
			assert_int_equal(mbedtls_mpi_lset(&k, 2), 0);
			break;
		case 3:
			assert_int_equal(mbedtls_mpi_lset(&k, 1), 0);
			assert_int_equal(mbedtls_mpi_shift_l(&k, HVP_COMB_D), 0);
			break;
		default:
			some_scalar(&k, 0);
			break;
		}
		assert_int_equal(mbedtls_ecp_mul(&grp, &q, &k, &grp.G, NULL, NULL), 0);
		affine_of(&q, &fp, &qa);
		assert_int_equal(hvp_comb_build(&fp, &q_comb, &qa), 0);
		for (unsigned int i = 0; i < 400; i++) {
			struct hvp_fe s1, s2, x;
			uint8_t xb[32], wb[32];
			int rc;

			some_scalar(&u1, i);
			if (i % 7 == 0)
				assert_int_equal(mbedtls_mpi_copy(&u2, &u1), 0);
			else if (i % 7 == 1)
				assert_int_equal(mbedtls_mpi_sub_mpi(&u2, &grp.N, &u1), 0);
			else
				some_scalar(&u2, i / 6);
			assert_int_equal(mbedtls_mpi_mod_mpi(&u2, &u2, &grp.N), 0);
			assert_int_equal(mbedtls_ecp_muladd(&grp, &want, &u1, &grp.G, &u2, &q), 0);
			to_bytes(&u1, xb);
			hvp_fe_from_bytes(&fn, &s1, xb);
			to_bytes(&u2, xb);
			hvp_fe_from_bytes(&fn, &s2, xb);
			rc = hvp_comb_mul2_x(&fp, &x, &g_comb, &s1, &q_comb, &s2);
			if (mbedtls_ecp_is_zero(&want)) {
				assert_int_equal(rc, -1);
				at_infinity++;
				continue;
			}
			assert_int_equal(rc, 0);
			hvp_fe_to_bytes(xb, &x);
			to_bytes(&want.X, wb);
			assert_memory_equal(xb, wb, 32);
		}
	}
	/* u2 = n - u1 with Q = G, and u2 = u1 with Q = -G, at least. */
	assert_true(at_infinity >= 2 * 400 / 7);
	mbedtls_ecp_point_free(&want);
	mbedtls_ecp_point_free(&q);
	mbedtls_mpi_free(&u2);
	mbedtls_mpi_free(&u1);
	mbedtls_mpi_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(field_modulo_p_and_n),
		cmocka_unit_test(comb_against_muladd),
	};

	mbedtls_ecp_group_init(&grp);
	if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
