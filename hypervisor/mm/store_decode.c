// SPDX-License-Identifier: MIT
#include "mm/store_decode.h"

#define PREFIX_LOCK 0xf0
#define PREFIX_OPSIZE 0x66
#define REX_W 0x08
#define REX_R 0x04

static bool is_segment_override(uint8_t b)
{
	return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 ||
	       b == 0x65;
}

/* Bytes after the ModR/M byte that address memory: SIB and displacement
 * (SDM Vol. 2A, 2.1.5, tables 2-2 and 2-3); false if truncated. */
static bool memory_operand_tail(const uint8_t *p, size_t avail, uint8_t modrm,
				size_t *n)
{
	uint8_t mod = modrm >> 6, rm = modrm & 7;

	*n = 0;
	if (rm == 4) { /* SIB; base 5 with mod 0 means disp32 */
		if (avail < 1)
			return false;
		if ((p[0] & 7) == 5 && mod == 0)
			*n += 4;
		*n += 1;
	} else if (rm == 5 && mod == 0) {
		*n += 4; /* RIP-relative disp32 */
	}
	*n += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	return *n <= avail;
}

bool hvp_decode_store(const uint8_t *insn, size_t len,
		      struct hvp_store_insn *out)
{
	size_t at = 0, tail;
	uint8_t rex = 0, opcode, modrm;
	bool lock = false;

	if (len > HVP_MAX_INSN_LEN)
		len = HVP_MAX_INSN_LEN;
	for (; at < len; at++) {
		if (insn[at] == PREFIX_LOCK)
			lock = true;
		else if (insn[at] == PREFIX_OPSIZE)
			return false; /* 16-bit stores: never a whole entry */
		else if (!is_segment_override(insn[at]))
			break;
	}
	if (at < len && (insn[at] & 0xf0) == 0x40)
		rex = insn[at++];
	if (at >= len)
		return false;
	opcode = insn[at++];
	if (opcode == 0x0f) {
		if (at >= len || insn[at++] != 0xb1)
			return false;
		out->op = HVP_STORE_CMPXCHG;
	} else if (opcode == 0x89 || opcode == 0xc7) {
		out->op = HVP_STORE_MOV;
	} else if (opcode == 0x87) {
		out->op = HVP_STORE_XCHG;
	} else {
		return false;
	}
	/* LOCK on a MOV is #UD (SDM Vol. 2A, LOCK). */
	if (at >= len || (lock && out->op == HVP_STORE_MOV))
		return false;
	modrm = insn[at++];
	if (modrm >> 6 == 3)
		return false; /* register destination: not a memory write */
	if (opcode == 0xc7 && ((modrm >> 3) & 7) != 0)
		return false;
	if (!memory_operand_tail(insn + at, len - at, modrm, &tail))
		return false;
	at += tail;
	out->width = rex & REX_W ? 8 : 4;
	out->immediate = opcode == 0xc7;
	out->reg = (uint8_t)(((modrm >> 3) & 7) | (rex & REX_R ? 8 : 0));
	out->imm = 0;
	if (out->immediate) {
		uint32_t imm;

		if (at + 4 > len)
			return false;
		imm = (uint32_t)insn[at] | (uint32_t)insn[at + 1] << 8 |
		      (uint32_t)insn[at + 2] << 16 | (uint32_t)insn[at + 3] << 24;
		out->imm = out->width == 8 ? (uint64_t)(int64_t)(int32_t)imm : imm;
		at += 4;
	}
	out->length = (uint8_t)at;
	return true;
}

bool hvp_decode_mmio_write(const uint8_t *insn, size_t len,
			   struct hvp_store_insn *out)
{
	return hvp_decode_store(insn, len, out) && out->op == HVP_STORE_MOV &&
	       out->width == 4;
}
