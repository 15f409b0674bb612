/* SPDX-License-Identifier: MIT */
/*
 * How much memory the loader reserves for the hypervisor, by part.  The
 * region is reserved once, before any OS runs, and never grows, so the
 * pool is sized from what the hypervisor allocates from it (see
 * docs/boot.md, "Memory"): the page tables for the machine's physical
 * address space, each CPU's VMX regions and stacks, and a fixed headroom
 * for the EPT tables split later.  Plain C, tested on the host.
 */
#ifndef HVPATCH_LOADER_RESERVE_H
#define HVPATCH_LOADER_RESERVE_H

#include <stdint.h>

/*
 * Per CPU: the struct vcpu page, VMXON region, VMCS, MSR bitmap, two I/O
 * bitmaps (11 pages with the stacks below: 44 KiB), a 16 KiB host stack
 * and a 4 KiB NMI stack, rounded up.
 */
#define HVP_RESERVE_PER_CPU (48ull << 10)
/*
 * EPT tables split after boot: MTRR range edges, the local APIC page,
 * and locking text, rodata and the arena, one 4 KiB table per 2 MiB
 * touched.  128 tables cover a 256 MiB kernel image; a lock that needs
 * more is refused with HVP_E_NO_MEMORY and changes nothing.
 */
#define HVP_RESERVE_EPT_HEADROOM (512ull << 10)

struct hvp_reserve {
	uint64_t info;   /* the boot information page(s) */
	uint64_t image;  /* the hypervisor image, .bss included */
	uint64_t tables; /* host page tables, host IDT, EPT for phys_limit */
	uint64_t cpus;   /* HVP_RESERVE_PER_CPU per CPU */
	uint64_t headroom; /* HVP_RESERVE_EPT_HEADROOM */
	uint64_t total;
};

/* Sizes each part in whole 4 KiB pages. */
void hvp_reserve_plan(struct hvp_reserve *r, uint64_t info_size,
		      uint64_t image_size, uint64_t phys_limit, uint32_t cpus);

#endif /* HVPATCH_LOADER_RESERVE_H */
