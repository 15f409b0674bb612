/* SPDX-License-Identifier: MIT */
/*
 * Decodes the one kind of instruction a guest uses to write a 32-bit
 * memory-mapped register: MOV r32 -> m32 (89 /r) and MOV imm32 -> m32
 * (C7 /0), with REX and segment-override prefixes.  The EPT violation
 * gives the address; this gives the value's source and the length to
 * skip.  Plain C over the instruction bytes, tested on the host.
 */
#ifndef HVPATCH_MM_MMIO_DECODE_H
#define HVPATCH_MM_MMIO_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HVP_MAX_INSN_LEN 15u

struct hvp_mmio_write {
	uint8_t length;     /* bytes to skip */
	bool immediate;     /* value is `imm`, else general register `reg` */
	uint8_t reg;        /* 0 = RAX ... 15 = R15 (SDM Vol. 2A, table 2-2) */
	uint32_t imm;
};

/* False for anything else: the caller refuses rather than guesses. */
bool hvp_decode_mmio_write(const uint8_t *insn, size_t len,
			   struct hvp_mmio_write *out);

#endif /* HVPATCH_MM_MMIO_DECODE_H */
