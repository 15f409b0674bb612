// SPDX-License-Identifier: MIT
/*
 * The hypervisor's mbedtls heap: one static pool handed to mbedtls's own
 * buffer allocator.  It holds only short-lived bignums: the group's
 * constants are static, the comb tables are p256.c's own arrays.  The
 * crypto tests pass with 4 KiB; 16 KiB leaves room for fragmentation.
 * Not re-entrant: the hypervisor serializes every apply, so only one
 * verification runs at a time.
 */
#include "crypto_pool.h"

#include <mbedtls/memory_buffer_alloc.h>

#define HVP_CRYPTO_POOL_SIZE (16 * 1024)

static unsigned char pool[HVP_CRYPTO_POOL_SIZE] __attribute__((aligned(16)));
static int pool_ready;

void hvp_crypto_pool_init(void)
{
	if (!pool_ready) {
		mbedtls_memory_buffer_alloc_init(pool, sizeof(pool));
		pool_ready = 1;
	}
}
