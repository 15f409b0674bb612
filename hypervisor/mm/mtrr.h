/* SPDX-License-Identifier: MIT */
/*
 * Memory types from the MTRRs, for the EPT identity map (SDM Vol. 3A,
 * 12.11, "Memory Type Range Registers (MTRRs)").  EPT leaves carry the
 * type the guest's physical memory must have; the firmware's MTRRs say
 * what that is.  Plain C over a snapshot of the MSRs, so it is tested on
 * the host.
 */
#ifndef HVPATCH_MM_MTRR_H
#define HVPATCH_MM_MTRR_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/ept.h"

#define HVP_MTRR_MAX_VARIABLE 16u

struct hvp_mtrr_state {
	bool enabled;         /* IA32_MTRR_DEF_TYPE.E */
	bool fixed_enabled;   /* IA32_MTRR_DEF_TYPE.FE (and MTRRCAP.FIX) */
	uint8_t default_type; /* IA32_MTRR_DEF_TYPE[7:0] */
	uint64_t fixed[11];   /* 64K_00000, 16K_80000/A0000, 4K_C0000..F8000 */
	uint32_t variable_count;
	struct {
		uint64_t base; /* IA32_MTRR_PHYSBASEn */
		uint64_t mask; /* IA32_MTRR_PHYSMASKn, bit 11 = valid */
	} variable[HVP_MTRR_MAX_VARIABLE];
	uint64_t phys_mask;   /* (1 << MAXPHYADDR) - 1 */
};

/*
 * The single memory type of [base, base + size) (size a power of two,
 * base aligned to it), or false when the range holds more than one type
 * and must be mapped in smaller pieces.
 */
bool hvp_mtrr_range_type(const struct hvp_mtrr_state *s, uint64_t base,
			 uint64_t size, enum hvp_mem_type *type);

#endif /* HVPATCH_MM_MTRR_H */
