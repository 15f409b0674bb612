/* SPDX-License-Identifier: MIT */
/*
 * Guest page walk: translate a guest-virtual address the way the guest's
 * own 4-level paging does (SDM Vol. 3A, 4.5, "4-Level Paging and 5-Level
 * Paging"), reading the paging structures through a callback so the
 * walker never touches guest memory directly.
 */
#ifndef HVPATCH_MM_GUEST_WALK_H
#define HVPATCH_MM_GUEST_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvpatch/abi.h"

struct hvp_guest_reader {
	void *ctx;
	/* Copies guest-physical memory; HVP_OK or HVP_E_BAD_POINTER. */
	enum hvp_status (*read_gpa)(void *ctx, uint64_t gpa, void *dst,
				    size_t len);
};

struct hvp_gva_translation {
	uint64_t gpa;       /* guest-physical address of the byte */
	uint64_t page_size; /* 4 KiB, 2 MiB or 1 GiB */
	bool writable;      /* R/W set at every level */
	bool user;          /* U/S set at every level */
	bool executable;    /* XD clear at every level (with EFER.NXE) */
};

/* The paging-structure entries a walk used, one per level it read
 * (index 3 = PML4 down to the level of the leaf). */
struct hvp_walk_path {
	int leaf_level;           /* 0 (PTE), 1 (2 MiB PDE) or 2 (1 GiB PDPTE) */
	uint64_t table[4];        /* guest-physical address of each table */
	unsigned int index[4];    /* the entry used in it */
	uint64_t entry[4];        /* its value as read */
};

/*
 * Walks the 4-level tables rooted at cr3 (bits 51:12; PCID bits ignored).
 * HVP_E_NOT_MAPPED for a non-canonical address, a non-present entry or a
 * reserved bit set; HVP_E_BAD_POINTER if a table lies outside guest RAM.
 */
enum hvp_status hvp_guest_walk(const struct hvp_guest_reader *mem,
			       uint64_t cr3, uint64_t gva,
			       struct hvp_gva_translation *out);

/* The same walk, also reporting the entries it went through. */
enum hvp_status hvp_guest_walk_path(const struct hvp_guest_reader *mem,
				    uint64_t cr3, uint64_t gva,
				    struct hvp_gva_translation *out,
				    struct hvp_walk_path *path);

#endif /* HVPATCH_MM_GUEST_WALK_H */
