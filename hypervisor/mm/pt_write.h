/* SPDX-License-Identifier: MIT */
/*
 * A decoded store (mm/store_decode.h) run against one page-table entry,
 * so that a write to a write-protected paging-structure page can be
 * emulated atomically.  Plain C, tested on the host.
 */
#ifndef HVPATCH_MM_PT_WRITE_H
#define HVPATCH_MM_PT_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/store_decode.h"

/*
 * What the instruction does to one naturally aligned 8-byte entry whose
 * bytes [offset, offset + width) it writes: from the entry's old value and
 * the source (and RAX for CMPXCHG), the new entry, and what the
 * instruction returns: XCHG's old operand, CMPXCHG's accumulator and its
 * arithmetic flags (SDM Vol. 2A, CMPXCHG; the flags are those of CMP).
 */
struct hvp_pt_result {
	uint64_t entry;    /* the entry after the instruction */
	uint64_t old;      /* the old memory operand, zero-extended */
	bool stored;       /* false: a CMPXCHG that did not match */
	uint64_t rflags;   /* CMPXCHG: CF, PF, AF, ZF, SF, OF of RAX - old */
};

void hvp_pt_execute(const struct hvp_store_insn *insn, unsigned int offset,
		    uint64_t old_entry, uint64_t src, uint64_t rax,
		    struct hvp_pt_result *out);

/* RFLAGS bits that CMP sets (SDM Vol. 1, 3.4.3.1, status flags). */
#define HVP_RFLAGS_CF (1ull << 0)
#define HVP_RFLAGS_PF (1ull << 2)
#define HVP_RFLAGS_AF (1ull << 4)
#define HVP_RFLAGS_ZF (1ull << 6)
#define HVP_RFLAGS_SF (1ull << 7)
#define HVP_RFLAGS_OF (1ull << 11)
#define HVP_RFLAGS_ARITH (HVP_RFLAGS_CF | HVP_RFLAGS_PF | HVP_RFLAGS_AF | \
			  HVP_RFLAGS_ZF | HVP_RFLAGS_SF | HVP_RFLAGS_OF)

#endif /* HVPATCH_MM_PT_WRITE_H */
