/* SPDX-License-Identifier: MIT */
/*
 * The stores Linux makes to its own paging structures, decoded so that a
 * write to a write-protected page-table page can be emulated: set_pte()
 * and friends (MOV r64 -> m64), pte_clear() with a constant (MOV imm32 ->
 * m64), ptep_get_and_clear() (XCHG) and the try_cmpxchg() of
 * ptep_set_access_flags() and the PMD collapse paths (LOCK CMPXCHG).
 * 32-bit forms are accepted too; 16-bit and 8-bit forms, string
 * instructions and bit operations are not: the caller refuses those.
 * Plain C over the instruction bytes, tested on the host.
 */
#ifndef HVPATCH_MM_PT_WRITE_H
#define HVPATCH_MM_PT_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mmio_decode.h"

enum hvp_pt_op {
	HVP_PT_MOV,     /* 89 /r, C7 /0 */
	HVP_PT_XCHG,    /* 87 /r (always locked) */
	HVP_PT_CMPXCHG, /* 0F B1 /r, with or without LOCK */
};

struct hvp_pt_insn {
	enum hvp_pt_op op;
	uint8_t length;  /* bytes to skip */
	uint8_t width;   /* 4 or 8 bytes written */
	bool immediate;  /* source is `imm`, else general register `reg` */
	uint8_t reg;     /* 0 = RAX ... 15 = R15 (SDM Vol. 2A, table 2-2) */
	uint64_t imm;    /* imm32, sign-extended to the width (C7 /0) */
};

/* False for anything else: the caller refuses rather than guesses. */
bool hvp_decode_pt_write(const uint8_t *insn, size_t len,
			 struct hvp_pt_insn *out);

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

void hvp_pt_execute(const struct hvp_pt_insn *insn, unsigned int offset,
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
