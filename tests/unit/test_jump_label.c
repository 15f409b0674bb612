// SPDX-License-Identifier: MIT
/*
 * Static keys after lock (patch/jump_label.c), against the simulated
 * guest: a switch is performed only step by step along text_poke_bp()'s
 * protocol, only inside a site of the locked __jump_table, and only
 * towards the site's own NOP or JMP-to-target.  Every refusal leaves the
 * text byte-identical.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fixture.h"

/* Three sites: a 5-byte NOP, a 2-byte JMP (taken), a 5-byte NOP that
 * straddles a text page (pages are physically reversed). */
#define SITE_A 0x1000u
#define SITE_A_TARGET 0x1040u
#define SITE_B 0x1100u
#define SITE_B_TARGET 0x1120u
#define SITE_C 0x1ffeu
#define SITE_C_TARGET 0x3000u
#define TABLE_OFFSET 0x100u /* in rodata */
#define TABLE_SIZE (3u * 16u)

static const uint8_t nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

static void put_entry(struct fixture *f, unsigned int i, uint32_t code,
		      uint32_t target)
{
	uint64_t entry = FX_RODATA_GVA + TABLE_OFFSET + 16u * i;
	int32_t rel[2] = {
		(int32_t)(FX_TEXT_GVA + code - entry),
		(int32_t)(FX_TEXT_GVA + target - (entry + 4)),
	};
	uint64_t key = 0xffffffff83000000ull + 8u * i;
	uint8_t *at = f->m.ram + FX_RODATA_GPA + TABLE_OFFSET + 16u * i;

	memcpy(at, rel, sizeof(rel));
	memcpy(at + 8, &key, sizeof(key));
}

static void put_text(struct fixture *f, uint32_t offset, const uint8_t *b,
		     size_t len)
{
	for (size_t i = 0; i < len; i++)
		*fx_text(f, offset + (uint32_t)i) = b[i];
}

static void jmp5(uint32_t site, uint32_t target, uint8_t out[5])
{
	int32_t rel = (int32_t)(target - (site + 5));

	out[0] = 0xe9;
	memcpy(out + 1, &rel, 4);
}

static int setup(void **state)
{
	struct fixture *f = malloc(sizeof(*f));
	const uint8_t jmp8[2] = { 0xeb, SITE_B_TARGET - (SITE_B + 2) };

	fx_init(f, false);
	put_text(f, SITE_A, nop5, 5);
	put_text(f, SITE_B, jmp8, 2);
	put_text(f, SITE_C, nop5, 5);
	put_entry(f, 0, SITE_A, SITE_A_TARGET);
	put_entry(f, 1, SITE_B, SITE_B_TARGET);
	put_entry(f, 2, SITE_C, SITE_C_TARGET);
	if (hvp_engine_register(f->engine, HVP_REGION_TEXT, FX_TEXT_GVA,
				FX_TEXT_SIZE) != HVP_OK ||
	    hvp_engine_register(f->engine, HVP_REGION_RODATA, FX_RODATA_GVA,
				FX_RODATA_SIZE) != HVP_OK ||
	    hvp_engine_register_jump_table(f->engine, FX_RODATA_GVA + TABLE_OFFSET,
					   TABLE_SIZE) != HVP_OK ||
	    hvp_engine_register(f->engine, HVP_REGION_ARENA, FX_ARENA_GVA,
				FX_ARENA_SIZE) != HVP_OK ||
	    hvp_engine_lock(f->engine, f->cr3, FX_RODATA_GVA + 0x40) != HVP_OK)
		abort();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_destroy(*state);
	free(*state);
	return 0;
}

static enum hvp_status poke(struct fixture *f, uint32_t offset,
			    const uint8_t *bytes, size_t len)
{
	return hvp_engine_jump_label_write(f->engine, FX_TEXT_GVA + offset, bytes, len);
}

static void assert_text(struct fixture *f, uint32_t offset, const uint8_t *want,
			size_t len)
{
	for (size_t i = 0; i < len; i++)
		assert_int_equal(*fx_text(f, offset + (uint32_t)i), want[i]);
}

/* text_poke_bp(): INT3 over byte 0, then the tail, then byte 0. */
static void switch_site(struct fixture *f, uint32_t site, const uint8_t *to,
			size_t size)
{
	const uint8_t int3 = 0xcc;

	assert_int_equal(poke(f, site, &int3, 1), HVP_OK);
	assert_int_equal(poke(f, site + 1, to + 1, size - 1), HVP_OK);
	assert_int_equal(poke(f, site, to, 1), HVP_OK);
	assert_text(f, site, to, size);
}

static void switches_a_key_both_ways(void **state)
{
	struct fixture *f = *state;
	uint8_t jmp[5];
	const uint8_t nop2[2] = { 0x66, 0x90 };

	jmp5(SITE_A, SITE_A_TARGET, jmp);
	switch_site(f, SITE_A, jmp, 5);
	switch_site(f, SITE_A, nop5, 5);
	switch_site(f, SITE_B, nop2, 2);
	/* Across a page boundary, through the lock-time record. */
	jmp5(SITE_C, SITE_C_TARGET, jmp);
	switch_site(f, SITE_C, jmp, 5);
	assert_int_equal(f->engine->counters.jump_label_writes, 12);
}

/* Each refusal: its status, and not one byte of text changed. */
static void refuses_everything_else(void **state)
{
	struct fixture *f = *state;
	static uint8_t before[FX_TEXT_SIZE];
	uint8_t other[5], six[6] = { 0 };
	const uint8_t int3 = 0xcc, e9 = 0xe9;

	for (uint32_t i = 0; i < FX_TEXT_SIZE; i++)
		before[i] = *fx_text(f, i);
	/* A JMP somewhere else than the table says. */
	jmp5(SITE_A, SITE_A_TARGET + 1, other);
	assert_int_equal(poke(f, SITE_A + 1, other + 1, 4), HVP_E_PREIMAGE);
	assert_int_equal(poke(f, SITE_A, other, 5), HVP_E_PREIMAGE);
	/* A JMP opcode over a NOP's tail is no state of the site. */
	assert_int_equal(poke(f, SITE_A, &e9, 1), HVP_E_PREIMAGE);
	/* Not a site: a function's fentry NOP that no entry lists. */
	assert_int_equal(poke(f, FX_FN_A, &int3, 1), HVP_E_TARGET_RANGE);
	/* Reaching past the site, or longer than any site. */
	assert_int_equal(poke(f, SITE_A + 1, nop5, 5), HVP_E_TARGET_RANGE);
	assert_int_equal(poke(f, SITE_B + 1, nop5, 2), HVP_E_TARGET_RANGE);
	assert_int_equal(poke(f, SITE_A, six, sizeof(six)), HVP_E_TARGET_RANGE);
	/* Outside text: rodata holds the table itself. */
	assert_int_equal(hvp_engine_jump_label_write(f->engine, FX_RODATA_GVA + TABLE_OFFSET,
						     &int3, 1),
			 HVP_E_TARGET_RANGE);
	for (uint32_t i = 0; i < FX_TEXT_SIZE; i++)
		assert_int_equal(*fx_text(f, i), before[i]);
	assert_int_equal(f->engine->counters.jump_label_writes, 0);
}

static void registration_rules(void **state)
{
	struct fixture f;
	const uint8_t int3 = 0xcc;
	struct hvp_engine *e;

	(void)state;
	fx_init(&f, false);
	e = f.engine;
	/* Rodata first: the table must lie inside it. */
	assert_int_equal(hvp_engine_register_jump_table(e, FX_RODATA_GVA, 16),
			 HVP_E_NOT_REGISTERED);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_RODATA, FX_RODATA_GVA,
					     FX_RODATA_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_register_jump_table(e, FX_RODATA_GVA - 16, 32),
			 HVP_E_INVALID);
	assert_int_equal(hvp_engine_register_jump_table(e, FX_RODATA_GVA + FX_RODATA_SIZE - 16, 32),
			 HVP_E_INVALID);
	assert_int_equal(hvp_engine_register_jump_table(e, FX_RODATA_GVA, 24),
			 HVP_E_INVALID);
	assert_int_equal(hvp_engine_register_jump_table(e, FX_RODATA_GVA + 4, 16),
			 HVP_E_INVALID);
	assert_int_equal(hvp_engine_register_jump_table(e, FX_RODATA_GVA, 0),
			 HVP_E_INVALID);
	/* No table registered: locked text takes no writes at all. */
	assert_int_equal(hvp_engine_register(e, HVP_REGION_TEXT, FX_TEXT_GVA,
					     FX_TEXT_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_jump_label_write(e, FX_TEXT_GVA + SITE_A, &int3, 1),
			 HVP_E_TARGET_RANGE);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_ARENA, FX_ARENA_GVA,
					     FX_ARENA_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_lock(e, f.cr3, FX_RODATA_GVA + 0x40), HVP_OK);
	assert_int_equal(hvp_engine_jump_label_write(e, FX_TEXT_GVA + SITE_A, &int3, 1),
			 HVP_E_TARGET_RANGE);
	/* After lock, the table cannot be set or moved. */
	assert_int_equal(hvp_engine_register_jump_table(e, FX_RODATA_GVA, 16),
			 HVP_E_LOCKED);
	fx_destroy(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(switches_a_key_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_everything_else, setup, teardown),
		cmocka_unit_test(registration_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
