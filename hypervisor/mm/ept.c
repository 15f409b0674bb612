// SPDX-License-Identifier: MIT
/*
 * EPT paging structures (SDM Vol. 3C, 29.3, "The Extended Page Table
 * Mechanism (EPT)"; entry formats in Tables 29-1 to 29-6).
 *
 * Every change runs in two passes.  The first only prepares structure:
 * it allocates missing tables and splits 2 MiB leaves, neither of which
 * changes any translation.  The second writes leaves and cannot fail.  So
 * an allocation failure leaves every guest-physical address translating
 * exactly as before.
 */
#include "mm/ept.h"

#define EPT_ENTRIES 512u
#define EPT_ADDR_MASK 0x000ffffffffff000ull
#define EPT_LARGE_ADDR_MASK 0x000fffffffe00000ull
#define EPT_PERMS_MASK 0x7ull
#define EPT_MEMTYPE_SHIFT 3
#define EPT_MEMTYPE_MASK (0x7ull << EPT_MEMTYPE_SHIFT)
#define EPT_PAGE_SIZE_BIT (1ull << 7) /* leaf at PDPTE/PDE level */
#define EPT_MAX_GPA (1ull << 48)      /* 4-level walk: 48-bit GPAs */

/*
 * Leaves keep "ignore PAT" (bit 6) clear: the effective type is then the
 * combination of the EPT type and the guest's PAT (SDM Vol. 3C, 29.3.7.2),
 * so a guest can still map its framebuffer WC inside WB RAM, while an EPT
 * type of UC (MMIO) stays UC whatever the guest's PAT says.
 */

enum ept_level { LEVEL_PT = 0, LEVEL_PD = 1, LEVEL_PDPT = 2, LEVEL_PML4 = 3 };

static unsigned int index_at(uint64_t gpa, enum ept_level level)
{
	return (unsigned int)(gpa >> (12 + 9 * level)) & (EPT_ENTRIES - 1);
}

static bool present(uint64_t entry)
{
	return (entry & EPT_PERMS_MASK) != 0;
}

static uint64_t *table_at(const struct hvp_ept *ept, uint64_t entry)
{
	return ept->alloc->phys_to_virt(ept->alloc->ctx, entry & EPT_ADDR_MASK);
}

static uint64_t *new_table(struct hvp_ept *ept, uint64_t *hpa)
{
	uint64_t *table = ept->alloc->alloc_page(ept->alloc->ctx, hpa);

	if (table)
		ept->table_pages++;
	return table;
}

static uint64_t leaf(uint64_t hpa, unsigned int perms, uint64_t mem_type_bits)
{
	return hpa | perms | mem_type_bits;
}

/* Replaces a 2 MiB leaf with a table of 512 equal 4 KiB leaves. */
static bool split(struct hvp_ept *ept, uint64_t *pde)
{
	uint64_t old = *pde, hpa;
	uint64_t *pt = new_table(ept, &hpa);
	uint64_t base = old & EPT_LARGE_ADDR_MASK;
	uint64_t attrs = old & (EPT_PERMS_MASK | EPT_MEMTYPE_MASK | (1ull << 6));

	if (!pt)
		return false;
	for (unsigned int i = 0; i < EPT_ENTRIES; i++)
		pt[i] = base + (uint64_t)i * HVP_EPT_PAGE_4K + attrs;
	/* One store: a concurrent walker sees the old leaf or the new table. */
	*(volatile uint64_t *)pde = hpa | HVP_EPT_RWX;
	ept->splits++;
	return true;
}

/*
 * The entry mapping gpa at `level`, creating tables and splitting larger
 * leaves on the way; NULL when a page cannot be allocated.
 */
static uint64_t *prepare(struct hvp_ept *ept, uint64_t gpa,
			 enum ept_level level)
{
	uint64_t *table = ept->pml4;

	for (enum ept_level l = LEVEL_PML4; l > level; l--) {
		uint64_t *entry = &table[index_at(gpa, l)];

		if (l == LEVEL_PD && (*entry & EPT_PAGE_SIZE_BIT)) {
			if (!split(ept, entry))
				return NULL;
		} else if (!present(*entry)) {
			uint64_t hpa;

			if (!new_table(ept, &hpa))
				return NULL;
			*(volatile uint64_t *)entry = hpa | HVP_EPT_RWX;
		}
		table = table_at(ept, *entry);
	}
	return &table[index_at(gpa, level)];
}

static bool range_ok(uint64_t gpa, uint64_t size)
{
	return size != 0 && gpa % HVP_EPT_PAGE_4K == 0 &&
	       size % HVP_EPT_PAGE_4K == 0 && gpa < EPT_MAX_GPA &&
	       size <= EPT_MAX_GPA - gpa;
}

/* Write without read is an EPT misconfiguration (SDM 29.3.3.1). */
static bool perms_ok(unsigned int perms)
{
	return (perms & ~HVP_EPT_RWX) == 0 &&
	       !((perms & HVP_EPT_WRITE) && !(perms & HVP_EPT_READ));
}

enum hvp_status hvp_ept_init(struct hvp_ept *ept,
			     const struct hvp_page_alloc *alloc)
{
	*ept = (struct hvp_ept){ .alloc = alloc };
	ept->pml4 = new_table(ept, &ept->pml4_hpa);
	return ept->pml4 ? HVP_OK : HVP_E_NO_MEMORY;
}

static bool whole_large_page(uint64_t gpa, uint64_t hpa, uint64_t left)
{
	return gpa % HVP_EPT_PAGE_2M == 0 && hpa % HVP_EPT_PAGE_2M == 0 &&
	       left >= HVP_EPT_PAGE_2M;
}

enum hvp_status hvp_ept_map(struct hvp_ept *ept, uint64_t gpa, uint64_t hpa,
			    uint64_t size, unsigned int perms,
			    enum hvp_mem_type mem_type)
{
	uint64_t type_bits = (uint64_t)mem_type << EPT_MEMTYPE_SHIFT;

	if (!range_ok(gpa, size) || hpa % HVP_EPT_PAGE_4K != 0 ||
	    (hpa & ~EPT_ADDR_MASK) != 0 || !perms_ok(perms) || perms == 0)
		return HVP_E_INVALID;
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t off = 0; off < size;) {
			bool large = whole_large_page(gpa + off, hpa + off,
						      size - off);
			uint64_t step = large ? HVP_EPT_PAGE_2M : HVP_EPT_PAGE_4K;
			uint64_t *entry = prepare(ept, gpa + off,
						  large ? LEVEL_PD : LEVEL_PT);

			if (!entry)
				return HVP_E_NO_MEMORY; /* pass 0 only */
			if (pass == 1)
				*entry = leaf(hpa + off, perms, type_bits) |
					 (large ? EPT_PAGE_SIZE_BIT : 0);
			off += step;
		}
	}
	return HVP_OK;
}

/* The leaf mapping gpa, or NULL; *large tells its size. */
static uint64_t *find_leaf(const struct hvp_ept *ept, uint64_t gpa,
			   bool *large)
{
	uint64_t *table = ept->pml4;

	for (enum ept_level l = LEVEL_PML4; l > LEVEL_PT; l--) {
		uint64_t *entry = &table[index_at(gpa, l)];

		if (!present(*entry))
			return NULL;
		if (l == LEVEL_PD && (*entry & EPT_PAGE_SIZE_BIT)) {
			*large = true;
			return entry;
		}
		table = table_at(ept, *entry);
	}
	*large = false;
	return present(table[index_at(gpa, LEVEL_PT)]) ?
		       &table[index_at(gpa, LEVEL_PT)] : NULL;
}

/*
 * Rewrites the rights of every page in the range (0 makes it not present).
 * Whole 2 MiB leaves are changed in place; partly covered ones are split.
 */
static enum hvp_status change_perms(struct hvp_ept *ept, uint64_t gpa,
				    uint64_t size, unsigned int perms,
				    bool require_mapped)
{
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t off = 0; off < size;) {
			uint64_t at = gpa + off;
			bool large = false;
			uint64_t *entry = find_leaf(ept, at, &large);
			bool whole = large && at % HVP_EPT_PAGE_2M == 0 &&
				     size - off >= HVP_EPT_PAGE_2M;

			if (!entry) {
				if (require_mapped)
					return HVP_E_NOT_MAPPED; /* pass 0 */
				off += HVP_EPT_PAGE_4K;
				continue;
			}
			if (large && !whole && pass == 0 &&
			    !prepare(ept, at, LEVEL_PT))
				return HVP_E_NO_MEMORY;
			if (pass == 1)
				*entry = (*entry & ~EPT_PERMS_MASK) | perms;
			off += whole ? HVP_EPT_PAGE_2M : HVP_EPT_PAGE_4K;
		}
	}
	return HVP_OK;
}

enum hvp_status hvp_ept_unmap(struct hvp_ept *ept, uint64_t gpa, uint64_t size)
{
	if (!range_ok(gpa, size))
		return HVP_E_INVALID;
	return change_perms(ept, gpa, size, 0, false);
}

enum hvp_status hvp_ept_set_perms(struct hvp_ept *ept, uint64_t gpa,
				  uint64_t size, unsigned int perms)
{
	if (!range_ok(gpa, size) || !perms_ok(perms))
		return HVP_E_INVALID;
	return change_perms(ept, gpa, size, perms, true);
}

enum hvp_status hvp_ept_lookup(const struct hvp_ept *ept, uint64_t gpa,
			       struct hvp_ept_mapping *out)
{
	bool large = false;
	const uint64_t *entry;

	*out = (struct hvp_ept_mapping){ 0 };
	if (gpa >= EPT_MAX_GPA)
		return HVP_E_INVALID;
	entry = find_leaf(ept, gpa, &large);
	if (!entry)
		return HVP_OK;
	out->present = true;
	out->page_size = large ? HVP_EPT_PAGE_2M : HVP_EPT_PAGE_4K;
	out->hpa = (*entry & (large ? EPT_LARGE_ADDR_MASK : EPT_ADDR_MASK)) +
		   (gpa & (out->page_size - 1));
	out->perms = (unsigned int)(*entry & EPT_PERMS_MASK);
	out->mem_type = (enum hvp_mem_type)((*entry & EPT_MEMTYPE_MASK) >>
					    EPT_MEMTYPE_SHIFT);
	return HVP_OK;
}

/* EPTP (SDM Vol. 3C, 25.6.11): WB structures, walk length 4 - 1, no A/D. */
uint64_t hvp_ept_pointer(const struct hvp_ept *ept)
{
	return ept->pml4_hpa | (3ull << 3) | HVP_MT_WB;
}
