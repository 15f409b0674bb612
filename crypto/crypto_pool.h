/* SPDX-License-Identifier: MIT */
/*
 * Where mbedtls gets its memory.  On the host: libc's heap, nothing to do.
 * In the hypervisor: a fixed static pool (freestanding/pool.c), set up on
 * first use.
 */
#ifndef HVPATCH_CRYPTO_POOL_H
#define HVPATCH_CRYPTO_POOL_H

void hvp_crypto_pool_init(void);

#endif /* HVPATCH_CRYPTO_POOL_H */
