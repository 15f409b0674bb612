// SPDX-License-Identifier: MIT
/*
 * The guest's 4-level page walk (SDM Vol. 3A, 4.5, "4-Level Paging and
 * 5-Level Paging"; entry formats in Tables 4-15 to 4-20).
 *
 * MAXPHYADDR is taken as 52, the architectural maximum, so only bits
 * 62:52 of an entry can be reserved; a smaller real MAXPHYADDR only makes
 * more addresses reserved, which the guest's own walk would fault on
 * before we ever see them.
 */
#include "mm/guest_walk.h"

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_USER (1ull << 2)
#define PTE_LARGE (1ull << 7)
#define PTE_XD (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define PTE_RESERVED_HIGH 0x7ff0000000000000ull
#define CR3_ADDR_MASK 0x000ffffffffff000ull

static bool canonical(uint64_t gva)
{
	uint64_t top = gva >> 47;

	return top == 0 || top == 0x1ffff;
}

enum hvp_status hvp_guest_walk(const struct hvp_guest_reader *mem,
			       uint64_t cr3, uint64_t gva,
			       struct hvp_gva_translation *out)
{
	struct hvp_walk_path path;

	return hvp_guest_walk_path(mem, cr3, gva, out, &path);
}

enum hvp_status hvp_guest_walk_path(const struct hvp_guest_reader *mem,
				    uint64_t cr3, uint64_t gva,
				    struct hvp_gva_translation *out,
				    struct hvp_walk_path *path)
{
	uint64_t table = cr3 & CR3_ADDR_MASK;
	bool writable = true, user = true, executable = true;

	if (!canonical(gva))
		return HVP_E_NOT_MAPPED;
	/* Levels 3 (PML4) down to 0 (PT); PS is legal at levels 2 and 1. */
	for (int level = 3; level >= 0; level--) {
		unsigned int index = (gva >> (12 + 9 * level)) & 511;
		uint64_t page_size = 1ull << (12 + 9 * level);
		uint64_t entry;

		if (mem->read_gpa(mem->ctx, table + index * 8, &entry,
				  sizeof(entry)) != HVP_OK)
			return HVP_E_BAD_POINTER;
		path->table[level] = table;
		path->index[level] = index;
		path->entry[level] = entry;
		if (!(entry & PTE_PRESENT) || (entry & PTE_RESERVED_HIGH))
			return HVP_E_NOT_MAPPED;
		writable = writable && (entry & PTE_WRITE);
		user = user && (entry & PTE_USER);
		executable = executable && !(entry & PTE_XD);

		if (level == 0 || ((level == 1 || level == 2) &&
				   (entry & PTE_LARGE))) {
			uint64_t base = entry & PTE_ADDR_MASK & ~(page_size - 1);

			/* Bits 12..(page shift - 1) of a large leaf are
			 * reserved, except bit 12: PAT (Table 4-17). */
			if (level > 0 &&
			    (entry & (page_size - 1) & ~0x1fffull & PTE_ADDR_MASK))
				return HVP_E_NOT_MAPPED;
			path->leaf_level = level;
			*out = (struct hvp_gva_translation){
				.gpa = base | (gva & (page_size - 1)),
				.page_size = page_size,
				.writable = writable,
				.user = user,
				.executable = executable,
			};
			return HVP_OK;
		}
		if (level == 3 && (entry & PTE_LARGE))
			return HVP_E_NOT_MAPPED; /* PS is reserved in a PML4E */
		table = entry & PTE_ADDR_MASK;
	}
	return HVP_E_NOT_MAPPED;
}
