// SPDX-License-Identifier: MIT
#include "vmx/pool.h"

#include "arch/x86/spinlock.h"

static struct {
	struct hvp_spinlock lock;
	uint64_t start, next, end;
} pool;

void hvp_pool_init(uint64_t start, uint64_t end)
{
	pool.start = pool.next = (start + 4095) & ~4095ull;
	pool.end = end & ~4095ull;
}

void *hvp_pool_pages(uint32_t count)
{
	uint64_t at = 0, size = (uint64_t)count * 4096;

	hvp_spin_lock(&pool.lock);
	if (count && pool.end - pool.next >= size) {
		at = pool.next;
		pool.next += size;
	}
	hvp_spin_unlock(&pool.lock);
	if (!at)
		return NULL;
	for (uint64_t *p = (uint64_t *)at; p < (uint64_t *)(at + size); p++)
		*p = 0;
	return (void *)at;
}

uint64_t hvp_pool_used(void)
{
	return pool.next - pool.start;
}

uint64_t hvp_pool_size(void)
{
	return pool.end - pool.start;
}

static void *alloc_page(void *ctx, uint64_t *hpa)
{
	void *page = hvp_pool_pages(1);

	*hpa = (uint64_t)page;
	return page;
}

static void *phys_to_virt(void *ctx, uint64_t hpa)
{
	return (void *)hpa;
}

const struct hvp_page_alloc hvp_pool_alloc = {
	.alloc_page = alloc_page,
	.phys_to_virt = phys_to_virt,
};
