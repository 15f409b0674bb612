// SPDX-License-Identifier: MIT
/*
 * P-256 point arithmetic for verification (p256_point.h).
 *
 * Jacobian coordinates (X, Y, Z) stand for (X/Z^2, Y/Z^3); Z = 0 is the
 * point at infinity.  Doubling is "dbl-2001-b" for a = -3 and the mixed
 * addition of an affine point "madd-2007-bl", both from the Explicit-
 * Formulas Database (Bernstein and Lange, hyperelliptic.org/EFD).  The
 * addition formula is wrong for equal or opposite points and for the
 * point at infinity, so each case is taken apart before it.
 *
 * u1·A + u2·B is the fixed-base comb of Lim and Lee ("More Flexible
 * Exponentiation with Precomputation", CRYPTO '94), run over both
 * scalars' columns in one pass with a shared doubling (Shamir's trick):
 * Hankerson, Menezes and Vanstone, "Guide to Elliptic Curve
 * Cryptography" (2004), section 3.3, on the fixed-base comb method and
 * simultaneous multiple point multiplication.
 */
#include "p256_point.h"

struct jacobian {
	struct hvp_fe x, y, z;
};

/* Not re-entrant, like the rest of crypto/: a table's Z coordinates
 * before normalization, and the running products that normalize them. */
static struct hvp_fe scratch_z[HVP_COMB_POINTS], scratch_prod[HVP_COMB_POINTS];

static void jacobian_double(const struct hvp_mod *fp, struct jacobian *r)
{
	struct hvp_fe delta, gamma, beta, alpha, t;

	/* 2·O = O; P-256 has no point of order 2, so Y = 0 never occurs. */
	if (hvp_fe_is_zero(&r->z))
		return;
	hvp_mod_mul(fp, &delta, &r->z, &r->z);
	hvp_mod_mul(fp, &gamma, &r->y, &r->y);
	hvp_mod_mul(fp, &beta, &r->x, &gamma);
	/* alpha = 3·(X - delta)·(X + delta): 3·X^2 + a·Z^4 with a = -3 */
	hvp_mod_sub(fp, &t, &r->x, &delta);
	hvp_mod_add(fp, &alpha, &r->x, &delta);
	hvp_mod_mul(fp, &alpha, &alpha, &t);
	hvp_mod_add(fp, &t, &alpha, &alpha);
	hvp_mod_add(fp, &alpha, &alpha, &t);
	/* Z3 = 2·Y·Z, the same as the EFD's (Y + Z)^2 - gamma - delta */
	hvp_mod_mul(fp, &r->z, &r->y, &r->z);
	hvp_mod_add(fp, &r->z, &r->z, &r->z);
	/* X3 = alpha^2 - 8·beta */
	hvp_mod_add(fp, &beta, &beta, &beta);
	hvp_mod_add(fp, &beta, &beta, &beta);
	hvp_mod_mul(fp, &r->x, &alpha, &alpha);
	hvp_mod_add(fp, &t, &beta, &beta);
	hvp_mod_sub(fp, &r->x, &r->x, &t);
	/* Y3 = alpha·(4·beta - X3) - 8·gamma^2 */
	hvp_mod_sub(fp, &t, &beta, &r->x);
	hvp_mod_mul(fp, &r->y, &alpha, &t);
	hvp_mod_mul(fp, &gamma, &gamma, &gamma);
	hvp_mod_add(fp, &gamma, &gamma, &gamma);
	hvp_mod_add(fp, &gamma, &gamma, &gamma);
	hvp_mod_add(fp, &gamma, &gamma, &gamma);
	hvp_mod_sub(fp, &r->y, &r->y, &gamma);
}

/* r += q, q affine and not at infinity. */
static void jacobian_add_affine(const struct hvp_mod *fp, struct jacobian *r,
				const struct hvp_affine *q)
{
	struct hvp_fe z1z1, u2, s2, h, rr, hh, i, j, v, x3;

	if (hvp_fe_is_zero(&r->z)) {
		r->x = q->x;
		r->y = q->y;
		r->z = fp->one;
		return;
	}
	hvp_mod_mul(fp, &z1z1, &r->z, &r->z);
	hvp_mod_mul(fp, &u2, &q->x, &z1z1);
	hvp_mod_mul(fp, &s2, &q->y, &r->z);
	hvp_mod_mul(fp, &s2, &s2, &z1z1);
	hvp_mod_sub(fp, &h, &u2, &r->x);
	hvp_mod_sub(fp, &rr, &s2, &r->y);
	/* Same x: q is r (double it) or -r (the sum is O). */
	if (hvp_fe_is_zero(&h)) {
		if (hvp_fe_is_zero(&rr))
			jacobian_double(fp, r);
		else
			r->x = r->y = r->z = (struct hvp_fe){ { 0 } };
		return;
	}
	hvp_mod_mul(fp, &hh, &h, &h);
	hvp_mod_add(fp, &i, &hh, &hh);
	hvp_mod_add(fp, &i, &i, &i);
	hvp_mod_mul(fp, &j, &h, &i);
	hvp_mod_add(fp, &rr, &rr, &rr);
	hvp_mod_mul(fp, &v, &r->x, &i);
	/* X3 = rr^2 - J - 2·V */
	hvp_mod_mul(fp, &x3, &rr, &rr);
	hvp_mod_sub(fp, &x3, &x3, &j);
	hvp_mod_sub(fp, &x3, &x3, &v);
	hvp_mod_sub(fp, &x3, &x3, &v);
	/* Y3 = rr·(V - X3) - 2·Y1·J */
	hvp_mod_sub(fp, &v, &v, &x3);
	hvp_mod_mul(fp, &v, &rr, &v);
	hvp_mod_mul(fp, &j, &r->y, &j);
	hvp_mod_add(fp, &j, &j, &j);
	hvp_mod_sub(fp, &r->y, &v, &j);
	/* Z3 = 2·Z1·H, the same as the EFD's (Z1 + H)^2 - Z1Z1 - HH */
	hvp_mod_mul(fp, &r->z, &r->z, &h);
	hvp_mod_add(fp, &r->z, &r->z, &r->z);
	r->x = x3;
}

/*
 * pts[k] := (X/Z^2, Y/Z^3) for the (X, Y) in pts[k] and Z in z[k], with
 * one inversion for all n (Montgomery's trick: invert the product, then
 * peel one factor off at a time).  -1 if a Z is zero.
 */
static int normalize(const struct hvp_mod *fp, struct hvp_affine *pts,
		     const struct hvp_fe *z, unsigned int n)
{
	struct hvp_fe *prod = scratch_prod, inv, zinv, zinv2;

	prod[0] = z[0];
	for (unsigned int k = 1; k < n; k++)
		hvp_mod_mul(fp, &prod[k], &prod[k - 1], &z[k]);
	if (hvp_fe_is_zero(&prod[n - 1]))
		return -1;
	hvp_mod_inv(fp, &inv, &prod[n - 1]);
	for (unsigned int k = n; k-- > 0;) {
		if (k > 0) {
			hvp_mod_mul(fp, &zinv, &inv, &prod[k - 1]);
			hvp_mod_mul(fp, &inv, &inv, &z[k]);
		} else {
			zinv = inv;
		}
		hvp_mod_mul(fp, &zinv2, &zinv, &zinv);
		hvp_mod_mul(fp, &pts[k].x, &pts[k].x, &zinv2);
		hvp_mod_mul(fp, &zinv2, &zinv2, &zinv);
		hvp_mod_mul(fp, &pts[k].y, &pts[k].y, &zinv2);
	}
	return 0;
}

int hvp_comb_build(const struct hvp_mod *fp, struct hvp_comb *comb,
		   const struct hvp_affine *p)
{
	struct hvp_affine base[HVP_COMB_W];
	struct hvp_fe base_z[HVP_COMB_W];
	struct jacobian r = { p->x, p->y, fp->one };

	/* The rows' points 2^(j·d)·P, by doubling; then normalized. */
	for (unsigned int j = 0; j < HVP_COMB_W; j++) {
		for (unsigned int k = 0; j > 0 && k < HVP_COMB_D; k++)
			jacobian_double(fp, &r);
		base[j] = (struct hvp_affine){ r.x, r.y };
		base_z[j] = r.z;
	}
	if (normalize(fp, base, base_z, HVP_COMB_W) != 0)
		return -1;
	/* t[i] = t[i without its top bit] + that bit's row point, in
	 * Jacobian coordinates (X, Y in the table, Z aside), then all
	 * normalized at once. */
	for (unsigned int i = 1; i <= HVP_COMB_POINTS; i++) {
		unsigned int top = 31 - __builtin_clz(i), low = i & ~(1u << top);

		if (low == 0) {
			r = (struct jacobian){ base[top].x, base[top].y, fp->one };
		} else {
			r = (struct jacobian){ comb->t[low - 1].x, comb->t[low - 1].y,
					       scratch_z[low - 1] };
			jacobian_add_affine(fp, &r, &base[top]);
		}
		comb->t[i - 1] = (struct hvp_affine){ r.x, r.y };
		scratch_z[i - 1] = r.z;
	}
	return normalize(fp, comb->t, scratch_z, HVP_COMB_POINTS);
}

/* Column i of k: bit j·d + i of k as bit j of the table index. */
static unsigned int comb_index(const struct hvp_fe *k, unsigned int i)
{
	unsigned int idx = 0;

	for (unsigned int j = 0; j < HVP_COMB_W && j * HVP_COMB_D + i < 256; j++)
		idx |= hvp_fe_bit(k, j * HVP_COMB_D + i) << j;
	return idx;
}

int hvp_comb_mul2_x(const struct hvp_mod *fp, struct hvp_fe *x,
		    const struct hvp_comb *a, const struct hvp_fe *u1,
		    const struct hvp_comb *b, const struct hvp_fe *u2)
{
	struct jacobian r = { 0 };
	struct hvp_fe zinv;

	for (unsigned int i = HVP_COMB_D; i-- > 0;) {
		unsigned int ia = comb_index(u1, i), ib = comb_index(u2, i);

		jacobian_double(fp, &r);
		if (ia)
			jacobian_add_affine(fp, &r, &a->t[ia - 1]);
		if (ib)
			jacobian_add_affine(fp, &r, &b->t[ib - 1]);
	}
	if (hvp_fe_is_zero(&r.z))
		return -1;
	hvp_mod_inv(fp, &zinv, &r.z);
	hvp_mod_mul(fp, &zinv, &zinv, &zinv);
	hvp_mod_mul(fp, x, &r.x, &zinv);
	hvp_mod_from_mont(fp, x, x);
	return 0;
}
