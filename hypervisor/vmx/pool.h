/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's only allocator: zeroed 4 KiB pages handed out from the
 * reserved region the loader gave it, never freed.  Host-physical and
 * hypervisor-virtual addresses are equal (identity-mapped host tables).
 */
#ifndef HVPATCH_VMX_POOL_H
#define HVPATCH_VMX_POOL_H

#include <stdint.h>

#include "mm/ept.h"

void hvp_pool_init(uint64_t start, uint64_t end);
/* `count` contiguous zeroed pages, or NULL when the pool is spent. */
void *hvp_pool_pages(uint32_t count);
uint64_t hvp_pool_used(void);
uint64_t hvp_pool_size(void);

/* The pool as the EPT code's page allocator. */
extern const struct hvp_page_alloc hvp_pool_alloc;

#endif /* HVPATCH_VMX_POOL_H */
