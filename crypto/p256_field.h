/* SPDX-License-Identifier: MIT */
/*
 * Arithmetic modulo a 256-bit odd m on four 64-bit limbs, in Montgomery
 * form (R = 2^256), for P-256's p and n.  Not constant time: the
 * verifier handles only public values.
 */
#ifndef HVPATCH_CRYPTO_P256_FIELD_H
#define HVPATCH_CRYPTO_P256_FIELD_H

#include <stdint.h>

/* Little-endian limbs; every operation takes and returns values in
 * [0, m), so a value is zero iff all its limbs are. */
struct hvp_fe {
	uint64_t v[4];
};

struct hvp_mod {
	struct hvp_fe m;
	struct hvp_fe r2;	/* R^2 mod m: into Montgomery form */
	struct hvp_fe one;	/* R mod m: 1 in Montgomery form */
	struct hvp_fe m_minus_2; /* Fermat's exponent for the inverse */
	uint64_t m0inv;		/* -m^-1 mod 2^64 */
};

/* m from 32 big-endian bytes; it must be odd and above 2^255 (p and n
 * are), so that one subtraction reduces any 256-bit value. */
void hvp_mod_init(struct hvp_mod *mod, const uint8_t m[32]);

/* A 256-bit big-endian value, reduced (plain, not Montgomery form). */
void hvp_fe_from_bytes(const struct hvp_mod *mod, struct hvp_fe *r, const uint8_t b[32]);
void hvp_fe_to_bytes(uint8_t b[32], const struct hvp_fe *a);

int hvp_fe_is_zero(const struct hvp_fe *a);
int hvp_fe_equal(const struct hvp_fe *a, const struct hvp_fe *b);
/* Bit i (0 = least significant) of a plain value, i < 256. */
static inline unsigned int hvp_fe_bit(const struct hvp_fe *a, unsigned int i)
{
	return (a->v[i / 64] >> (i % 64)) & 1;
}

void hvp_mod_add(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a,
		 const struct hvp_fe *b);
void hvp_mod_sub(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a,
		 const struct hvp_fe *b);
/* a·b·R^-1 mod m: Montgomery times Montgomery is Montgomery, Montgomery
 * times plain is plain. */
void hvp_mod_mul(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a,
		 const struct hvp_fe *b);
void hvp_mod_to_mont(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a);
void hvp_mod_from_mont(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a);
/* The inverse of a in Montgomery form, for a prime m; 0 for a = 0. */
void hvp_mod_inv(const struct hvp_mod *mod, struct hvp_fe *r, const struct hvp_fe *a);

#endif /* HVPATCH_CRYPTO_P256_FIELD_H */
