// SPDX-License-Identifier: MIT
/*
 * The patch engine against a simulated guest.  Every refusal is checked
 * for its own status code and for leaving guest RAM and the EPT exactly
 * as they were.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bundle_writer.h"
#include "engine_fixture.h"

static const struct fx_replacement fn_a = { FX_FN_A };
static const struct fx_replacement fn_b = { FX_FN_B };
static const struct fx_replacement fn_c = { FX_FN_C };

static int setup_locked(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	fx_init(f, true);
	*state = f;
	return 0;
}

static int setup_unlocked(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	fx_init(f, false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fx_destroy(f);
	test_free(f);
	return 0;
}

static enum hvp_status apply_bytes(struct fixture *f, const uint8_t *bundle,
				   size_t len, uint32_t *id)
{
	return hvp_engine_apply(f->engine, fx_place(f, bundle, len), id);
}

static enum hvp_status apply(struct fixture *f, const struct buffer *b,
			     uint32_t *id)
{
	return apply_bytes(f, b->data, b->len, id);
}

/*
 * Runs one apply that must be refused with `expected` (or, when expected
 * is HVP_OK, with any refusal), and proves nothing changed: no guest write,
 * the same EPT, the same bytes everywhere, and one more refusal counted.
 */
static void assert_refused_bytes(struct fixture *f, const uint8_t *bundle,
				 size_t len, enum hvp_status expected)
{
	struct sim_snapshot before;
	uint64_t desc = fx_place(f, bundle, len);
	uint64_t refusals = 0, after = 0;
	enum hvp_status status;
	uint32_t id = 0;

	for (int s = 0; s < HVP_STATUS_COUNT; s++)
		refusals += f->engine->counters.refusals[s];
	sim_snapshot(&f->m, &before);
	status = hvp_engine_apply(f->engine, desc, &id);
	if (expected == HVP_OK)
		assert_int_not_equal(status, HVP_OK);
	else
		assert_int_equal(status, expected);
	assert_true(sim_unchanged(&f->m, &before));
	for (int s = 0; s < HVP_STATUS_COUNT; s++)
		after += f->engine->counters.refusals[s];
	assert_int_equal(after, refusals + 1);
	assert_int_equal(f->pauses, f->resumes);
	sim_snapshot_free(&before);
}

static void assert_refused(struct fixture *f, const struct buffer *b,
			   enum hvp_status expected)
{
	assert_refused_bytes(f, b->data, b->len, expected);
}

static void assert_trampoline(struct fixture *f, uint32_t site_offset,
			      uint64_t entry_gva)
{
	uint64_t site = FX_TEXT_GVA + site_offset;
	int32_t rel = (int32_t)(entry_gva - (site + 5));

	assert_int_equal(*fx_text(f, site_offset), 0xe9);
	for (int i = 0; i < 4; i++)
		assert_int_equal(*fx_text(f, site_offset + 1 + i),
				 (uint8_t)((uint32_t)rel >> (8 * i)));
}

static void lock_sets_ept_rights(void **state)
{
	struct fixture *f = *state;
	struct hvp_ept_mapping m;
	enum hvp_region_kind kind;

	hvp_ept_lookup(&f->ept, FX_TEXT_GPA + 0x3000, &m);
	assert_int_equal(m.perms, HVP_EPT_READ | HVP_EPT_EXEC);
	/* Not writable; executable for the vDSO that Linux keeps there. */
	hvp_ept_lookup(&f->ept, FX_RODATA_GPA, &m);
	assert_int_equal(m.perms, HVP_EPT_READ | HVP_EPT_EXEC);
	hvp_ept_lookup(&f->ept, FX_ARENA_GPA + 0x3fff, &m);
	assert_int_equal(m.perms, HVP_EPT_READ | HVP_EPT_EXEC);
	hvp_ept_lookup(&f->ept, FX_TEXT_GPA + FX_TEXT_SIZE, &m);
	assert_int_equal(m.perms, HVP_EPT_RWX);
	assert_true(hvp_engine_protects(f->engine, FX_TEXT_GPA + 0x10, &kind));
	assert_int_equal(kind, HVP_REGION_TEXT);
	assert_true(hvp_engine_protects(f->engine, FX_ARENA_GPA, &kind));
	assert_int_equal(kind, HVP_REGION_ARENA);
	assert_false(hvp_engine_protects(f->engine, FX_DESC_GPA, &kind));
	assert_memory_equal(f->engine->build_id, f->build_id, 20);
	assert_true(f->flushes >= 1);
}

static void good_bundle_applies_and_reverts(void **state)
{
	struct fixture *f = *state;
	uint8_t text_before[FX_TEXT_SIZE], expected[FX_CODE_LEN];
	struct buffer b;
	uint32_t id = 0;

	for (uint32_t i = 0; i < FX_TEXT_SIZE; i++)
		text_before[i] = *fx_text(f, i);
	fx_bundle(f, &fn_b, 1, 1, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	assert_int_equal(id, 1);
	/* The trampoline straddles no page, but FN_B's body does. */
	assert_trampoline(f, FX_FN_B, FX_ARENA_GVA);
	fx_expected_code(FX_ARENA_GVA, expected);
	assert_memory_equal(f->m.ram + FX_ARENA_GPA, expected, FX_CODE_LEN);
	assert_int_equal(f->engine->counters.applies, 1);
	assert_int_equal(f->pauses, 1);
	assert_int_equal(f->resumes, 1);
	assert_true(f->engine->counters.last_hold_cycles > 0);

	assert_int_equal(hvp_engine_revert(f->engine, id), HVP_OK);
	for (uint32_t i = 0; i < FX_TEXT_SIZE; i++)
		assert_int_equal(*fx_text(f, i), text_before[i]);
	assert_null(hvp_engine_find_patch(f->engine, id));
	assert_int_equal(hvp_engine_revert(f->engine, id), HVP_E_NO_SUCH_PATCH);
	free(b.data);
}

static void endbr64_site_is_after_the_landing_pad(void **state)
{
	struct fixture *f = *state;
	struct buffer b;
	uint32_t id;

	fx_bundle(f, &fn_c, 1, 1, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	assert_int_equal(*fx_text(f, FX_FN_C), 0xf3); /* endbr64 kept */
	assert_trampoline(f, FX_FN_C + 4, FX_ARENA_GVA);
	free(b.data);
}

static void stacked_patches_revert_independently(void **state)
{
	struct fixture *f = *state;
	uint8_t a_before[5], expected[FX_CODE_LEN];
	struct buffer a, b;
	uint32_t id_a, id_b;

	memcpy(a_before, fx_text(f, FX_FN_A), 5);
	fx_bundle(f, &fn_a, 1, 1, &a);
	fx_bundle(f, &fn_b, 1, 2, &b);
	assert_int_equal(apply(f, &a, &id_a), HVP_OK);
	assert_int_equal(apply(f, &b, &id_b), HVP_OK);
	/* The second patch's code goes after the first, 16-byte aligned. */
	assert_trampoline(f, FX_FN_B, FX_ARENA_GVA + 32);
	fx_expected_code(FX_ARENA_GVA + 32, expected);
	assert_memory_equal(f->m.ram + FX_ARENA_GPA + 32, expected, FX_CODE_LEN);

	assert_int_equal(hvp_engine_revert(f->engine, id_a), HVP_OK);
	assert_memory_equal(fx_text(f, FX_FN_A), a_before, 5);
	assert_trampoline(f, FX_FN_B, FX_ARENA_GVA + 32);
	assert_non_null(hvp_engine_find_patch(f->engine, id_b));
	free(a.data);
	free(b.data);
}

static void two_replacements_in_one_bundle(void **state)
{
	struct fixture *f = *state;
	const struct fx_replacement both[] = { fn_a, fn_b };
	struct buffer b;
	uint32_t id;

	fx_bundle(f, both, 2, 1, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	assert_trampoline(f, FX_FN_A, FX_ARENA_GVA);
	assert_trampoline(f, FX_FN_B, FX_ARENA_GVA + 32);
	assert_int_equal(hvp_engine_find_patch(f->engine, id)->site_count, 2);
	free(b.data);
}

static void truncated_at_every_offset(void **state)
{
	struct fixture *f = *state;
	struct buffer b;

	fx_bundle(f, &fn_a, 1, 1, &b);
	assert_refused_bytes(f, b.data, 1, HVP_E_TRUNCATED);
	for (size_t len = 1; len < b.len; len++) {
		enum hvp_status expected =
			len < sizeof(struct hvp_bundle_header) ||
					len >= ((struct hvp_bundle_header *)b.data)->signed_size ?
				HVP_E_TRUNCATED : HVP_OK;

		assert_refused_bytes(f, b.data, len, expected);
	}
	free(b.data);
}

static void every_signed_byte_flipped(void **state)
{
	struct fixture *f = *state;
	const struct hvp_bundle_header *h;
	struct buffer b;

	fx_bundle(f, &fn_a, 1, 1, &b);
	h = (const void *)b.data;
	for (size_t i = 0; i < h->signed_size; i++) {
		b.data[i] ^= 0x20;
		assert_refused(f, &b, HVP_OK);
		b.data[i] ^= 0x20;
	}
	/* A signature byte flipped: refused as a bad signature. */
	b.data[b.len - 1] ^= 0x01;
	assert_refused(f, &b, HVP_E_BAD_SIGNATURE);
	free(b.data);
}

static void unknown_key(void **state)
{
	struct fixture *f = *state;
	struct buffer unsigned_bundle, b;
	struct signer stranger;

	assert_true(signer_generate(&stranger));
	fx_unsigned_bundle(f, &fn_a, 1, 1, &unsigned_bundle);
	assert_true(bundle_sign(&stranger, &unsigned_bundle, &b));
	assert_refused(f, &b, HVP_E_UNKNOWN_KEY);
	signer_free(&stranger);
	free(unsigned_bundle.data);
	free(b.data);
}

static void wrong_build_id(void **state)
{
	struct fixture *f = *state;
	struct buffer unsigned_bundle, b;

	fx_unsigned_bundle(f, &fn_a, 1, 1, &unsigned_bundle);
	((struct hvp_bundle_header *)unsigned_bundle.data)->build_id[0] ^= 1;
	fx_sign(f, &unsigned_bundle, &b);
	assert_refused(f, &b, HVP_E_WRONG_BUILD);
	free(unsigned_bundle.data);
	free(b.data);
}

static void replayed_and_older_sequences(void **state)
{
	struct fixture *f = *state;
	struct buffer first, older;
	uint32_t id;

	fx_bundle(f, &fn_a, 1, 5, &first);
	fx_bundle(f, &fn_b, 1, 4, &older);
	assert_int_equal(apply(f, &first, &id), HVP_OK);
	assert_refused(f, &first, HVP_E_REPLAY); /* while applied */
	assert_int_equal(hvp_engine_revert(f->engine, id), HVP_OK);
	assert_refused(f, &first, HVP_E_REPLAY); /* after revert too */
	assert_refused(f, &older, HVP_E_REPLAY);
	free(first.data);
	free(older.data);
}

/* Re-signs an unsigned bundle after edit() changed its first replacement. */
static void refuse_edited(struct fixture *f, void (*edit)(struct hvp_replacement *),
			  enum hvp_status expected)
{
	struct buffer unsigned_bundle, b;

	fx_unsigned_bundle(f, &fn_a, 1, 1, &unsigned_bundle);
	edit((struct hvp_replacement *)(unsigned_bundle.data +
					sizeof(struct hvp_bundle_header)));
	fx_sign(f, &unsigned_bundle, &b);
	assert_refused(f, &b, expected);
	free(unsigned_bundle.data);
	free(b.data);
}

static void edit_preimage(struct hvp_replacement *r) { r->preimage[4] ^= 0xff; }
static void edit_hash(struct hvp_replacement *r) { r->function_sha256[0] ^= 1; }
static void edit_outside(struct hvp_replacement *r) { r->function_offset = FX_TEXT_SIZE; }
static void edit_tail_outside(struct hvp_replacement *r)
{
	r->function_offset = FX_TEXT_SIZE - 0x20;
}
static void edit_huge_offset(struct hvp_replacement *r)
{
	r->function_offset = 0xfffffffffffffff0ull;
}

static void preimage_mismatch(void **state)
{
	refuse_edited(*state, edit_preimage, HVP_E_PREIMAGE);
}

static void function_hash_mismatch(void **state)
{
	refuse_edited(*state, edit_hash, HVP_E_FUNCTION_HASH);
}

static void target_outside_text(void **state)
{
	refuse_edited(*state, edit_outside, HVP_E_TARGET_RANGE);
	refuse_edited(*state, edit_tail_outside, HVP_E_TARGET_RANGE);
	refuse_edited(*state, edit_huge_offset, HVP_E_TARGET_RANGE);
}

static void overlapping_replacements(void **state)
{
	struct fixture *f = *state;
	const struct fx_replacement twice[] = { fn_a, fn_a };
	struct buffer dup, first, again;
	uint32_t id;

	fx_bundle(f, twice, 2, 1, &dup);
	assert_refused(f, &dup, HVP_E_OVERLAP);
	fx_bundle(f, &fn_a, 1, 2, &first);
	fx_bundle(f, &fn_a, 1, 3, &again);
	assert_int_equal(apply(f, &first, &id), HVP_OK);
	/* The site now holds the trampoline: the pre-image no longer
	 * matches, but the overlap is what the engine must report first
	 * when hashes are recomputed; either way it is refused. */
	assert_refused(f, &again, HVP_OK);
	free(dup.data);
	free(first.data);
	free(again.data);
}

static void full_arena(void **state)
{
	struct fixture *f = *state;
	const struct fx_replacement four[] = { fn_a, fn_b, fn_c };
	struct buffer b;
	uint32_t id;

	/* 16 KiB arena, 48 bytes per patch (32 + alignment): fills up. */
	for (uint64_t seq = 1;; seq++) {
		enum hvp_status status;

		fx_bundle(f, &four[seq % 3], 1, seq, &b);
		status = apply(f, &b, &id);
		if (status != HVP_OK) {
			free(b.data);
			break;
		}
		assert_int_equal(hvp_engine_revert(f->engine, id), HVP_OK);
		free(b.data);
		assert_true(seq < 1000);
	}
	fx_bundle(f, &fn_a, 1, 5000, &b);
	assert_refused(f, &b, HVP_E_ARENA_FULL);
	free(b.data);
}

/* Header and table fields that would overflow, each re-signed. */
static void refuse_header_edit(struct fixture *f, size_t offset, uint32_t value,
			       enum hvp_status expected)
{
	struct buffer unsigned_bundle, b;

	fx_unsigned_bundle(f, &fn_a, 1, 1, &unsigned_bundle);
	memcpy(unsigned_bundle.data + offset, &value, sizeof(value));
	fx_sign(f, &unsigned_bundle, &b);
	assert_refused(f, &b, expected);
	free(unsigned_bundle.data);
	free(b.data);
}

#define HDR(field) offsetof(struct hvp_bundle_header, field)
#define REPL(field) (sizeof(struct hvp_bundle_header) + \
		     offsetof(struct hvp_replacement, field))
#define RELOC0(field) (sizeof(struct hvp_bundle_header) + \
		       sizeof(struct hvp_replacement) + \
		       offsetof(struct hvp_reloc, field))

static void overflowing_counts_and_lengths(void **state)
{
	struct fixture *f = *state;

	refuse_header_edit(f, HDR(replacement_count), 0xffffffff, HVP_E_BAD_COUNT);
	refuse_header_edit(f, HDR(replacement_count), 0, HVP_E_BAD_COUNT);
	refuse_header_edit(f, HDR(relocation_count), 0x80000000, HVP_E_BAD_COUNT);
	refuse_header_edit(f, HDR(data_size), 0xfffffff0, HVP_E_BAD_LAYOUT);
	refuse_header_edit(f, HDR(build_id_len), 33, HVP_E_BAD_COUNT);
	refuse_header_edit(f, HDR(description_offset), 0xffffffff, HVP_E_BAD_LAYOUT);
	refuse_header_edit(f, HDR(flags), 1, HVP_E_BAD_FLAGS);
	refuse_header_edit(f, REPL(name_offset), 0xfffffff0, HVP_E_BAD_LAYOUT);
	refuse_header_edit(f, REPL(code_len), 0xffffffff, HVP_E_BAD_LAYOUT);
	refuse_header_edit(f, REPL(entry_offset), FX_CODE_LEN, HVP_E_BAD_LAYOUT);
	refuse_header_edit(f, REPL(function_size), 3, HVP_E_BAD_LAYOUT);
	refuse_header_edit(f, REPL(site_offset), 0xfffffffe, HVP_E_BAD_LAYOUT);
	refuse_header_edit(f, REPL(reloc_first), 0xffffffff, HVP_E_BAD_COUNT);
	refuse_header_edit(f, REPL(reloc_count), 4, HVP_E_BAD_COUNT);
	refuse_header_edit(f, REPL(preimage_len), 16, HVP_E_BAD_LAYOUT);
	/* A relocation whose 4 bytes would end past the code. */
	refuse_header_edit(f, RELOC0(offset), FX_CODE_LEN - 3, HVP_E_BAD_RELOC);
	refuse_header_edit(f, RELOC0(type), 9, HVP_E_BAD_RELOC);
}

static void relocation_out_of_range(void **state)
{
	struct fixture *f = *state;
	struct buffer unsigned_bundle, b;
	struct hvp_reloc *pc32;

	fx_unsigned_bundle(f, &fn_a, 1, 1, &unsigned_bundle);
	pc32 = fx_reloc(&unsigned_bundle, FX_RELOC_PC32);
	/* 4 GiB away (through the symbol: the addend is bounded): no rel32
	 * reaches it. */
	pc32->target = HVP_RELOC_TARGET_ABSOLUTE;
	pc32->type = HVP_RELOC_ABS32S;
	pc32->symbol_offset = 0x100000000ll;
	fx_sign(f, &unsigned_bundle, &b);
	assert_refused(f, &b, HVP_E_BAD_RELOC);
	free(unsigned_bundle.data);
	free(b.data);
}

/* The fixture bundle for FN_A with relocation `index` rewritten, signed:
 * a correctly signed bundle, so only the engine's own checks stop it. */
static void reloc_bundle(struct fixture *f, uint64_t sequence, uint32_t index,
			 uint16_t type, uint16_t target, int64_t symbol_offset,
			 int64_t addend, struct buffer *out)
{
	struct buffer unsigned_bundle;
	struct hvp_reloc *reloc;

	fx_unsigned_bundle(f, &fn_a, 1, sequence, &unsigned_bundle);
	reloc = fx_reloc(&unsigned_bundle, index);
	reloc->type = type;
	reloc->target = target;
	reloc->symbol_offset = symbol_offset;
	reloc->addend = addend;
	fx_sign(f, &unsigned_bundle, out);
	free(unsigned_bundle.data);
}

static void refuse_reloc(struct fixture *f, uint32_t index, uint16_t type,
			 uint16_t target, int64_t symbol_offset, int64_t addend,
			 enum hvp_status expected)
{
	struct buffer b;

	reloc_bundle(f, 1, index, type, target, symbol_offset, addend, &b);
	assert_refused(f, &b, expected);
	free(b.data);
}

/* A per-CPU offset (%gs:cpu_number) is written as it is, with no slide. */
static void absolute_relocation_takes_no_slide(void **state)
{
	struct fixture *f = *state;
	struct buffer b;
	uint32_t id = 0, value;

	reloc_bundle(f, 1, FX_RELOC_ABS32S, HVP_RELOC_ABS32S,
		     HVP_RELOC_TARGET_ABSOLUTE, 0x19160, 8, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	memcpy(&value, f->m.ram + FX_ARENA_GPA + 13, sizeof(value));
	assert_int_equal(value, 0x19168);
	free(b.data);
}

/*
 * The issue-8 bug: a per-CPU offset sent as slide-relative becomes this
 * boot's text base plus 0x19160, outside the image.  Refused with its own
 * code, and nothing changes.  Both ends of the image are accepted.
 */
static void kernel_relocation_outside_image(void **state)
{
	struct fixture *f = *state;
	const int64_t image_start = (int64_t)(FX_IMAGE_GVA - FX_TEXT_GVA);
	const int64_t image_end = image_start + (int64_t)FX_IMAGE_SIZE;
	struct buffer b;
	uint32_t id = 0;

	refuse_reloc(f, FX_RELOC_ABS32S, HVP_RELOC_ABS32S,
		     HVP_RELOC_TARGET_KERNEL, 0x19160 - (int64_t)FX_TEXT_GVA,
		     0, HVP_E_RELOC_OUTSIDE_IMAGE);
	assert_non_null(strstr(f->log, "outside the kernel image"));
	refuse_reloc(f, FX_RELOC_PC32, HVP_RELOC_PC32, HVP_RELOC_TARGET_KERNEL,
		     image_start - 1, -4, HVP_E_RELOC_OUTSIDE_IMAGE);
	refuse_reloc(f, FX_RELOC_PC32, HVP_RELOC_PC32, HVP_RELOC_TARGET_KERNEL,
		     image_end + 1, -4, HVP_E_RELOC_OUTSIDE_IMAGE);
	refuse_reloc(f, FX_RELOC_ABS32S, HVP_RELOC_ABS32S,
		     HVP_RELOC_TARGET_KERNEL, INT64_MIN, 0,
		     HVP_E_RELOC_OUTSIDE_IMAGE);
	assert_int_equal(f->engine->counters.refusals[HVP_E_RELOC_OUTSIDE_IMAGE],
			 4);

	reloc_bundle(f, 1, FX_RELOC_PC32, HVP_RELOC_PC32, HVP_RELOC_TARGET_KERNEL,
		     image_end, -4, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	assert_int_equal(hvp_engine_revert(f->engine, id), HVP_OK);
	free(b.data);
	reloc_bundle(f, 2, FX_RELOC_ABS32S, HVP_RELOC_ABS32S,
		     HVP_RELOC_TARGET_KERNEL, image_start, 0, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	free(b.data);
}

/* %gs:cpu_number(%rip): PC-relative to a per-CPU offset, S + A - P. */
static void pc_relative_absolute_relocation(void **state)
{
	struct fixture *f = *state;
	struct buffer b;
	uint32_t id = 0, value;

	reloc_bundle(f, 1, FX_RELOC_PC32, HVP_RELOC_PC32,
		     HVP_RELOC_TARGET_ABSOLUTE, 0x19160, -4, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	memcpy(&value, f->m.ram + FX_ARENA_GPA + 18, sizeof(value));
	assert_int_equal(value, (uint32_t)(0x19160 - 4 - (FX_ARENA_GVA + 18)));
	free(b.data);
}

/* What no kind can mean: an addend past 64 KiB, an unknown target. */
static void relocation_kinds_checked(void **state)
{
	struct fixture *f = *state;

	refuse_reloc(f, FX_RELOC_PC32, HVP_RELOC_PC32, HVP_RELOC_TARGET_KERNEL,
		     FX_SYM_DATA, HVP_MAX_RELOC_ADDEND + 1, HVP_E_BAD_RELOC);
	refuse_reloc(f, FX_RELOC_ABS32S, HVP_RELOC_ABS32S,
		     HVP_RELOC_TARGET_KERNEL, FX_SYM_DATA,
		     -HVP_MAX_RELOC_ADDEND - 1, HVP_E_BAD_RELOC);
	refuse_reloc(f, FX_RELOC_ABS32S, HVP_RELOC_ABS32S, 4, 0, 0,
		     HVP_E_BAD_RELOC);
}

/*
 * FN_A as one boot runs it: an absolute address KASLR moved (text base +
 * FX_SYM_DATA at +0x10), a static-key site switched on (JMP at +0x20; the
 * build has the NOP) and a LOCK prefix an uniprocessor boot turned into DS
 * (+0x30).  The fields name them; the hash covers the rest.
 */
#define FIELD_SLIDE 0x10u
#define FIELD_KEY 0x20u
#define FIELD_LOCK 0x30u
#define FIELD_PERCPU 0x38u /* %gs:sym(%rip): moves against the text */
/* Its disp32 as linked, with the text at FX_TEXT_GVA - 0x1000000: this
 * boot's slide is 0x1000000. */
#define PERCPU_LINKED 0x7f019160ull
static const uint8_t key_encodings[] = {
	0x0f, 0x1f, 0x44, 0x00, 0x00, /* NOP5, as built */
	0xe9, 0x10, 0x00, 0x00, 0x00, /* JMP to +0x35 */
	0xf0, 0x3e,                   /* LOCK as built, DS on one CPU */
};
static struct hvp_field run_time_fields[] = {
	{ .offset = FIELD_SLIDE, .kind = HVP_FIELD_SLIDE, .length = 4,
	  .value = FX_SYM_DATA },
	{ .offset = FIELD_KEY, .kind = HVP_FIELD_ONE_OF, .length = 5,
	  .encoding_count = 2, .encodings_offset = 0 },
	{ .offset = FIELD_LOCK, .kind = HVP_FIELD_ONE_OF, .length = 1,
	  .encoding_count = 2, .encodings_offset = 10 },
	{ .offset = FIELD_PERCPU, .kind = HVP_FIELD_SLIDE_NEG, .length = 4,
	  .value = (int64_t)(PERCPU_LINKED + FX_TEXT_GVA - 0x1000000) },
};

static void write_text(struct fixture *f, uint32_t offset, const void *bytes,
		       size_t len)
{
	for (size_t i = 0; i < len; i++)
		*fx_text(f, offset + (uint32_t)i) = ((const uint8_t *)bytes)[i];
}

static void run_time_state(struct fixture *f)
{
	uint32_t moved = (uint32_t)(FX_TEXT_GVA + FX_SYM_DATA);
	uint32_t against = (uint32_t)(PERCPU_LINKED - 0x1000000);

	write_text(f, FX_FN_A + FIELD_SLIDE, &moved, 4);
	write_text(f, FX_FN_A + FIELD_KEY, key_encodings + 5, 5);
	write_text(f, FX_FN_A + FIELD_LOCK, key_encodings + 11, 1);
	write_text(f, FX_FN_A + FIELD_PERCPU, &against, 4);
}

/* A signed bundle for FN_A with the given fields (edited by the caller). */
static void fields_bundle(struct fixture *f, uint64_t sequence,
			  const struct hvp_field *fields, uint32_t count,
			  struct buffer *out)
{
	const struct bundle_fields set = {
		.fields = fields, .count = count,
		.encodings = key_encodings, .encodings_len = sizeof(key_encodings),
	};
	struct buffer unsigned_bundle;

	fx_unsigned_bundle_fields(f, &fn_a, 1, sequence, &set, &unsigned_bundle);
	fx_sign(f, &unsigned_bundle, out);
	free(unsigned_bundle.data);
}

static void run_time_fields_are_checked_not_skipped(void **state)
{
	struct fixture *f = *state;
	struct hvp_field edited[4];
	uint8_t third = 0xeb;
	struct buffer b;
	uint32_t id = 0;

	run_time_state(f);
	/* The function as this boot runs it: accepted, then reverted. */
	fields_bundle(f, 1, run_time_fields, 4, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	assert_int_equal(hvp_engine_revert(f->engine, id), HVP_OK);
	free(b.data);

	/* The address for another slide (or another symbol). */
	memcpy(edited, run_time_fields, sizeof(edited));
	edited[0].value = FX_SYM_DATA + 0x200000;
	fields_bundle(f, 2, edited, 4, &b);
	assert_refused(f, &b, HVP_E_FUNCTION_HASH);
	assert_non_null(strstr(f->log, "field 0 (+0x10, 4 bytes)"));
	free(b.data);

	/* The per-CPU reference as if it moved with the text. */
	memcpy(edited, run_time_fields, sizeof(edited));
	edited[3].kind = HVP_FIELD_SLIDE;
	fields_bundle(f, 6, edited, 4, &b);
	assert_refused(f, &b, HVP_E_FUNCTION_HASH);
	free(b.data);

	/* The static-key site in a state it never has. */
	fields_bundle(f, 3, run_time_fields, 4, &b);
	write_text(f, FX_FN_A + FIELD_KEY, &third, 1);
	assert_refused(f, &b, HVP_E_FUNCTION_HASH);
	free(b.data);
	run_time_state(f);

	/* A byte no field names differs from the build. */
	fields_bundle(f, 4, run_time_fields, 4, &b);
	write_text(f, FX_FN_A + FIELD_LOCK + 1, &third, 1);
	assert_refused(f, &b, HVP_E_FUNCTION_HASH);
	free(b.data);
	run_time_state(f);

	/* Restored, the function matches again. */
	fields_bundle(f, 5, run_time_fields, 4, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	free(b.data);
}

/* Field tables the parser refuses, each correctly signed. */
static void refuse_fields(struct fixture *f, void (*edit)(struct hvp_field *),
			  enum hvp_status expected)
{
	struct hvp_field edited[4];
	struct buffer b;

	memcpy(edited, run_time_fields, sizeof(edited));
	edit(edited);
	fields_bundle(f, 1, edited, 4, &b);
	assert_refused(f, &b, expected);
	free(b.data);
}

static void overlap(struct hvp_field *x) { x[1].offset = FIELD_SLIDE + 3; }
static void unordered(struct hvp_field *x) { x[2].offset = 0x08; }
static void past_function(struct hvp_field *x) { x[2].offset = FX_FN_SIZE; }
static void slide_width(struct hvp_field *x) { x[0].length = 2; }
static void encodings_outside(struct hvp_field *x) { x[1].encodings_offset = 0x10000; }
static void too_many_encodings(struct hvp_field *x) { x[1].encoding_count = 17; }
static void no_encodings(struct hvp_field *x) { x[1].encoding_count = 0; }
static void long_one_of(struct hvp_field *x) { x[1].length = 17; }
static void unknown_kind(struct hvp_field *x) { x[1].kind = 4; }
static void wide_slide_neg(struct hvp_field *x) { x[3].length = 8; }
static void reserved_set(struct hvp_field *x) { x[2].reserved2 = 1; }

static void malformed_fields(void **state)
{
	struct fixture *f = *state;
	struct buffer unsigned_bundle, b;
	struct hvp_replacement *r;

	run_time_state(f);
	refuse_fields(f, overlap, HVP_E_BAD_LAYOUT);
	refuse_fields(f, unordered, HVP_E_BAD_LAYOUT);
	refuse_fields(f, past_function, HVP_E_BAD_LAYOUT);
	refuse_fields(f, slide_width, HVP_E_BAD_LAYOUT);
	refuse_fields(f, encodings_outside, HVP_E_BAD_LAYOUT);
	refuse_fields(f, too_many_encodings, HVP_E_BAD_LAYOUT);
	refuse_fields(f, no_encodings, HVP_E_BAD_LAYOUT);
	refuse_fields(f, long_one_of, HVP_E_BAD_LAYOUT);
	refuse_fields(f, unknown_kind, HVP_E_BAD_LAYOUT);
	refuse_fields(f, wide_slide_neg, HVP_E_BAD_LAYOUT);
	refuse_fields(f, reserved_set, HVP_E_BAD_FLAGS);

	/* The table itself out of place: misaligned, past the data, too long. */
	fx_unsigned_bundle(f, &fn_a, 1, 1, &unsigned_bundle);
	r = (struct hvp_replacement *)(unsigned_bundle.data +
				       sizeof(struct hvp_bundle_header));
	r->field_offset = 4;
	r->field_count = 1;
	fx_sign(f, &unsigned_bundle, &b);
	assert_refused(f, &b, HVP_E_BAD_LAYOUT);
	free(b.data);
	r->field_offset = 0x10000;
	fx_sign(f, &unsigned_bundle, &b);
	assert_refused(f, &b, HVP_E_BAD_LAYOUT);
	free(b.data);
	r->field_offset = 0;
	r->field_count = HVP_MAX_FIELDS + 1;
	fx_sign(f, &unsigned_bundle, &b);
	assert_refused(f, &b, HVP_E_BAD_COUNT);
	free(b.data);
	free(unsigned_bundle.data);
}

static void image_registration_rules(void **state)
{
	struct fixture *f = *state;
	struct hvp_engine *e = f->engine;

	assert_int_equal(hvp_engine_register(e, HVP_REGION_TEXT, FX_TEXT_GVA,
					     FX_TEXT_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_RODATA, FX_RODATA_GVA,
					     FX_RODATA_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_ARENA, FX_ARENA_GVA,
					     FX_ARENA_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_RODATA_GVA + 0x40),
			 HVP_E_NOT_REGISTERED);
	assert_int_equal(hvp_engine_register_image(e, FX_IMAGE_GVA + 1,
						   FX_IMAGE_SIZE), HVP_E_INVALID);
	assert_int_equal(hvp_engine_register_image(e, FX_IMAGE_GVA, 0),
			 HVP_E_INVALID);
	assert_int_equal(hvp_engine_register_image(e, FX_IMAGE_GVA,
						   (1ull << 30) + 4096),
			 HVP_E_INVALID);
	assert_int_equal(hvp_engine_register_image(e, 0xfffffffffffff000ull,
						   0x2000), HVP_E_INVALID);
	/* An image that ends before the rodata does. */
	assert_int_equal(hvp_engine_register_image(e, FX_IMAGE_GVA,
						   FX_RODATA_GVA + 0x1000 -
							   FX_IMAGE_GVA),
			 HVP_OK);
	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_RODATA_GVA + 0x40),
			 HVP_E_INVALID);
	/* One that starts after the text does. */
	assert_int_equal(hvp_engine_register_image(e, FX_TEXT_GVA + 0x1000,
						   FX_IMAGE_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_RODATA_GVA + 0x40),
			 HVP_E_INVALID);
	assert_false(e->locked);
	assert_int_equal(hvp_engine_register_image(e, FX_IMAGE_GVA,
						   FX_IMAGE_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_RODATA_GVA + 0x40), HVP_OK);
	assert_int_equal(hvp_engine_register_image(e, FX_IMAGE_GVA,
						   2 * FX_IMAGE_SIZE),
			 HVP_E_LOCKED);
	assert_int_equal(e->image_size, FX_IMAGE_SIZE);
}

static void bad_page_lists(void **state)
{
	struct fixture *f = *state;
	struct hvp_page_list *list = (void *)(f->m.ram + FX_DESC_GPA);
	struct buffer b;
	uint32_t id;

	fx_bundle(f, &fn_a, 1, 1, &b);
	fx_place(f, b.data, b.len);
	list->pages[0] = SIM_HV_BASE; /* hypervisor memory */
	assert_int_equal(hvp_engine_apply(f->engine, FX_DESC_GPA, &id),
			 HVP_E_BAD_POINTER);
	list->pages[0] = FX_RAM_SIZE + 0x10000000; /* MMIO, not RAM */
	assert_int_equal(hvp_engine_apply(f->engine, FX_DESC_GPA, &id),
			 HVP_E_BAD_POINTER);
	list->pages[0] = FX_BUNDLE_GPA + 8; /* not page aligned */
	assert_int_equal(hvp_engine_apply(f->engine, FX_DESC_GPA, &id),
			 HVP_E_INVALID);
	fx_place(f, b.data, b.len);
	list->page_count = 2;
	assert_int_equal(hvp_engine_apply(f->engine, FX_DESC_GPA, &id),
			 HVP_E_INVALID);
	list->length = HVP_MAX_BUNDLE_SIZE + 1;
	assert_int_equal(hvp_engine_apply(f->engine, FX_DESC_GPA, &id),
			 HVP_E_TOO_LARGE);
	list->length = 0;
	assert_int_equal(hvp_engine_apply(f->engine, FX_DESC_GPA, &id),
			 HVP_E_INVALID);
	assert_int_equal(hvp_engine_apply(f->engine, SIM_HV_BASE, &id),
			 HVP_E_BAD_POINTER);
	assert_int_equal(hvp_engine_apply(f->engine, FX_DESC_GPA + 4092, &id),
			 HVP_E_INVALID);
	assert_int_equal(f->engine->counters.refusals[HVP_E_BAD_POINTER], 3);
	assert_non_null(strstr(f->log, "HVP_E_BAD_POINTER"));
	free(b.data);
}

static void copies_each_byte_once(void **state)
{
	struct fixture *f = *state;
	struct buffer b;
	uint64_t desc;
	uint32_t id;

	fx_bundle(f, &fn_a, 1, 1, &b);
	desc = fx_place(f, b.data, b.len);
	sim_reset_read_counts(&f->m);
	assert_int_equal(hvp_engine_apply(f->engine, desc, &id), HVP_OK);
	for (size_t i = 0; i < b.len; i++)
		assert_int_equal(f->m.read_counts[FX_BUNDLE_GPA + 2 * 4096 + i], 1);
	for (size_t i = 0; i < 16; i++)
		assert_int_equal(f->m.read_counts[desc + i], 1);
	free(b.data);
}

static void vcpu_inside_site_is_busy(void **state)
{
	struct fixture *f = *state;
	struct buffer b;
	uint32_t id;

	fx_bundle(f, &fn_a, 1, 1, &b);
	f->rips[0] = FX_TEXT_GVA + 0x9000;
	f->rips[1] = FX_TEXT_GVA + FX_FN_A + 2;
	f->rip_count = 2;
	assert_refused(f, &b, HVP_E_BUSY);
	assert_int_equal(f->pauses, HVP_RENDEZVOUS_RETRIES);
	f->rips[1] = FX_TEXT_GVA + FX_FN_A + 5; /* just past: safe */
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	f->rips[1] = FX_TEXT_GVA + FX_FN_A;
	assert_int_equal(hvp_engine_revert(f->engine, id), HVP_E_BUSY);
	assert_trampoline(f, FX_FN_A, FX_ARENA_GVA);
	assert_int_equal(f->pauses, f->resumes);
	free(b.data);
}

static void failed_write_undoes_everything(void **state)
{
	struct fixture *f = *state;
	const struct fx_replacement both[] = { fn_a, fn_b };
	struct sim_snapshot before;
	struct buffer b;
	uint32_t id;
	uint64_t desc;

	fx_bundle(f, both, 2, 1, &b);
	desc = fx_place(f, b.data, b.len);
	for (int fail_at = 0; fail_at < 3; fail_at++) {
		sim_snapshot(&f->m, &before);
		f->m.writes_until_failure = fail_at;
		assert_int_equal(hvp_engine_apply(f->engine, desc, &id),
				 HVP_E_INTERNAL);
		f->m.writes_until_failure = -1;
		assert_true(sim_unchanged(&f->m, &before));
		sim_snapshot_free(&before);
	}
	assert_int_equal(hvp_engine_apply(f->engine, desc, &id), HVP_OK);
	free(b.data);
}

static void apply_before_lock(void **state)
{
	struct fixture *f = *state;
	struct buffer b;

	fx_bundle(f, &fn_a, 1, 1, &b);
	assert_refused(f, &b, HVP_E_NOT_LOCKED);
	free(b.data);
}

static void registration_rules(void **state)
{
	struct fixture *f = *state;
	struct hvp_engine *e = f->engine;

	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_RODATA_GVA + 0x40),
			 HVP_E_NOT_REGISTERED);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_TEXT, FX_TEXT_GVA + 1,
					     0x1000), HVP_E_INVALID);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_TEXT, FX_TEXT_GVA, 0),
			 HVP_E_INVALID);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_TEXT, FX_TEXT_GVA,
					     FX_TEXT_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_register_image(e, FX_IMAGE_GVA,
						   FX_IMAGE_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_ARENA,
					     FX_TEXT_GVA + 0x1000, 0x1000),
			 HVP_E_INVALID); /* overlaps the text */
	/* An arena page the guest has not mapped: the lock fails whole. */
	assert_int_equal(hvp_engine_register(e, HVP_REGION_ARENA, FX_ARENA_GVA,
					     FX_ARENA_SIZE + 0x1000), HVP_OK);
	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_RODATA_GVA + 0x40),
			 HVP_E_NOT_MAPPED);
	assert_false(e->locked);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_ARENA, FX_ARENA_GVA,
					     FX_ARENA_SIZE), HVP_OK);
	/* The note must be in the protected text or rodata. */
	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_ARENA_GVA), HVP_E_TARGET_RANGE);
	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_TEXT_GVA), HVP_E_INVALID);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_RODATA, FX_RODATA_GVA,
					     FX_RODATA_SIZE), HVP_OK);
	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_RODATA_GVA + 0x40), HVP_OK);
	assert_int_equal(hvp_engine_lock(e, f->cr3, FX_RODATA_GVA + 0x40),
			 HVP_E_LOCKED);
	assert_int_equal(hvp_engine_register(e, HVP_REGION_TEXT, FX_TEXT_GVA,
					     2 * FX_TEXT_SIZE), HVP_E_LOCKED);
	assert_int_equal(e->regions[HVP_REGION_TEXT].size, FX_TEXT_SIZE);
	assert_int_equal(e->counters.refusals[HVP_E_LOCKED], 2);
}

static void guest_page_table_edits_after_lock_are_ignored(void **state)
{
	struct fixture *f = *state;
	uint8_t untouched = *(f->m.ram + 0x500000 + FX_FN_A);
	struct buffer b;
	uint32_t id;

	/* The guest remaps the text page to a page it controls. */
	*sim_pte(&f->m, f->cr3, FX_TEXT_GVA, 0) = 0x500000 | 1;
	fx_bundle(f, &fn_a, 1, 1, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	assert_trampoline(f, FX_FN_A, FX_ARENA_GVA);
	assert_int_equal(*(f->m.ram + 0x500000 + FX_FN_A), untouched);
	free(b.data);
}

static void audit_records_events(void **state)
{
	struct fixture *f = *state;
	struct hvp_audit_event ev[8];
	struct buffer b;
	uint32_t id, n;

	fx_bundle(f, &fn_a, 1, 7, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	assert_refused(f, &b, HVP_E_REPLAY);
	assert_int_equal(hvp_engine_revert(f->engine, id), HVP_OK);
	n = hvp_audit_read(&f->engine->audit, 1, ev, 8);
	/* 3 registrations, lock, apply, refusal, revert. */
	assert_int_equal(n, 7);
	assert_int_equal(ev[3].type, HVP_AUDIT_LOCK);
	assert_int_equal(ev[4].type, HVP_AUDIT_APPLY);
	assert_int_equal(ev[4].sequence, 7);
	assert_int_equal(ev[5].type, HVP_AUDIT_REFUSAL);
	assert_int_equal(ev[5].status, HVP_E_REPLAY);
	assert_int_equal(ev[6].type, HVP_AUDIT_REVERT);
	assert_int_equal(ev[6].serial, 7);
	assert_int_equal(hvp_audit_read(&f->engine->audit, 6, ev, 8), 2);
	free(b.data);
}

/* Every event from serial 1, a page of 102 at a time, as hvpatchctl reads. */
static uint32_t read_whole_audit(const struct hvp_audit *a,
				 struct hvp_audit_event *out, uint32_t max)
{
	uint64_t from = 1;
	uint32_t n = 0, got;

	while (n < max && (got = hvp_audit_read(a, from, out + n,
						n + 102 <= max ? 102 : max - n))) {
		n += got;
		from = out[n - 1].serial + 1;
	}
	return n;
}

static void audit_rings_keep_guarded_events_apart(void **state)
{
	static struct hvp_audit a;
	static struct hvp_audit_event ev[400];
	uint32_t n, guarded = 0;

	(void)state;
	for (uint64_t i = 1; i <= 300; i++) {
		struct hvp_audit_event e = { .sequence = i };

		hvp_audit_record(&a, i % 50 ? HVP_AUDIT_FLOODABLE : HVP_AUDIT_GUARDED, &e);
	}
	assert_int_equal(hvp_audit_overwritten(&a, HVP_AUDIT_GUARDED), 0);
	assert_int_equal(hvp_audit_overwritten(&a, HVP_AUDIT_FLOODABLE),
			 294 - HVP_AUDIT_FLOODABLE_ENTRIES);
	n = read_whole_audit(&a, ev, 400);
	assert_int_equal(n, 6 + HVP_AUDIT_FLOODABLE_ENTRIES);
	for (uint32_t i = 0; i < n; i++) {
		/* One numbering: the serial is the order of recording. */
		assert_int_equal(ev[i].serial, ev[i].sequence);
		if (i)
			assert_true(ev[i].serial > ev[i - 1].serial);
		guarded += ev[i].sequence % 50 == 0;
	}
	assert_int_equal(guarded, 6);
	assert_int_equal(ev[0].serial, 50);
	assert_int_equal(ev[n - 1].serial, 300);
	/* A read from the middle starts at the first serial held after it. */
	assert_int_equal(hvp_audit_read(&a, 251, ev, 1), 1);
	assert_int_equal(ev[0].serial, 300 - HVP_AUDIT_FLOODABLE_ENTRIES);

	/* Guarded events push out only their own kind, oldest first. */
	for (uint64_t i = 301; i <= 600; i++) {
		struct hvp_audit_event e = { .sequence = i };

		hvp_audit_record(&a, HVP_AUDIT_GUARDED, &e);
	}
	assert_int_equal(hvp_audit_overwritten(&a, HVP_AUDIT_GUARDED), 306 - HVP_AUDIT_ENTRIES);
	n = read_whole_audit(&a, ev, 400);
	assert_int_equal(n, HVP_AUDIT_ENTRIES + HVP_AUDIT_FLOODABLE_ENTRIES);
	assert_int_equal(ev[0].serial, 300 - HVP_AUDIT_FLOODABLE_ENTRIES);
	assert_int_equal(ev[n - 1].serial, 600);
}

static unsigned int count_lines_with(const char *log, const char *needle)
{
	unsigned int n = 0;

	for (const char *p = log; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The attack: a blocked write, then 10,000 VMCALLs from ring 3
 * (and unknown calls from ring 0) to push it out of the logs. */
static void flood_of_call_refusals_keeps_security_events(void **state)
{
	struct fixture *f = *state;
	static struct hvp_audit_event ev[400];
	bool blocked = false, applied = false, replay = false;
	struct buffer b;
	uint32_t id, n, floodable = 0;

	fx_bundle(f, &fn_a, 1, 7, &b);
	assert_int_equal(apply(f, &b, &id), HVP_OK);
	assert_refused(f, &b, HVP_E_REPLAY);
	hvp_engine_blocked_write(f->engine, FX_TEXT_GPA + 0x10, HVP_REGION_TEXT);
	f->log_len = 0;
	f->log[0] = '\0';
	for (int i = 0; i < 10000; i++)
		assert_int_equal(hvp_engine_refuse_call(f->engine, HVP_E_CPL, "apply"),
				 HVP_E_CPL);
	for (int i = 0; i < 300; i++)
		hvp_engine_refuse_call(f->engine, HVP_E_UNKNOWN_CALL, "unknown call");

	/* Counted in full; logged at 1..8 and each power of two. */
	assert_int_equal(f->engine->counters.refusals[HVP_E_CPL], 10000);
	assert_int_equal(f->engine->counters.unrecorded[HVP_E_CPL], 10000 - 18);
	assert_int_equal(f->engine->counters.unrecorded[HVP_E_UNKNOWN_CALL], 300 - 13);
	assert_int_equal(count_lines_with(f->log, "HVP_E_CPL"), 18);
	assert_int_equal(count_lines_with(f->log, "HVP_E_UNKNOWN_CALL"), 13);
	assert_non_null(strstr(f->log, "refused apply: HVP_E_CPL: hypercall from CPL > 0 "
				       "(8192 so far, 8174 not logged)\n"));
	/* 31 lines in all: far below the 64 KiB log ring. */
	assert_true(f->log_len < 4096);

	assert_int_equal(hvp_audit_overwritten(&f->engine->audit, HVP_AUDIT_GUARDED), 0);
	n = read_whole_audit(&f->engine->audit, ev, 400);
	for (uint32_t i = 0; i < n; i++) {
		blocked |= ev[i].type == HVP_AUDIT_BLOCKED_WRITE &&
			   ev[i].sequence == FX_TEXT_GPA + 0x10;
		applied |= ev[i].type == HVP_AUDIT_APPLY && ev[i].patch_id == id;
		replay |= ev[i].type == HVP_AUDIT_REFUSAL && ev[i].status == HVP_E_REPLAY;
		if (ev[i].status == HVP_E_CPL || ev[i].status == HVP_E_UNKNOWN_CALL)
			floodable++;
	}
	assert_true(blocked && applied && replay);
	/* 3 registrations, lock, apply, replay, blocked write: all there. */
	assert_int_equal(n - floodable, 7);
	assert_int_equal(floodable, 18 + 13);
	/* The newest ring-3 event carries its running count. */
	for (uint32_t i = n; i-- > 0;) {
		if (ev[i].status == HVP_E_CPL) {
			assert_int_equal(ev[i].sequence, 8192);
			break;
		}
	}
	free(b.data);
}

/* The schedule counts a call's own refusals only: refused bundles with
 * the same status use none of its burst. */
static void call_refusals_are_counted_apart(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 10; i++)
		hvp_engine_refuse(f->engine, HVP_E_BAD_POINTER, "apply");
	f->log_len = 0;
	hvp_engine_refuse_call(f->engine, HVP_E_BAD_POINTER, "status");
	assert_non_null(strstr(f->log, "refused status: HVP_E_BAD_POINTER: buffer page outside "
				       "guest RAM (1 so far, 0 not logged)\n"));
	assert_int_equal(f->engine->counters.refusals[HVP_E_BAD_POINTER], 11);
	assert_int_equal(f->engine->counters.unrecorded[HVP_E_BAD_POINTER], 0);
}

/* What the debug-register pinning asks: is an address in protected
 * memory, by the registered ranges, and only once locked. */
static void protected_addresses(void **state)
{
	struct fixture *f = *state;
	struct hvp_audit_event ev[16];
	uint32_t n;

	assert_true(hvp_engine_protects_gva(f->engine, FX_TEXT_GVA));
	assert_true(hvp_engine_protects_gva(f->engine, FX_TEXT_GVA + FX_FN_A));
	assert_true(hvp_engine_protects_gva(f->engine, FX_TEXT_GVA + FX_TEXT_SIZE - 1));
	assert_false(hvp_engine_protects_gva(f->engine, FX_TEXT_GVA + FX_TEXT_SIZE));
	assert_false(hvp_engine_protects_gva(f->engine, FX_TEXT_GVA - 1));
	assert_true(hvp_engine_protects_gva(f->engine, FX_RODATA_GVA + 8));
	assert_true(hvp_engine_protects_gva(f->engine, FX_ARENA_GVA + FX_ARENA_SIZE - 1));
	assert_false(hvp_engine_protects_gva(f->engine, FX_ARENA_GVA + FX_ARENA_SIZE));
	assert_false(hvp_engine_protects_gva(f->engine, 0x400000));

	hvp_engine_blocked_control(f->engine, HVP_PINNED_BREAKPOINT, FX_TEXT_GVA + FX_FN_A);
	assert_int_equal(f->engine->counters.blocked_control_writes, 1);
	n = hvp_audit_read(&f->engine->audit, 1, ev, 16);
	assert_int_equal(ev[n - 1].type, HVP_AUDIT_BLOCKED_CONTROL);
	assert_int_equal(ev[n - 1].detail, HVP_PINNED_BREAKPOINT);
	assert_int_equal(ev[n - 1].sequence, FX_TEXT_GVA + FX_FN_A);
}

static void nothing_protected_before_lock(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(hvp_engine_register(f->engine, HVP_REGION_TEXT, FX_TEXT_GVA,
					     FX_TEXT_SIZE), HVP_OK);
	assert_false(hvp_engine_protects_gva(f->engine, FX_TEXT_GVA));
}

#define LOCKED(test) cmocka_unit_test_setup_teardown(test, setup_locked, teardown)
#define UNLOCKED(test) cmocka_unit_test_setup_teardown(test, setup_unlocked, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		LOCKED(lock_sets_ept_rights),
		LOCKED(good_bundle_applies_and_reverts),
		LOCKED(endbr64_site_is_after_the_landing_pad),
		LOCKED(stacked_patches_revert_independently),
		LOCKED(two_replacements_in_one_bundle),
		LOCKED(truncated_at_every_offset),
		LOCKED(every_signed_byte_flipped),
		LOCKED(unknown_key),
		LOCKED(wrong_build_id),
		LOCKED(replayed_and_older_sequences),
		LOCKED(preimage_mismatch),
		LOCKED(function_hash_mismatch),
		LOCKED(target_outside_text),
		LOCKED(overlapping_replacements),
		LOCKED(full_arena),
		LOCKED(overflowing_counts_and_lengths),
		LOCKED(relocation_out_of_range),
		LOCKED(absolute_relocation_takes_no_slide),
		LOCKED(kernel_relocation_outside_image),
		LOCKED(relocation_kinds_checked),
		LOCKED(pc_relative_absolute_relocation),
		UNLOCKED(image_registration_rules),
		LOCKED(run_time_fields_are_checked_not_skipped),
		LOCKED(malformed_fields),
		LOCKED(bad_page_lists),
		LOCKED(copies_each_byte_once),
		LOCKED(vcpu_inside_site_is_busy),
		LOCKED(failed_write_undoes_everything),
		UNLOCKED(apply_before_lock),
		UNLOCKED(registration_rules),
		LOCKED(guest_page_table_edits_after_lock_are_ignored),
		LOCKED(audit_records_events),
		cmocka_unit_test(audit_rings_keep_guarded_events_apart),
		LOCKED(flood_of_call_refusals_keeps_security_events),
		LOCKED(call_refusals_are_counted_apart),
		LOCKED(protected_addresses),
		UNLOCKED(nothing_protected_before_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
