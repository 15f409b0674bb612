// SPDX-License-Identifier: MIT
/*
 * Montgomery arithmetic on four 64-bit limbs (p256_field.h): the product
 * is the word-by-word "CIOS" form of Koç, Acar and Kaliski, "Analyzing
 * and Comparing Montgomery Multiplication Algorithms" (IEEE Micro, 1996),
 * the inverse is Fermat's a^(m-2).  The 64x64->128-bit products compile
 * to MUL on general registers, with no call into libgcc.
 */
#include "p256_field.h"

typedef unsigned __int128 u128;

/* r = a + b; returns the carry out. */
static uint64_t add4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t carry = 0;

#pragma GCC unroll 4
	for (int i = 0; i < 4; i++) {
		u128 s = (u128)a[i] + b[i] + carry;

		r[i] = (uint64_t)s;
		carry = (uint64_t)(s >> 64);
	}
	return carry;
}

/* r = a - b; returns the borrow out. */
static uint64_t sub4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t borrow = 0;

#pragma GCC unroll 4
	for (int i = 0; i < 4; i++) {
		u128 d = (u128)a[i] - b[i] - borrow;

		r[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	return borrow;
}

/* r := carry·2^256 + r, known to be below 2m, reduced into [0, m). */
static inline void reduce_once(const struct hvp_mod *mod, uint64_t r[4], uint64_t carry)
{
	uint64_t t[4];

	if (sub4(t, r, mod->m.v) == 0 || carry)
#pragma GCC unroll 4
		for (int i = 0; i < 4; i++)
			r[i] = t[i];
}

void hvp_mod_init(struct hvp_mod *mod, const uint8_t m[32])
{
	static const uint64_t zero[4], two[4] = { 2 };
	uint64_t inv = 1;

	for (int i = 0; i < 4; i++) {
		mod->m.v[i] = 0;
		for (int j = 0; j < 8; j++)
			mod->m.v[i] |= (uint64_t)m[31 - 8 * i - j] << (8 * j);
	}
	/* Newton's iteration doubles the correct low bits of m0^-1 each
	 * step: 1, 2, 4, ..., 64. */
	for (int i = 0; i < 6; i++)
		inv *= 2 - mod->m.v[0] * inv;
	mod->m0inv = -inv;
	/* R mod m = 2^256 - m, as m > 2^255; then R^2 = R·2^256 by doubling. */
	sub4(mod->one.v, zero, mod->m.v);
	mod->r2 = mod->one;
	for (int i = 0; i < 256; i++)
		hvp_mod_add(mod, &mod->r2, &mod->r2, &mod->r2);
	sub4(mod->m_minus_2.v, mod->m.v, two);
}

void hvp_fe_from_bytes(const struct hvp_mod *mod, struct hvp_fe *r, const uint8_t b[32])
{
	for (int i = 0; i < 4; i++) {
		r->v[i] = 0;
		for (int j = 0; j < 8; j++)
			r->v[i] |= (uint64_t)b[31 - 8 * i - j] << (8 * j);
	}
	reduce_once(mod, r->v, 0);
}

void hvp_fe_to_bytes(uint8_t b[32], const struct hvp_fe *a)
{
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 8; j++)
			b[31 - 8 * i - j] = (uint8_t)(a->v[i] >> (8 * j));
}

int hvp_fe_is_zero(const struct hvp_fe *a)
{
	return (a->v[0] | a->v[1] | a->v[2] | a->v[3]) == 0;
}

int hvp_fe_equal(const struct hvp_fe *a, const struct hvp_fe *b)
{
	return ((a->v[0] ^ b->v[0]) | (a->v[1] ^ b->v[1]) | (a->v[2] ^ b->v[2]) |
		(a->v[3] ^ b->v[3])) == 0;
}

void hvp_mod_add(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a,
		 const struct hvp_fe *b)
{
	reduce_once(mod, r->v, add4(r->v, a->v, b->v));
}

void hvp_mod_sub(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a,
		 const struct hvp_fe *b)
{
	if (sub4(r->v, a->v, b->v))
		add4(r->v, r->v, mod->m.v);
}

void hvp_mod_mul(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a,
		 const struct hvp_fe *b)
{
	uint64_t t[6] = { 0 };

	/* Each round adds a·b_i, then the multiple q·m of m that clears the
	 * low limb, and shifts one limb out; t stays below 2m. */
#pragma GCC unroll 4
	for (int i = 0; i < 4; i++) {
		uint64_t q;
		u128 c = 0;

#pragma GCC unroll 4
		for (int j = 0; j < 4; j++) {
			c = (u128)a->v[j] * b->v[i] + t[j] + (uint64_t)(c >> 64);
			t[j] = (uint64_t)c;
		}
		c = (u128)t[4] + (uint64_t)(c >> 64);
		t[4] = (uint64_t)c;
		t[5] = (uint64_t)(c >> 64);
		q = t[0] * mod->m0inv;
		c = (u128)q * mod->m.v[0] + t[0];
#pragma GCC unroll 3
		for (int j = 1; j < 4; j++) {
			c = (u128)q * mod->m.v[j] + t[j] + (uint64_t)(c >> 64);
			t[j - 1] = (uint64_t)c;
		}
		c = (u128)t[4] + (uint64_t)(c >> 64);
		t[3] = (uint64_t)c;
		t[4] = t[5] + (uint64_t)(c >> 64);
	}
	reduce_once(mod, t, t[4]);
#pragma GCC unroll 4
	for (int i = 0; i < 4; i++)
		r->v[i] = t[i];
}

void hvp_mod_to_mont(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a)
{
	hvp_mod_mul(mod, r, a, &mod->r2);
}

void hvp_mod_from_mont(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a)
{
	static const struct hvp_fe plain_one = { { 1 } };

	hvp_mod_mul(mod, r, a, &plain_one);
}

void hvp_mod_inv(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a)
{
	struct hvp_fe x = *a;

	*r = mod->one;
	for (int i = 255; i >= 0; i--) {
		hvp_mod_mul(mod, r, r, r);
		if (hvp_fe_bit(&mod->m_minus_2, i))
			hvp_mod_mul(mod, r, r, &x);
	}
}
