/* SPDX-License-Identifier: MIT */
/*
 * Byte-range helpers for code that runs both freestanding in VMX root and
 * on the host under test.  Plain loops: the hypervisor links no libc, and
 * these run on a few hundred bytes at a time.
 */
#ifndef HVPATCH_LIB_BYTES_H
#define HVPATCH_LIB_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool hvp_bytes_equal(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;
	uint8_t diff = 0;

	/* Constant time in len: also used on digests and key ids. */
	for (size_t i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

static inline bool hvp_bytes_all_zero(const void *p, size_t len)
{
	const uint8_t *x = p;
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= x[i];
	return acc == 0;
}

static inline void hvp_bytes_copy(void *dst, const void *src, size_t len)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	for (size_t i = 0; i < len; i++)
		d[i] = s[i];
}

static inline void hvp_bytes_fill(void *dst, uint8_t value, size_t len)
{
	uint8_t *d = dst;

	for (size_t i = 0; i < len; i++)
		d[i] = value;
}

#endif /* HVPATCH_LIB_BYTES_H */
