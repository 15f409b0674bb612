// SPDX-License-Identifier: MIT
#include "reserve.h"

#define PAGE 4096ull
#define GIB (1ull << 30)

static uint64_t pages(uint64_t bytes)
{
	return (bytes + PAGE - 1) & ~(PAGE - 1);
}

/*
 * The tables hvp_setup() builds (hypervisor/arch/x86/host_tables.c and
 * hypervisor/mm/ept.c): host PML4, PDPT and one page directory of 2 MiB
 * pages per GiB, the host IDT; the EPT's PML4, one PDPT per 512 GiB and
 * one page directory per GiB (an EPT that uses 1 GiB pages needs fewer).
 */
static uint64_t table_bytes(uint64_t phys_limit)
{
	uint64_t gigabytes = (phys_limit + GIB - 1) / GIB;
	uint64_t host = 2 + gigabytes + 1;
	uint64_t ept = 1 + (gigabytes + 511) / 512 + gigabytes;

	return (host + ept) * PAGE;
}

void hvp_reserve_plan(struct hvp_reserve *r, uint64_t info_size,
		      uint64_t image_size, uint64_t phys_limit, uint32_t cpus)
{
	r->info = pages(info_size);
	r->image = pages(image_size);
	r->tables = table_bytes(phys_limit);
	r->cpus = (uint64_t)cpus * HVP_RESERVE_PER_CPU;
	r->headroom = HVP_RESERVE_EPT_HEADROOM;
	r->total = r->info + r->image + r->tables + r->cpus + r->headroom;
}
