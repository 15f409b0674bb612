/* SPDX-License-Identifier: MIT */
/*
 * P-256 points for verification: affine comb tables built once per point,
 * and u1·G + u2·Q as one interleaved comb over two of them (p256_point.c).
 * Coordinates are in Montgomery form modulo p (p256_field.h).
 */
#ifndef HVPATCH_CRYPTO_P256_POINT_H
#define HVPATCH_CRYPTO_P256_POINT_H

#include "p256_field.h"

/*
 * The comb's teeth: a scalar's 256 bits are read as HVP_COMB_W rows of
 * HVP_COMB_D bits.  W = 7: d = 37, 127 points, 8,128 bytes a table.
 * W = 8 saves 8% of a verification for twice the memory, W = 6 costs 12%
 * more (docs/performance.md).
 */
#define HVP_COMB_W 7
#define HVP_COMB_D ((256 + HVP_COMB_W - 1) / HVP_COMB_W)
#define HVP_COMB_POINTS ((1u << HVP_COMB_W) - 1)

struct hvp_affine {
	struct hvp_fe x, y;
};

/* t[i - 1] = sum over the bits j of i of 2^(j·d)·P, for i in 1..2^W-1. */
struct hvp_comb {
	struct hvp_affine t[HVP_COMB_POINTS];
};

/* P must be on the curve (checked by the caller); 0, or -1 if a table
 * point came out at infinity, which a point of order n never gives. */
int hvp_comb_build(const struct hvp_mod *fp, struct hvp_comb *comb,
		   const struct hvp_affine *p);

/* The affine x (plain, not Montgomery form) of u1·A + u2·B, where a and
 * b are A's and B's tables and u1, u2 plain scalars below 2^256; -1 if
 * the sum is the point at infinity. */
int hvp_comb_mul2_x(const struct hvp_mod *fp, struct hvp_fe *x,
		    const struct hvp_comb *a, const struct hvp_fe *u1,
		    const struct hvp_comb *b, const struct hvp_fe *u2);

#endif /* HVPATCH_CRYPTO_P256_POINT_H */
