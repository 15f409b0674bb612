/* SPDX-License-Identifier: MIT */
/*
 * A simulated machine for host tests of the portable core:
 *
 *   guest RAM       GPA [0, ram_size), with a read counter per byte
 *   hypervisor pages HPA [SIM_HV_BASE, ...), outside guest RAM, handed out
 *                   through struct hvp_page_alloc (for EPT tables)
 *   guest page tables real 4-level tables built inside guest RAM
 *
 * Faults can be injected: page allocations fail from the Nth on, and
 * the Nth guest write fails once (a transient error).
 */
#ifndef HVPATCH_TEST_SIM_MEMORY_H
#define HVPATCH_TEST_SIM_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/ept.h"
#include "mm/guest_walk.h"

#define SIM_HV_BASE 0x100000000ull /* hypervisor memory: above 4 GiB */

/* Guest PTE bits for sim_map(). */
#define SIM_PTE_WRITE (1u << 0)
#define SIM_PTE_USER (1u << 1)
#define SIM_PTE_NX (1u << 2)

struct sim_machine {
	uint8_t *ram;
	uint64_t ram_size;
	uint32_t *read_counts; /* per guest byte */

	uint8_t *hv;           /* hypervisor pages */
	uint32_t hv_pages, hv_used;
	int allocs_until_failure; /* < 0: never fail */
	int writes_until_failure; /* < 0: never fail; fails once */
	/* Bits another CPU sets in the entry just before the next
	 * sim_cmpxchg_gpa() (a race the caller must retry). */
	uint64_t cmpxchg_interference;

	uint64_t next_pt_page; /* guest page-table pages, from the top down */
	struct hvp_page_alloc alloc;
	struct hvp_guest_reader reader;
};

void sim_init(struct sim_machine *m, uint64_t ram_size, uint32_t hv_pages);
void sim_destroy(struct sim_machine *m);

enum hvp_status sim_read_gpa(void *ctx, uint64_t gpa, void *dst, size_t len);
enum hvp_status sim_write_gpa(void *ctx, uint64_t gpa, const void *src,
			      size_t len);

/* The platform's atomic 8-byte compare-exchange in guest RAM. */
enum hvp_status sim_cmpxchg_gpa(void *ctx, uint64_t gpa, uint64_t *expected,
				uint64_t desired);

/* A new, empty guest address space: returns its CR3. */
uint64_t sim_new_cr3(struct sim_machine *m);
/* Maps [gva, gva + size) to [gpa, ...) with pages of page_size (4 KiB,
 * 2 MiB or 1 GiB) and SIM_PTE_* flags. */
void sim_map(struct sim_machine *m, uint64_t cr3, uint64_t gva, uint64_t gpa,
	     uint64_t size, uint64_t page_size, unsigned int flags);
/* The guest page-table entry at `level` (3 = PML4) for gva, to corrupt. */
uint64_t *sim_pte(struct sim_machine *m, uint64_t cr3, uint64_t gva, int level);

/* Copies of guest RAM and hypervisor pages, to prove nothing changed. */
struct sim_snapshot {
	uint8_t *ram, *hv;
	uint32_t hv_used;
};
void sim_snapshot(const struct sim_machine *m, struct sim_snapshot *s);
bool sim_unchanged(const struct sim_machine *m, const struct sim_snapshot *s);
void sim_snapshot_free(struct sim_snapshot *s);

void sim_reset_read_counts(struct sim_machine *m);

#endif /* HVPATCH_TEST_SIM_MEMORY_H */
