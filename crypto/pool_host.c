// SPDX-License-Identifier: MIT
/* Host builds link Debian's libmbedcrypto, which allocates from libc. */
#include "crypto_pool.h"

void hvp_crypto_pool_init(void)
{
}
