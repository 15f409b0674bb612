/* SPDX-License-Identifier: MIT */
/*
 * P-256 on comb tables kept between calls (p256.c), for hvp_crypto.c.
 * Not re-entrant, like the pool: one verification at a time.
 */
#ifndef HVPATCH_CRYPTO_P256_H
#define HVPATCH_CRYPTO_P256_H

#include <stdint.h>

#include <mbedtls/ecp.h>

#include "hvp_crypto.h"

/* mbedtls's P-256 group, loaded once with G's comb table (p256.c);
 * NULL if out of memory. */
mbedtls_ecp_group *hvp_p256(void);

/* 0 when point is an uncompressed point on the curve, now in q. */
int hvp_p256_read_point(const mbedtls_ecp_group *grp, mbedtls_ecp_point *q,
			const uint8_t point[HVP_P256_POINT_LEN]);

/* 0 after the key's table is built (or found): a later verification with
 * this point skips building it. */
int hvp_p256_prepare_key(const uint8_t point[HVP_P256_POINT_LEN]);

/* 0 when (r, s) is a valid ECDSA signature of the 32-byte hash by the
 * key at point (SEC 1 v2, 4.1.4). */
int hvp_p256_verify(const uint8_t point[HVP_P256_POINT_LEN], const uint8_t hash[32],
		    const mbedtls_mpi *r, const mbedtls_mpi *s);

#endif /* HVPATCH_CRYPTO_P256_H */
