/* SPDX-License-Identifier: MIT */
/*
 * Extended page tables: the hypervisor's map from guest-physical to
 * host-physical memory (SDM Vol. 3C, 29.3, "The Extended Page Table
 * Mechanism (EPT)").
 *
 * Plain C over memory that a page allocator hands out: no VMX instruction
 * here, so the host tests drive it directly.  The caller flushes stale
 * translations (INVEPT) on every CPU after a change.
 *
 * Tables are 4-level.  Leaves are 2 MiB where a range allows, and a 2 MiB
 * leaf is split into 512 4 KiB leaves on demand, so that permissions can
 * be set per 4 KiB page.  A split builds the new table completely before
 * one 64-bit store installs it, so a CPU walking the tables concurrently
 * sees either the old or the new mapping, never a half-built one.
 */
#ifndef HVPATCH_MM_EPT_H
#define HVPATCH_MM_EPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvpatch/abi.h"

/*
 * Abstract access rights, small enough for the uint8_t arrays that save
 * them; ept.c maps them to entry bits (SDM Vol. 3C, "Format of an EPT
 * Page-Table Entry that Maps a 4-KByte Page").  HVP_EPT_EXEC allows
 * instruction fetches from supervisor-mode linear addresses when
 * mode-based execute control is on, and every fetch when it is off;
 * HVP_EPT_EXEC_USER allows fetches from user-mode linear addresses, and
 * is ignored by the CPU while that control is off.
 */
#define HVP_EPT_READ 0x1u
#define HVP_EPT_WRITE 0x2u
#define HVP_EPT_EXEC 0x4u
#define HVP_EPT_EXEC_USER 0x8u
#define HVP_EPT_RWX (HVP_EPT_READ | HVP_EPT_WRITE | HVP_EPT_EXEC)
#define HVP_EPT_ALL (HVP_EPT_RWX | HVP_EPT_EXEC_USER)

/* EPT memory types, bits 5:3 of a leaf (SDM Vol. 3C, 29.3.7). */
enum hvp_mem_type {
	HVP_MT_UC = 0,
	HVP_MT_WC = 1,
	HVP_MT_WT = 4,
	HVP_MT_WP = 5,
	HVP_MT_WB = 6,
};

#define HVP_EPT_PAGE_4K 0x1000ull
#define HVP_EPT_PAGE_2M 0x200000ull

/* Where the tables come from: hypervisor pages, never guest-visible. */
struct hvp_page_alloc {
	void *ctx;
	/* A zeroed 4 KiB-aligned page and its host-physical address, or NULL. */
	void *(*alloc_page)(void *ctx, uint64_t *hpa);
	/* The hypervisor's pointer to a page alloc_page returned. */
	void *(*phys_to_virt)(void *ctx, uint64_t hpa);
};

struct hvp_ept {
	const struct hvp_page_alloc *alloc;
	uint64_t *pml4;
	uint64_t pml4_hpa;
	uint32_t table_pages; /* paging-structure pages allocated */
	uint32_t splits;      /* 2 MiB leaves split into 4 KiB pages */
};

/* What one guest-physical address maps to. */
struct hvp_ept_mapping {
	bool present;
	uint64_t hpa;       /* host-physical address of the byte */
	uint64_t page_size; /* HVP_EPT_PAGE_4K or HVP_EPT_PAGE_2M */
	unsigned int perms; /* HVP_EPT_READ .. HVP_EPT_EXEC_USER */
	enum hvp_mem_type mem_type;
};

enum hvp_status hvp_ept_init(struct hvp_ept *ept,
			     const struct hvp_page_alloc *alloc);

/*
 * Maps [gpa, gpa + size) to [hpa, hpa + size) with the given rights and
 * memory type, replacing what was there.  gpa, hpa and size are 4 KiB
 * aligned; 2 MiB leaves are used where gpa, hpa and the range allow.
 */
enum hvp_status hvp_ept_map(struct hvp_ept *ept, uint64_t gpa, uint64_t hpa,
			    uint64_t size, unsigned int perms,
			    enum hvp_mem_type mem_type);

/* Makes [gpa, gpa + size) not present: any guest access faults. */
enum hvp_status hvp_ept_unmap(struct hvp_ept *ept, uint64_t gpa,
			      uint64_t size);

/* Changes only the access rights of mapped pages in the range. */
enum hvp_status hvp_ept_set_perms(struct hvp_ept *ept, uint64_t gpa,
				  uint64_t size, unsigned int perms);

/*
 * Takes the rights in `clear` from, and then adds those in `set` to,
 * every mapped page of the range; holes are skipped a whole table at a
 * time, so the range may be the whole guest-physical space.  2 MiB leaves
 * the range covers whole stay whole.
 */
enum hvp_status hvp_ept_update_perms(struct hvp_ept *ept, uint64_t gpa,
				     uint64_t size, unsigned int clear,
				     unsigned int set);

enum hvp_status hvp_ept_lookup(const struct hvp_ept *ept, uint64_t gpa,
			       struct hvp_ept_mapping *out);

/* Every guest-physical address a 4-level walk can translate. */
#define HVP_EPT_MAX_GPA (1ull << 48)

/* The EPTP VMCS field: WB paging structures, 4-level walk (SDM 25.6.11). */
uint64_t hvp_ept_pointer(const struct hvp_ept *ept);

#endif /* HVPATCH_MM_EPT_H */
