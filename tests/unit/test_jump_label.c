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

static int setup(void **state)
{
	struct fixture *f = malloc(sizeof(*f));

	fx_init_jump_labels(f);
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
	const struct fx_jump_site *a = &fx_jump_sites[0], *b = &fx_jump_sites[1],
				  *c = &fx_jump_sites[2];
	uint8_t nop[5], jmp[5];

	fx_jump_jmp(a, jmp);
	fx_jump_nop(a, nop);
	switch_site(f, a->code, jmp, 5);
	switch_site(f, a->code, nop, 5);
	fx_jump_nop(b, nop);
	switch_site(f, b->code, nop, 2);
	/* Across a page boundary, through the lock-time record. */
	fx_jump_jmp(c, jmp);
	switch_site(f, c->code, jmp, 5);
	assert_int_equal(f->engine->counters.jump_label_writes, 12);
}

/* Each refusal: its status, and not one byte of text changed. */
static void refuses_everything_else(void **state)
{
	struct fixture *f = *state;
	const struct fx_jump_site *a = &fx_jump_sites[0], *b = &fx_jump_sites[1];
	struct fx_jump_site elsewhere = *a;
	static uint8_t before[FX_TEXT_SIZE];
	uint8_t other[5], nop[5], six[6] = { 0 };
	const uint8_t int3 = 0xcc, e9 = 0xe9;

	for (uint32_t i = 0; i < FX_TEXT_SIZE; i++)
		before[i] = *fx_text(f, i);
	fx_jump_nop(a, nop);
	/* A JMP somewhere else than the table says. */
	elsewhere.target++;
	fx_jump_jmp(&elsewhere, other);
	assert_int_equal(poke(f, a->code + 1, other + 1, 4), HVP_E_PREIMAGE);
	assert_int_equal(poke(f, a->code, other, 5), HVP_E_PREIMAGE);
	/* A JMP opcode over a NOP's tail is no state of the site. */
	assert_int_equal(poke(f, a->code, &e9, 1), HVP_E_PREIMAGE);
	/* Not a site: a function's fentry NOP that no entry lists. */
	assert_int_equal(poke(f, FX_FN_A, &int3, 1), HVP_E_TARGET_RANGE);
	/* Reaching past the site, or longer than any site. */
	assert_int_equal(poke(f, a->code + 1, nop, 5), HVP_E_TARGET_RANGE);
	assert_int_equal(poke(f, b->code + 1, nop, 2), HVP_E_TARGET_RANGE);
	assert_int_equal(poke(f, a->code, six, sizeof(six)), HVP_E_TARGET_RANGE);
	/* Outside text: rodata holds the table itself. */
	assert_int_equal(hvp_engine_jump_label_write(f->engine, FX_JUMP_TABLE, &int3, 1),
			 HVP_E_TARGET_RANGE);
	for (uint32_t i = 0; i < FX_TEXT_SIZE; i++)
		assert_int_equal(*fx_text(f, i), before[i]);
	assert_int_equal(f->engine->counters.jump_label_writes, 0);
}

/* A guest INT3 at a site in a switch runs the form the tail holds, never
 * the guest's #BP handler. */
static void int3_on_a_switching_site_runs_the_site(void **state)
{
	struct fixture *f = *state;
	const struct fx_jump_site *a = &fx_jump_sites[0];
	const uint64_t site = FX_TEXT_GVA + a->code;
	const uint8_t int3 = 0xcc;
	uint8_t jmp[5];
	uint64_t next = 0;

	fx_jump_jmp(a, jmp);
	assert_int_equal(hvp_engine_jump_label_int3(f->engine, site, &next),
			 HVP_E_TARGET_RANGE); /* a NOP, not INT3 */
	assert_int_equal(poke(f, a->code, &int3, 1), HVP_OK);
	assert_int_equal(hvp_engine_jump_label_int3(f->engine, site, &next), HVP_OK);
	assert_int_equal(next, site + 5);
	assert_int_equal(poke(f, a->code + 1, jmp + 1, 4), HVP_OK);
	assert_int_equal(hvp_engine_jump_label_int3(f->engine, site, &next), HVP_OK);
	assert_int_equal(next, FX_TEXT_GVA + a->target);
	assert_int_equal(f->engine->counters.jump_label_int3, 2);
	assert_int_equal(poke(f, a->code, jmp, 1), HVP_OK);
	assert_text(f, a->code, jmp, 5);
	assert_int_equal(f->engine->int3_parked_count, 0);
	/* INT3 elsewhere is the guest's own. */
	assert_int_equal(hvp_engine_jump_label_int3(f->engine, site, &next),
			 HVP_E_TARGET_RANGE);
	assert_int_equal(hvp_engine_jump_label_int3(f->engine, FX_TEXT_GVA + FX_FN_A, &next),
			 HVP_E_TARGET_RANGE);
	assert_int_equal(f->engine->counters.refusals[HVP_E_PREIMAGE], 0);
}

/* INT3 parking: a site left in INT3 past the bound, or put there without
 * a step, is put back to the form its tail holds. */
static void int3_parking_is_put_back(void **state)
{
	struct fixture *f = *state;
	const struct fx_jump_site *a = &fx_jump_sites[0], *b = &fx_jump_sites[1],
				  *c = &fx_jump_sites[2];
	const uint8_t int3 = 0xcc;
	uint8_t nop_a[5], jmp_a[5], nop_c[5], jmp_b[5];
	uint64_t next = 0;

	fx_jump_nop(a, nop_a);
	fx_jump_jmp(a, jmp_a);
	fx_jump_nop(c, nop_c);
	fx_jump_jmp(b, jmp_b);
	f->engine->int3_bound = 1000;

	/* Parked, then hit after the bound: put back, and run again. */
	assert_int_equal(poke(f, a->code, &int3, 1), HVP_OK);
	f->clock += 2000;
	assert_int_equal(hvp_engine_jump_label_int3(f->engine, FX_TEXT_GVA + a->code, &next),
			 HVP_OK);
	assert_int_equal(next, FX_TEXT_GVA + a->code);
	assert_text(f, a->code, nop_a, 5);
	assert_int_equal(f->engine->counters.refusals[HVP_E_PREIMAGE], 1);
	/* The switch cannot go on from there. */
	assert_int_equal(poke(f, a->code + 1, jmp_a + 1, 4), HVP_E_PREIMAGE);
	assert_text(f, a->code, nop_a, 5);

	/* Parked and never hit: the next switch step anywhere puts it back. */
	assert_int_equal(poke(f, b->code, &int3, 1), HVP_OK);
	f->clock += 2000;
	assert_int_equal(poke(f, c->code, &int3, 1), HVP_OK);
	assert_text(f, b->code, jmp_b, 2);
	assert_int_equal(f->engine->int3_parked_count, 1);
	assert_int_equal(poke(f, c->code, nop_c, 1), HVP_OK);

	/* INT3 that no step put there (a stale one, say) is put back at
	 * once, and takes no tail write. */
	*fx_text(f, a->code) = int3;
	assert_int_equal(poke(f, a->code + 1, jmp_a + 1, 4), HVP_E_PREIMAGE);
	assert_int_equal(hvp_engine_jump_label_int3(f->engine, FX_TEXT_GVA + a->code, &next),
			 HVP_OK);
	assert_text(f, a->code, nop_a, 5);
	assert_int_equal(f->engine->counters.refusals[HVP_E_PREIMAGE], 3);
	assert_int_equal(f->engine->counters.jump_label_int3, 0);
}

/* No more sites in INT3 at once than text_poke_bp() batches. */
static void int3_steps_are_bounded(void **state)
{
	struct fixture *f = *state;
	const struct fx_jump_site *a = &fx_jump_sites[0];
	const uint8_t int3 = 0xcc;
	uint8_t nop[5];

	fx_jump_nop(a, nop);
	for (uint32_t i = 0; i < HVP_JUMP_LABEL_MAX_PARKED; i++) {
		f->engine->int3_parked[i].site = FX_TEXT_GVA + 0x8000 + i;
		f->engine->int3_parked[i].since = f->clock;
	}
	f->engine->int3_parked_count = HVP_JUMP_LABEL_MAX_PARKED;
	assert_int_equal(poke(f, a->code, &int3, 1), HVP_E_TABLE_FULL);
	assert_text(f, a->code, nop, 5);
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
	assert_int_equal(hvp_engine_jump_label_write(e, FX_TEXT_GVA + fx_jump_sites[0].code, &int3, 1),
			 HVP_E_TARGET_RANGE);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_ARENA, FX_ARENA_GVA,
					     FX_ARENA_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_register_image(e, FX_IMAGE_GVA, FX_IMAGE_SIZE),
			 HVP_OK);
	assert_int_equal(hvp_engine_lock(e, f.cr3, FX_RODATA_GVA + 0x40), HVP_OK);
	assert_int_equal(hvp_engine_jump_label_write(e, FX_TEXT_GVA + fx_jump_sites[0].code, &int3, 1),
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
		cmocka_unit_test_setup_teardown(int3_on_a_switching_site_runs_the_site, setup,
						teardown),
		cmocka_unit_test_setup_teardown(int3_parking_is_put_back, setup, teardown),
		cmocka_unit_test_setup_teardown(int3_steps_are_bounded, setup, teardown),
		cmocka_unit_test(registration_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
