/* SPDX-License-Identifier: MIT */
/*
 * mbedtls configuration for the hypervisor: ECDSA P-256 verification with
 * SHA-256, and nothing else.  No entropy, files, time, networking or
 * libc; memory from a static pool (freestanding/pool.c).
 */
#ifndef HVPATCH_MBEDTLS_CONFIG_H
#define HVPATCH_MBEDTLS_CONFIG_H

/* x86-64 multiply in inline asm: general-purpose registers only. */
#define MBEDTLS_HAVE_ASM
/* No 128-bit division: it would need libgcc's __udivti3. */
#define MBEDTLS_NO_UDBL_DIVISION

#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
#define MBEDTLS_NO_PLATFORM_ENTROPY
/* The pool allocator stops on a corrupted heap: a bug, never guest input. */
#define MBEDTLS_PLATFORM_EXIT_MACRO hvp_crypto_halt
void hvp_crypto_halt(int status) __attribute__((noreturn));

#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
/* Verification uses only public values, so the scalar-multiplication
 * blinding RNG (for secret scalars) is not needed. */
#define MBEDTLS_ECP_NO_INTERNAL_RNG
/* No mbedtls point multiplication runs (crypto/p256_point.c keeps comb
 * tables of its own, outside the pool): the smallest window, no table. */
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C /* required by MBEDTLS_ECDSA_C */
#define MBEDTLS_SHA256_C

#include "mbedtls/check_config.h"

#endif /* HVPATCH_MBEDTLS_CONFIG_H */
