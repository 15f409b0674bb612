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
#define EPT_MEMTYPE_SHIFT 3
#define EPT_MEMTYPE_MASK (0x7ull << EPT_MEMTYPE_SHIFT)
#define EPT_PAGE_SIZE_BIT (1ull << 7) /* leaf at PDPTE/PDE level */
#define EPT_MAX_GPA HVP_EPT_MAX_GPA   /* 4-level walk: 48-bit GPAs */

/*
 * Access-right bits of an entry (SDM Vol. 3C, "Format of an EPT
 * Page-Table Entry that Maps a 4-KByte Page" and the tables of the other
 * levels).  With "mode-based execute control for EPT" (secondary control
 * bit 22), bit 2 allows fetches from supervisor-mode linear addresses and
 * bit 10 from user-mode ones; with the control 0, bit 2 allows every
 * fetch and bit 10 is ignored.
 */
#define EPT_ENTRY_READ (1ull << 0)
#define EPT_ENTRY_WRITE (1ull << 1)
#define EPT_ENTRY_EXEC (1ull << 2)
#define EPT_ENTRY_EXEC_USER (1ull << 10)
#define EPT_RIGHTS_MASK (EPT_ENTRY_READ | EPT_ENTRY_WRITE | EPT_ENTRY_EXEC | \
			 EPT_ENTRY_EXEC_USER)
/*
 * An entry that references a table allows everything and leaves the
 * decision to the leaves.  Bit 10 in it matters: under mode-based execute
 * control it gates user-mode fetches from the whole region it maps
 * ("Format of an EPT PML4 Entry (PML4E)" and the like); otherwise the CPU
 * ignores it.
 */
#define EPT_TABLE_RIGHTS EPT_RIGHTS_MASK

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

/* Under mode-based execute control bit 10 alone also makes an entry
 * present; perms_ok() never lets a leaf hold it alone. */
static bool present(uint64_t entry)
{
	return (entry & EPT_RIGHTS_MASK) != 0;
}

static uint64_t rights_bits(unsigned int perms)
{
	return (perms & HVP_EPT_READ ? EPT_ENTRY_READ : 0) |
	       (perms & HVP_EPT_WRITE ? EPT_ENTRY_WRITE : 0) |
	       (perms & HVP_EPT_EXEC ? EPT_ENTRY_EXEC : 0) |
	       (perms & HVP_EPT_EXEC_USER ? EPT_ENTRY_EXEC_USER : 0);
}

static unsigned int rights_of(uint64_t entry)
{
	return (entry & EPT_ENTRY_READ ? HVP_EPT_READ : 0) |
	       (entry & EPT_ENTRY_WRITE ? HVP_EPT_WRITE : 0) |
	       (entry & EPT_ENTRY_EXEC ? HVP_EPT_EXEC : 0) |
	       (entry & EPT_ENTRY_EXEC_USER ? HVP_EPT_EXEC_USER : 0);
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
	return hpa | rights_bits(perms) | mem_type_bits;
}

/* Replaces a 2 MiB leaf with a table of 512 equal 4 KiB leaves. */
static bool split(struct hvp_ept *ept, uint64_t *pde)
{
	uint64_t old = *pde, hpa;
	uint64_t *pt = new_table(ept, &hpa);
	uint64_t base = old & EPT_LARGE_ADDR_MASK;
	uint64_t attrs = old & (EPT_RIGHTS_MASK | EPT_MEMTYPE_MASK | (1ull << 6));

	if (!pt)
		return false;
	for (unsigned int i = 0; i < EPT_ENTRIES; i++)
		pt[i] = base + (uint64_t)i * HVP_EPT_PAGE_4K + attrs;
	/* One store: a concurrent walker sees the old leaf or the new table. */
	*(volatile uint64_t *)pde = hpa | EPT_TABLE_RIGHTS;
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
			*(volatile uint64_t *)entry = hpa | EPT_TABLE_RIGHTS;
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

/*
 * Write without read is an EPT misconfiguration (SDM 29.3.3.1).  User
 * execute without read is refused too: such a leaf would be present with
 * mode-based execute control and not without it.
 */
static bool perms_ok(unsigned int perms)
{
	return (perms & ~HVP_EPT_ALL) == 0 &&
	       !((perms & HVP_EPT_WRITE) && !(perms & HVP_EPT_READ)) &&
	       !((perms & HVP_EPT_EXEC_USER) && !(perms & HVP_EPT_READ));
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

/*
 * The leaf mapping gpa, or NULL where nothing does; *span is the size of
 * what the answer covers: the leaf's page, or the hole a not-present
 * entry leaves at whatever level it is found.
 */
static uint64_t *find_leaf(const struct hvp_ept *ept, uint64_t gpa,
			   uint64_t *span)
{
	uint64_t *table = ept->pml4;

	for (enum ept_level l = LEVEL_PML4;; l--) {
		uint64_t *entry = &table[index_at(gpa, l)];

		*span = 1ull << (12 + 9 * l);
		if (!present(*entry))
			return NULL;
		if (l == LEVEL_PT || (l == LEVEL_PD && (*entry & EPT_PAGE_SIZE_BIT)))
			return entry;
		table = table_at(ept, *entry);
	}
}

/*
 * Gives every mapped page in the range the rights (old & ~clear) | set;
 * with none_ok, no rights at all (not present).  Whole 2 MiB leaves are
 * changed in place; partly covered ones are split.  Holes are skipped
 * whole, or refused with require_mapped.
 */
static enum hvp_status change_perms(struct hvp_ept *ept, uint64_t gpa,
				    uint64_t size, unsigned int clear,
				    unsigned int set, bool require_mapped,
				    bool none_ok)
{
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t off = 0; off < size;) {
			uint64_t at = gpa + off, span;
			uint64_t *entry = find_leaf(ept, at, &span);
			uint64_t step = span - (at & (span - 1));
			unsigned int perms;

			if (!entry) {
				if (require_mapped)
					return HVP_E_NOT_MAPPED; /* pass 0 */
				off += step;
				continue;
			}
			perms = (rights_of(*entry) & ~clear) | set;
			if (pass == 0 && (!perms_ok(perms) || (!perms && !none_ok)))
				return HVP_E_INVALID;
			if (step != span || size - off < span) {
				/* A 2 MiB leaf the range covers in part. */
				if (pass == 0 && !prepare(ept, at, LEVEL_PT))
					return HVP_E_NO_MEMORY;
				step = HVP_EPT_PAGE_4K;
			}
			if (pass == 1)
				*entry = (*entry & ~EPT_RIGHTS_MASK) |
					 rights_bits(perms);
			off += step;
		}
	}
	return HVP_OK;
}

enum hvp_status hvp_ept_unmap(struct hvp_ept *ept, uint64_t gpa, uint64_t size)
{
	if (!range_ok(gpa, size))
		return HVP_E_INVALID;
	return change_perms(ept, gpa, size, HVP_EPT_ALL, 0, false, true);
}

enum hvp_status hvp_ept_set_perms(struct hvp_ept *ept, uint64_t gpa,
				  uint64_t size, unsigned int perms)
{
	if (!range_ok(gpa, size) || !perms_ok(perms))
		return HVP_E_INVALID;
	return change_perms(ept, gpa, size, HVP_EPT_ALL, perms, true, false);
}

enum hvp_status hvp_ept_update_perms(struct hvp_ept *ept, uint64_t gpa,
				     uint64_t size, unsigned int clear,
				     unsigned int set)
{
	if (!range_ok(gpa, size) || ((clear | set) & ~HVP_EPT_ALL))
		return HVP_E_INVALID;
	return change_perms(ept, gpa, size, clear, set, false, false);
}

enum hvp_status hvp_ept_lookup(const struct hvp_ept *ept, uint64_t gpa,
			       struct hvp_ept_mapping *out)
{
	uint64_t span;
	const uint64_t *entry;
	bool large;

	*out = (struct hvp_ept_mapping){ 0 };
	if (gpa >= EPT_MAX_GPA)
		return HVP_E_INVALID;
	entry = find_leaf(ept, gpa, &span);
	if (!entry)
		return HVP_OK;
	large = span == HVP_EPT_PAGE_2M;
	out->present = true;
	out->page_size = span;
	out->hpa = (*entry & (large ? EPT_LARGE_ADDR_MASK : EPT_ADDR_MASK)) +
		   (gpa & (out->page_size - 1));
	out->perms = rights_of(*entry);
	out->mem_type = (enum hvp_mem_type)((*entry & EPT_MEMTYPE_MASK) >>
					    EPT_MEMTYPE_SHIFT);
	return HVP_OK;
}

/* EPTP (SDM Vol. 3C, 25.6.11): WB structures, walk length 4 - 1, no A/D. */
uint64_t hvp_ept_pointer(const struct hvp_ept *ept)
{
	return ept->pml4_hpa | (3ull << 3) | HVP_MT_WB;
}
