// SPDX-License-Identifier: MIT
#include "mm/pt_write.h"

static uint64_t width_mask(unsigned int width)
{
	return width == 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

/* PF: the low byte of the result has an even number of set bits. */
static bool even_parity(uint8_t b)
{
	b ^= b >> 4;
	b ^= b >> 2;
	b ^= b >> 1;
	return !(b & 1);
}

/* The flags of CMP a, b at the given width. */
static uint64_t cmp_flags(uint64_t a, uint64_t b, unsigned int width)
{
	uint64_t mask = width_mask(width), sign = 1ull << (8 * width - 1);
	uint64_t diff = (a - b) & mask, flags = 0;

	a &= mask;
	b &= mask;
	if (a < b)
		flags |= HVP_RFLAGS_CF;
	if (even_parity((uint8_t)diff))
		flags |= HVP_RFLAGS_PF;
	if (((a ^ b ^ diff) >> 4) & 1)
		flags |= HVP_RFLAGS_AF;
	if (diff == 0)
		flags |= HVP_RFLAGS_ZF;
	if (diff & sign)
		flags |= HVP_RFLAGS_SF;
	if ((a ^ b) & (a ^ diff) & sign)
		flags |= HVP_RFLAGS_OF;
	return flags;
}

void hvp_pt_execute(const struct hvp_store_insn *insn, unsigned int offset,
		    uint64_t old_entry, uint64_t src, uint64_t rax,
		    struct hvp_pt_result *out)
{
	uint64_t mask = width_mask(insn->width), value;
	unsigned int shift = 8 * offset;

	out->old = (old_entry >> shift) & mask;
	out->rflags = 0;
	out->stored = true;
	value = (insn->immediate ? insn->imm : src) & mask;
	if (insn->op == HVP_STORE_CMPXCHG) {
		out->rflags = cmp_flags(rax, out->old, insn->width);
		out->stored = (rax & mask) == out->old;
	}
	out->entry = out->stored ?
		     (old_entry & ~(mask << shift)) | value << shift : old_entry;
}
