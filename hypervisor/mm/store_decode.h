/* SPDX-License-Identifier: MIT */
/*
 * The stores the hypervisor emulates, decoded from the guest's
 * instruction bytes once an EPT violation has given the address: the
 * value's source, the width and the length to skip.
 *  - Linux's stores to its own paging structures (mm/pt_write.h):
 *    set_pte() and friends (MOV r64 -> m64), pte_clear() with a constant
 *    (MOV imm32 -> m64), ptep_get_and_clear() (XCHG) and the try_cmpxchg()
 *    of ptep_set_access_flags() and the PMD collapse paths (LOCK CMPXCHG),
 *    and their 32-bit forms;
 *  - a 32-bit memory-mapped register write (the xAPIC page): MOV r32 ->
 *    m32 (89 /r) or MOV imm32 -> m32 (C7 /0).
 * Segment-override and LOCK prefixes and REX are understood; 16-bit and
 * 8-bit forms, string instructions and bit operations are not: the
 * caller refuses those rather than guess.  Plain C over the bytes (SDM
 * Vol. 2A, 2.1-2.2: instruction format, ModR/M and SIB), host-tested.
 */
#ifndef HVPATCH_MM_STORE_DECODE_H
#define HVPATCH_MM_STORE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HVP_MAX_INSN_LEN 15u

enum hvp_store_op {
	HVP_STORE_MOV,     /* 89 /r, C7 /0 */
	HVP_STORE_XCHG,    /* 87 /r (always locked) */
	HVP_STORE_CMPXCHG, /* 0F B1 /r, with or without LOCK */
};

struct hvp_store_insn {
	enum hvp_store_op op;
	uint8_t length;  /* bytes to skip */
	uint8_t width;   /* 4 or 8 bytes written */
	bool immediate;  /* source is `imm`, else general register `reg` */
	uint8_t reg;     /* 0 = RAX ... 15 = R15 (SDM Vol. 2A, table 2-2) */
	uint64_t imm;    /* imm32, sign-extended to the width (C7 /0) */
};

/* False for anything else. */
bool hvp_decode_store(const uint8_t *insn, size_t len,
		      struct hvp_store_insn *out);

/* Only a 32-bit MOV: what a write to a 32-bit register must be. */
bool hvp_decode_mmio_write(const uint8_t *insn, size_t len,
			   struct hvp_store_insn *out);

#endif /* HVPATCH_MM_STORE_DECODE_H */
