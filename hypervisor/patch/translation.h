/* SPDX-License-Identifier: MIT */
/*
 * Translation pinning: after lock, the guest-virtual to guest-physical
 * mapping of every protected page stays what it was at lock, on every
 * vCPU and in every address space (docs/hypercalls.md, "Translation
 * pinning").
 *
 * At lock, the walk of each protected page at the locking CR3 names the
 * paging-structure entries it depends on.  The PDPT, PD and PT pages that
 * hold them ("guarded pages") are write-protected in EPT for good, and
 * each remembers which of its 512 entries are pinned.  The PML4 slots on
 * those paths and their values are the "top pins": every address space
 * must carry them.  A PML4 page is trusted only while it sits in a small
 * cache of verified, write-protected PML4 pages; CR3 may only be loaded
 * with one of those (the VMX layer makes MOV to CR3 exit).
 *
 * A guest write to a guarded or cached page is emulated here, atomically,
 * unless it changes a pinned entry in anything but Accessed and Dirty.
 *
 * Serialization: writes to guarded pages and A/D updates may run on any
 * number of vCPUs at once.  Cache changes (load, release) and the lock
 * must be serialized by the caller, with every other vCPU held so that
 * platform->flush reaches them all.
 */
#ifndef HVPATCH_PATCH_TRANSLATION_H
#define HVPATCH_PATCH_TRANSLATION_H

#include <stdbool.h>
#include <stdint.h>

#include "hvpatch/abi.h"
#include "mm/pt_write.h"

#define HVP_PT_ENTRIES 512u
/* PDPT, PD and PT pages on the paths of the protected pages: 64 MiB of
 * 4 KiB pages needs 32 PTs, a few PDs and PDPTs. */
#define HVP_PT_MAX_PAGES 128u
#define HVP_PGD_CACHE_SIZE 64u
#define HVP_PT_MAX_VCPUS 64u

/* Guest paging-entry bits (SDM Vol. 3A, 4.5, tables 4-15 to 4-20). */
#define HVP_PTE_PRESENT (1ull << 0)
#define HVP_PTE_ACCESSED (1ull << 5)
#define HVP_PTE_DIRTY (1ull << 6)
#define HVP_PTE_LARGE (1ull << 7)
#define HVP_PTE_ADDR_MASK 0x000ffffffffff000ull

struct hvp_pt_page {
	uint64_t gpa;
	uint8_t level;     /* 2 = PDPT, 1 = PD, 0 = PT */
	uint8_t old_perms; /* EPT rights before lock */
	uint64_t pinned[HVP_PT_ENTRIES / 64];
};

struct hvp_pgd_slot {
	uint64_t gpa;      /* 0: free */
	uint8_t old_perms; /* EPT rights before it was cached */
};

struct hvp_translation_counters {
	uint64_t emulated_writes;  /* writes to guarded or cached pages done */
	uint64_t refused_writes;   /* writes that would change a pinned entry */
	uint64_t ad_updates;       /* A/D set on the CPU's behalf */
	uint64_t cr3_loads;        /* MOV to CR3 allowed */
	uint64_t refused_cr3;      /* MOV to CR3 refused */
	uint64_t pgd_verified;     /* PML4 pages verified and cached */
	uint64_t pgd_released;     /* cached PML4 pages given back */
};

struct hvp_translation {
	bool pinned;
	uint32_t page_count;
	struct hvp_pt_page pages[HVP_PT_MAX_PAGES];
	uint64_t top_pinned[HVP_PT_ENTRIES / 64];
	uint64_t top_value[HVP_PT_ENTRIES];
	struct hvp_pgd_slot pgds[HVP_PGD_CACHE_SIZE];
	uint32_t next_victim;
	/* The PML4 page each vCPU's CR3 names, once verified; 0: none. */
	uint64_t current_pgd[HVP_PT_MAX_VCPUS];
	struct hvp_translation_counters counters;
};

struct hvp_engine;

/*
 * At lock, after the protected pages' mappings are recorded at cr3
 * (hvp_engine_lock): guards every paging-structure page on their paths,
 * caches cr3's PML4 page, flushes, and walks again to check that every
 * protected page still maps where the record says through guarded
 * entries only.  On failure nothing stays guarded.
 */
enum hvp_status hvp_translation_pin(struct hvp_engine *e, uint64_t cr3);

/* Whether gpa lies in a guarded page or a cached PML4 page. */
bool hvp_translation_owns(const struct hvp_engine *e, uint64_t gpa);

/* Whether the PML4 page at pgd is cached (verified and protected). */
bool hvp_translation_pgd_cached(const struct hvp_engine *e, uint64_t pgd);

/*
 * A MOV to CR3 by vCPU `vcpu` naming the PML4 page at pgd (CR3 bits
 * 51:12).  HVP_OK if the page is cached, or is verified now and cached
 * (an unused entry is evicted if the cache is full); then it is the
 * vCPU's current one.  HVP_E_NOT_MAPPED if a top pin differs,
 * HVP_E_BAD_POINTER if it is not guest RAM, HVP_E_NO_MEMORY if EPT cannot
 * protect it, HVP_E_TABLE_FULL if every entry is in use; each refusal is
 * counted, audited and logged.  If the page is not cached, the caller
 * holds every other vCPU.
 */
enum hvp_status hvp_translation_load_cr3(struct hvp_engine *e,
					 unsigned int vcpu, uint64_t pgd);

/* What an emulated write hands back to the vCPU. */
struct hvp_pt_outcome {
	struct hvp_pt_result result;
	/* Refused on a cached PML4 page that no vCPU uses: the guest is
	 * reusing the page, so hvp_translation_release_pgd() it and let
	 * the instruction run again. */
	bool releasable;
};

/*
 * A write by `insn` at gpa (the address EPT reported) to a page this
 * module owns, with the instruction's source operand and RAX.  HVP_OK:
 * done atomically (or a CMPXCHG that did not match).  HVP_E_LOCKED: it
 * would change a pinned entry, nothing written.  HVP_E_INVALID: not
 * naturally aligned.  HVP_E_BUSY: the entry kept changing; try again.
 * HVP_E_TARGET_RANGE: gpa is not owned here.
 */
enum hvp_status hvp_translation_write(struct hvp_engine *e, uint64_t gpa,
				      const struct hvp_store_insn *insn,
				      uint64_t src, uint64_t rax,
				      struct hvp_pt_outcome *out);

/* Whether the cached PML4 page at gpa is in no vCPU's CR3. */
bool hvp_translation_pgd_unused(const struct hvp_engine *e, uint64_t gpa);

/* Gives the cached, unused PML4 page at gpa its EPT rights back and
 * flushes; the caller holds the other vCPUs.  HVP_E_BUSY if a vCPU uses
 * it, HVP_E_TARGET_RANGE if it is not cached. */
enum hvp_status hvp_translation_release_pgd(struct hvp_engine *e, uint64_t gpa);

/*
 * The CPU's own update of Accessed (and Dirty, in a leaf) in the entry at
 * gpa, which EPT stopped because the page is write-protected (SDM Vol.
 * 3C, 29.3.3.2): set here instead, on a present entry only, never
 * changing anything else.  HVP_OK if it set a bit; HVP_E_NOT_MAPPED if
 * the entry is not present or has them already (nothing to do).
 */
enum hvp_status hvp_translation_set_accessed(struct hvp_engine *e,
					     uint64_t gpa);

/* Logs the counters (at power-off, beside the exit counters). */
void hvp_translation_report(struct hvp_engine *e);

/* Counts, audits and logs a refused write to an owned page (a refused
 * CR3 load is counted, audited and logged by hvp_translation_load_cr3). */
void hvp_translation_refuse_write(struct hvp_engine *e, uint64_t gpa,
				  enum hvp_status status);

#endif /* HVPATCH_PATCH_TRANSLATION_H */
