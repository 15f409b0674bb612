/* SPDX-License-Identifier: MIT */
/*
 * Guest memory from VMX root.  Guest-physical equals host-physical
 * (identity EPT), and the host page tables map all of it, so an access is
 * a copy; what it must refuse is anything that is not guest RAM in the
 * firmware's memory map: the hypervisor's own region, MMIO, holes.
 */
#ifndef HVPATCH_VMX_GUEST_MEMORY_H
#define HVPATCH_VMX_GUEST_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "mm/guest_walk.h"
#include "hvpatch/abi.h"

enum hvp_status hvp_guest_read(uint64_t gpa, void *dst, size_t len);
enum hvp_status hvp_guest_write(uint64_t gpa, const void *src, size_t len);
/* Copies len bytes at a guest linear address, through the guest's own
 * page tables (or none when paging is off). */
enum hvp_status hvp_guest_read_linear(uint64_t cr0, uint64_t cr3, uint64_t gla,
				      void *dst, size_t len);

/*
 * Stores len bytes at a guest linear address for an instruction the
 * hypervisor emulates at privilege level cpl, with the rights the guest's
 * tables give (SDM Vol. 3A, 5.11.3, 5.11.4: user pages only at CPL 3,
 * read-only pages only at CPL 0 with CR0.WP clear), and never into
 * protected memory, which the guest cannot write either.  Every page is
 * checked before the first byte is written: HVP_E_BAD_POINTER if one
 * fails.
 */
enum hvp_status hvp_guest_write_linear(uint64_t cr0, uint64_t cr3, uint64_t gla,
				       const void *src, size_t len,
				       unsigned int cpl);

extern const struct hvp_guest_reader hvp_guest_reader;

#endif /* HVPATCH_VMX_GUEST_MEMORY_H */
