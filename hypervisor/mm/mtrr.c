// SPDX-License-Identifier: MIT
#include "mm/mtrr.h"

#define MTRR_VALID (1ull << 11)
#define ONE_MIB 0x100000ull

/* The fixed-range type of one 4 KiB page below 1 MiB (12.11.2.2). */
static uint8_t fixed_type(const struct hvp_mtrr_state *s, uint64_t addr)
{
	unsigned int msr, byte;

	if (addr < 0x80000) {
		msr = 0;
		byte = (unsigned int)(addr >> 16);
	} else if (addr < 0xc0000) {
		msr = 1 + (unsigned int)((addr - 0x80000) >> 17);
		byte = (unsigned int)(((addr - 0x80000) >> 14) & 7);
	} else {
		msr = 3 + (unsigned int)((addr - 0xc0000) >> 15);
		byte = (unsigned int)(((addr - 0xc0000) >> 12) & 7);
	}
	return (uint8_t)(s->fixed[msr] >> (8 * byte));
}

/* Two overlapping variable ranges (12.11.4.1): UC wins; WT and WB give
 * WT; any other mix is undefined, so it takes the safe UC as well. */
static uint8_t combine(uint8_t a, uint8_t b)
{
	if (a == b)
		return a;
	if ((a == HVP_MT_WT && b == HVP_MT_WB) || (a == HVP_MT_WB && b == HVP_MT_WT))
		return HVP_MT_WT;
	return HVP_MT_UC;
}

bool hvp_mtrr_range_type(const struct hvp_mtrr_state *s, uint64_t base,
			 uint64_t size, enum hvp_mem_type *type)
{
	uint8_t t = 0xff;

	if (!s->enabled) {
		*type = HVP_MT_UC; /* MTRRs off: all memory is UC */
		return true;
	}
	if (s->fixed_enabled && base < ONE_MIB) {
		if (size > 4096) {
			/* Uniform only if every page agrees. */
			uint8_t first = fixed_type(s, base);

			for (uint64_t a = base; a < base + size && a < ONE_MIB; a += 4096)
				if (fixed_type(s, a) != first)
					return false;
			if (base + size > ONE_MIB)
				return false;
			*type = (enum hvp_mem_type)first;
			return true;
		}
		*type = (enum hvp_mem_type)fixed_type(s, base);
		return true;
	}
	for (uint32_t i = 0; i < s->variable_count; i++) {
		uint64_t mask = s->variable[i].mask & s->phys_mask & ~0xfffull;
		uint64_t vbase = s->variable[i].base & s->phys_mask & ~0xfffull;

		if (!(s->variable[i].mask & MTRR_VALID))
			continue;
		/* A mask bit inside the range: the MTRR covers part of it. */
		if (mask & (size - 1)) {
			if (((base ^ vbase) & mask & ~(size - 1)) == 0)
				return false;
			continue;
		}
		if (((base ^ vbase) & mask) == 0)
			t = t == 0xff ? (uint8_t)(s->variable[i].base & 0xff) :
					combine(t, (uint8_t)(s->variable[i].base & 0xff));
	}
	*type = (enum hvp_mem_type)(t == 0xff ? s->default_type : t);
	return true;
}
