// SPDX-License-Identifier: MIT
/*
 * The hypervisor's portable helpers: MTRR memory types, the MMIO-write
 * decoder, the VT-x capability verdict, the log formatter and the log
 * ring that HVP_HC_LOG_READ reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86/vmx_caps.h"
#include "mm/mmio_decode.h"
#include "mm/mtrr.h"
#include "lib/byte_ring.h"
#include "lib/format.h"

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
	struct hvp_mmio_write w = { 0 };

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

/* What Bochs's icelake model reports, per the boot log. */
static struct hvp_vmx_caps usable_caps(void)
{
	return (struct hvp_vmx_caps){
		.cpuid_vmx = true,
		.feature_control = 0,
		.procbased = 0xfff9fffe0401e172ull,
		.procbased2 = 0x02977fff00000000ull,
		.entry = 0x0003ffff000011ffull,
		.exit = 0x01ffffff00036dffull,
		.ept_vpid = 0xf0106334141ull,
	};
}

static void vmx_verdicts(void **state)
{
	struct hvp_vmx_caps c = usable_caps();
	const char *why;

	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_USABLE);
	c.feature_control = 1; /* locked, VMX outside SMX off */
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_LOCKED_OFF);
	assert_non_null(strstr(why, "locked off"));
	c.feature_control = 5; /* locked, on */
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_USABLE);
	c = usable_caps();
	c.cpuid_vmx = false;
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_ABSENT);
	c = usable_caps();
	c.procbased2 &= ~((uint64_t)VMX_PROC2_EPT << 32);
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_MISSING_FEATURE);
	assert_non_null(strstr(why, "EPT"));
	c = usable_caps();
	c.procbased2 &= ~((uint64_t)VMX_PROC2_UNRESTRICTED_GUEST << 32);
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_MISSING_FEATURE);
	assert_non_null(strstr(why, "unrestricted"));
	c = usable_caps();
	c.ept_vpid &= ~VMX_EPT_WB;
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_MISSING_FEATURE);
}

static void formatter(void **state)
{
	char buf[64];

	hvp_format(buf, sizeof(buf), "%s=%d %u 0x%llx %5d|%-4s|%03x %zu %c%%", "a", -42,
		   4000000000u, 0xfee00000ull, 7, "ab", 0xa, (size_t)12, 'z');
	assert_string_equal(buf, "a=-42 4000000000 0xfee00000     7|ab  |00a 12 z%");
	hvp_format(buf, sizeof(buf), "%lld %s", -9223372036854775807ll - 1, NULL);
	assert_string_equal(buf, "-9223372036854775808 (null)");
	/* Truncates, always terminated; returns what fits. */
	assert_int_equal(hvp_format(buf, 8, "%s", "0123456789"), 7);
	assert_string_equal(buf, "0123456");
	hvp_format(buf, sizeof(buf), "%#llx %#x %#x", 0xffffffff81000000ull, 0, 255);
	assert_string_equal(buf, "0xffffffff81000000 0 0xff");
	hvp_format(buf, sizeof(buf), "%q");
	assert_string_equal(buf, "%q");
}

/* A reader names stream offsets; the ring keeps only the last `size`. */
static void log_ring(void **state)
{
	char buf[8], out[16];
	struct hvp_byte_ring r = { .buf = buf, .size = sizeof(buf) };
	uint64_t start;

	assert_int_equal(hvp_byte_ring_read(&r, 0, out, sizeof(out), &start), 0);
	assert_int_equal(start, 0);
	hvp_byte_ring_write(&r, "hello", 5);
	assert_int_equal(hvp_byte_ring_read(&r, 1, out, sizeof(out), &start), 4);
	assert_int_equal(start, 1);
	assert_memory_equal(out, "ello", 4);
	/* Wraps: 13 bytes written, the oldest 5 are gone. */
	hvp_byte_ring_write(&r, ", world!", 8);
	assert_int_equal(r.written, 13);
	assert_int_equal(hvp_byte_ring_read(&r, 0, out, sizeof(out), &start), 8);
	assert_int_equal(start, 5);
	assert_memory_equal(out, ", world!", 8);
	/* A small buffer takes the next piece; the reader moves on by it. */
	assert_int_equal(hvp_byte_ring_read(&r, 7, out, 3, &start), 3);
	assert_int_equal(start, 7);
	assert_memory_equal(out, "wor", 3);
	assert_int_equal(hvp_byte_ring_read(&r, 10, out, 3, &start), 3);
	assert_memory_equal(out, "ld!", 3);
	/* At or past the end: nothing, and start says where the end is. */
	assert_int_equal(hvp_byte_ring_read(&r, 13, out, sizeof(out), &start), 0);
	assert_int_equal(hvp_byte_ring_read(&r, ~0ull, out, sizeof(out), &start), 0);
	assert_int_equal(start, 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mtrr_types),
		cmocka_unit_test(mtrr_partial_overlap_splits),
		cmocka_unit_test(mmio_decoder),
		cmocka_unit_test(vmx_verdicts),
		cmocka_unit_test(formatter),
		cmocka_unit_test(log_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
