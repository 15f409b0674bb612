// SPDX-License-Identifier: MIT
/*
 * The hypervisor's mbedtls heap: one static pool handed to mbedtls's own
 * buffer allocator.  It holds the comb tables p256.c keeps, about 4 KiB
 * for the generator and for each enrolled key (at most 8), and a
 * verification's own few KiB; 64 KiB leaves room for fragmentation.  Not re-entrant: the hypervisor
 * serializes every apply, so only one verification runs at a time.
 */
#include "crypto_pool.h"

#include <mbedtls/memory_buffer_alloc.h>

#define HVP_CRYPTO_POOL_SIZE (64 * 1024)

static unsigned char pool[HVP_CRYPTO_POOL_SIZE] __attribute__((aligned(16)));
static int pool_ready;

void hvp_crypto_pool_init(void)
{
	if (!pool_ready) {
		mbedtls_memory_buffer_alloc_init(pool, sizeof(pool));
		pool_ready = 1;
	}
}
