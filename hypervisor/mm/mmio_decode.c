// SPDX-License-Identifier: MIT
#include "mm/mmio_decode.h"

/* SDM Vol. 2A, 2.1-2.2: instruction format, ModR/M and SIB bytes. */
bool hvp_decode_mmio_write(const uint8_t *insn, size_t len,
			   struct hvp_mmio_write *out)
{
	size_t at = 0;
	uint8_t rex = 0, opcode, modrm, mod, rm;

	/* Segment overrides (FS/GS and the null ones in 64-bit mode). */
	while (at < len && (insn[at] == 0x26 || insn[at] == 0x2e || insn[at] == 0x36 ||
			    insn[at] == 0x3e || insn[at] == 0x64 || insn[at] == 0x65))
		at++;
	if (at < len && (insn[at] & 0xf0) == 0x40)
		rex = insn[at++];
	if (rex & 0x08)       /* REX.W: a 64-bit store, not a register write */
		return false;
	if (at + 2 > len)
		return false;
	opcode = insn[at++];
	modrm = insn[at++];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return false; /* register destination: not a memory write */
	if (opcode == 0x89) {
		out->immediate = false;
		out->reg = (uint8_t)(((modrm >> 3) & 7) | (rex & 0x04 ? 8 : 0));
	} else if (opcode == 0xc7 && ((modrm >> 3) & 7) == 0) {
		out->immediate = true;
	} else {
		return false;
	}
	if (rm == 4) { /* SIB byte; base 5 with mod 0 means disp32 */
		if (at >= len)
			return false;
		if ((insn[at++] & 7) == 5 && mod == 0)
			at += 4;
	} else if (rm == 5 && mod == 0) {
		at += 4; /* RIP-relative disp32 */
	}
	at += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	if (out->immediate) {
		if (at + 4 > len)
			return false;
		out->imm = (uint32_t)insn[at] | (uint32_t)insn[at + 1] << 8 |
			   (uint32_t)insn[at + 2] << 16 | (uint32_t)insn[at + 3] << 24;
		at += 4;
	}
	if (at > len || at > HVP_MAX_INSN_LEN)
		return false;
	out->length = (uint8_t)at;
	return true;
}
