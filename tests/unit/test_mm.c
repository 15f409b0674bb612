// SPDX-License-Identifier: MIT
/*
 * MTRR memory types and the store decoder's MMIO case (hypervisor/mm).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mm/store_decode.h"
#include "mm/mtrr.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define VALID (1ull << 11)

/* A typical firmware layout: WB by default, the 3-4 GiB hole UC, a WC
 * frame buffer inside it, fixed ranges with UC VGA memory. */
static struct hvp_mtrr_state typical(void)
{
	struct hvp_mtrr_state s = {
		.enabled = true, .fixed_enabled = true, .default_type = HVP_MT_WB,
		.variable_count = 3, .phys_mask = (1ull << 39) - 1,
	};

	for (int i = 0; i < 11; i++)
		s.fixed[i] = 0x0606060606060606ull;
	s.fixed[2] = 0; /* A0000-BFFFF: UC */
	s.variable[0].base = 3 * GiB | HVP_MT_UC;
	s.variable[0].mask = (~(GiB - 1) & s.phys_mask) | VALID;
	s.variable[1].base = (3 * GiB + 256 * MiB) | HVP_MT_WC;
	s.variable[1].mask = (~(16 * MiB - 1) & s.phys_mask) | VALID;
	s.variable[2].base = 0x12345000 | HVP_MT_WT;
	s.variable[2].mask = (~(4096ull - 1) & s.phys_mask); /* not valid */
	return s;
}

static enum hvp_mem_type type_of(const struct hvp_mtrr_state *s, uint64_t base,
				 uint64_t size)
{
	enum hvp_mem_type t = 0xff;

	assert_true(hvp_mtrr_range_type(s, base, size, &t));
	return t;
}

static void mtrr_types(void **state)
{
	struct hvp_mtrr_state s = typical();
	enum hvp_mem_type t;

	assert_int_equal(type_of(&s, 2 * GiB, 2 * MiB), HVP_MT_WB);
	assert_int_equal(type_of(&s, 3 * GiB, 2 * MiB), HVP_MT_UC);
	/* UC wins over WC where both match (SDM Vol. 3A, 12.11.4.1). */
	assert_int_equal(type_of(&s, 3 * GiB + 256 * MiB, 2 * MiB), HVP_MT_UC);
	assert_int_equal(type_of(&s, 5 * GiB, 2 * MiB), HVP_MT_WB);
	/* A disabled variable range counts for nothing. */
	assert_int_equal(type_of(&s, 0x12345000, 4096), HVP_MT_WB);
	/* Below 1 MiB: the fixed ranges, mixed within the first 2 MiB. */
	assert_int_equal(type_of(&s, 0xa0000, 4096), HVP_MT_UC);
	assert_int_equal(type_of(&s, 0x9f000, 4096), HVP_MT_WB);
	assert_false(hvp_mtrr_range_type(&s, 0, 2 * MiB, &t));
	/* MTRRs off: everything UC. */
	s.enabled = false;
	assert_int_equal(type_of(&s, 2 * GiB, 2 * MiB), HVP_MT_UC);
}

static void mtrr_partial_overlap_splits(void **state)
{
	struct hvp_mtrr_state s = typical();
	enum hvp_mem_type t;

	/* A 64 KiB WT range inside a 2 MiB chunk: not uniform, so the
	 * caller maps that chunk page by page. */
	s.variable[2].base = (1 * GiB + 64 * 1024) | HVP_MT_WT;
	s.variable[2].mask = (~(64 * 1024ull - 1) & s.phys_mask) | VALID;
	assert_false(hvp_mtrr_range_type(&s, 1 * GiB, 2 * MiB, &t));
	assert_int_equal(type_of(&s, 1 * GiB + 64 * 1024, 4096), HVP_MT_WT);
	assert_int_equal(type_of(&s, 1 * GiB + 128 * 1024, 4096), HVP_MT_WB);
	/* WT overlapping WB gives WT. */
	s.variable[1].base = 1 * GiB | HVP_MT_WB;
	s.variable[1].mask = (~(GiB - 1) & s.phys_mask) | VALID;
	assert_int_equal(type_of(&s, 1 * GiB + 64 * 1024, 4096), HVP_MT_WT);
}

static void decode(const uint8_t *insn, size_t len, bool ok, uint8_t length,
		   bool immediate, uint8_t reg, uint32_t imm)
{
	struct hvp_store_insn w = { 0 };

	assert_int_equal(hvp_decode_mmio_write(insn, len, &w), ok);
	if (!ok)
		return;
	assert_int_equal(w.length, length);
	assert_int_equal(w.immediate, immediate);
	if (immediate)
		assert_int_equal(w.imm, imm);
	else
		assert_int_equal(w.reg, reg);
}

static void mmio_decoder(void **state)
{
	/* Linux's native_apic_mem_write: mov %esi,0xffffffffff5fc300 (SIB,
	 * no base, disp32). */
	static const uint8_t abs32[] = { 0x89, 0x34, 0x25, 0x00, 0xc3, 0x5f, 0xff };
	/* mov %eax,0xb0(%rdx) and mov %r9d,0x300(%rcx) */
	static const uint8_t disp8[] = { 0x89, 0x42, 0xb0 };
	static const uint8_t rex_disp32[] = { 0x44, 0x89, 0x89, 0x00, 0x03, 0x00, 0x00 };
	/* movl $0x4500,(%rax) */
	static const uint8_t imm[] = { 0xc7, 0x00, 0x00, 0x45, 0x00, 0x00 };
	/* mov %eax,0x10(%rip), with a GS override */
	static const uint8_t riprel[] = { 0x65, 0x89, 0x05, 0x10, 0, 0, 0 };
	/* Refused: a 64-bit store, a register destination, a load, a
	 * truncated instruction. */
	static const uint8_t rex_w[] = { 0x48, 0x89, 0x02 };
	static const uint8_t reg_dest[] = { 0x89, 0xc0 };
	static const uint8_t load[] = { 0x8b, 0x02 };

	decode(abs32, sizeof(abs32), true, 7, false, 6, 0);
	decode(disp8, sizeof(disp8), true, 3, false, 0, 0);
	decode(rex_disp32, sizeof(rex_disp32), true, 7, false, 9, 0);
	decode(imm, sizeof(imm), true, 6, true, 0, 0x4500);
	decode(riprel, sizeof(riprel), true, 7, false, 0, 0);
	decode(rex_w, sizeof(rex_w), false, 0, false, 0, 0);
	decode(reg_dest, sizeof(reg_dest), false, 0, false, 0, 0);
	decode(load, sizeof(load), false, 0, false, 0, 0);
	decode(abs32, 5, false, 0, false, 0, 0);
	decode(imm, 4, false, 0, false, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mtrr_types),
		cmocka_unit_test(mtrr_partial_overlap_splits),
		cmocka_unit_test(mmio_decoder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
