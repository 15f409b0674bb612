// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the bundle path, in two builds from this file:
 *
 *  fuzz_bundle          the raw input is a bundle.  It goes through the
 *                       parser directly, and through the whole apply path
 *                       of a locked simulated guest (page list, copy-in,
 *                       parse, verify).
 *  fuzz_bundle_signed   (FUZZ_RESIGN) the input's header is made current
 *                       (next sequence, the guest's build-id) and the
 *                       input is signed with the enrolled key, so that
 *                       mutations reach planning, relocation and commit.
 *
 * After every refusal the protected memory (text, rodata, arena) must be
 * byte-identical; after every success, revert must restore text and rodata
 * exactly.  (Reverted code stays in the arena by design: a guest thread may
 * still be running in it.)  Either failure aborts, which libFuzzer reports
 * as a crash.
 */
#include <stdlib.h>
#include <string.h>

#include "bundle_writer.h"
#include "engine_fixture.h"
#include "patch/bundle.h"

static struct fixture fx;
static uint8_t *snapshot;
static uint64_t next_sequence = 1;

/* Protected ranges, as guest-physical in the fixture's RAM. */
static const struct { uint64_t gpa, len; } protected_ranges[] = {
	{ FX_TEXT_GPA, FX_TEXT_SIZE },
	{ FX_RODATA_GPA, FX_RODATA_SIZE },
	{ FX_ARENA_GPA, FX_ARENA_SIZE },
};

static void take_snapshot(uint8_t *to)
{
	for (size_t i = 0; i < sizeof(protected_ranges) / sizeof(protected_ranges[0]); i++) {
		memcpy(to, fx.m.ram + protected_ranges[i].gpa, protected_ranges[i].len);
		to += protected_ranges[i].len;
	}
}

static size_t snapshot_size(void)
{
	return FX_TEXT_SIZE + FX_RODATA_SIZE + FX_ARENA_SIZE;
}

/* Compares the first `len` snapshot bytes (text first, arena last). */
static void check_unchanged(const char *what, size_t len)
{
	uint8_t *now = malloc(snapshot_size());

	take_snapshot(now);
	if (memcmp(now, snapshot, len) != 0) {
		fprintf(stderr, "fuzz: protected memory changed after %s\n", what);
		abort();
	}
	memcpy(snapshot, now, snapshot_size());
	free(now);
}

/* A fresh locked guest; also when the arena is half full, so that
 * commits stay reachable. */
static void new_guest(void)
{
	if (snapshot)
		fx_destroy(&fx);
	fx_init(&fx, true);
	free(snapshot);
	snapshot = malloc(snapshot_size());
	take_snapshot(snapshot);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	new_guest();
	return 0;
}

/* The parser on its own, and every accessor on what it accepts. */
static void fuzz_parser(const uint8_t *data, size_t size)
{
	/* The engine parses an 8-aligned private copy; so does this. */
	uint8_t *copy = aligned_alloc(8, (size + 7) & ~(size_t)7);
	struct hvp_bundle_view view;

	memcpy(copy, data, size);
	if (hvp_bundle_parse(copy, size, &view) == HVP_OK) {
		for (uint32_t i = 0; i < view.header->replacement_count; i++) {
			const struct hvp_replacement *r = &view.replacements[i];
			const struct hvp_reloc *relocs = hvp_replacement_relocs(&view, r);
			const uint8_t *code = hvp_replacement_code(&view, r);
			const char *name = hvp_replacement_name(&view, r);
			volatile uint8_t sink = 0;

			/* Touch every byte the accessors vouch for. */
			for (uint32_t j = 0; j < r->code_len; j++)
				sink ^= code[j];
			for (uint32_t j = 0; j < r->name_len; j++)
				sink ^= (uint8_t)name[j];
			for (uint32_t j = 0; j < r->reloc_count; j++)
				sink ^= (uint8_t)hvp_reloc_width(relocs[j].type);
			(void)sink;
		}
	}
	free(copy);
}

#ifdef FUZZ_RESIGN
/* Makes the input current for the fixture and signs it; false if the
 * input is too short to have a header. */
static bool prepare(const uint8_t *data, size_t size, struct buffer *out)
{
	struct buffer in = { malloc(size), size };
	struct hvp_bundle_header *h = (void *)in.data;
	bool ok;

	if (size < sizeof(*h)) {
		free(in.data);
		return false;
	}
	memcpy(in.data, data, size);
	h->sequence = next_sequence;
	memcpy(h->build_id, fx.build_id, sizeof(fx.build_id));
	memset(h->build_id + sizeof(fx.build_id), 0,
	       sizeof(h->build_id) - sizeof(fx.build_id));
	h->build_id_len = sizeof(fx.build_id);
	ok = bundle_sign(&fx.signer, &in, out);
	free(in.data);
	return ok;
}
#else
static bool prepare(const uint8_t *data, size_t size, struct buffer *out)
{
	*out = (struct buffer){ malloc(size ? size : 1), size };
	memcpy(out->data, data, size);
	return true;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buffer bundle;
	enum hvp_status status;
	uint32_t patch_id;

	if (size > HVP_MAX_BUNDLE_SIZE)
		return -1;
	fuzz_parser(data, size);
	if (!prepare(data, size, &bundle))
		return 0;
	status = hvp_engine_apply(fx.engine, fx_place(&fx, bundle.data, bundle.len),
				  &patch_id);
	free(bundle.data);
	if (status != HVP_OK) {
		check_unchanged("a refusal", snapshot_size());
		return 0;
	}
	next_sequence++;
	if (hvp_engine_revert(fx.engine, patch_id) != HVP_OK) {
		fprintf(stderr, "fuzz: revert of patch %u failed\n", patch_id);
		abort();
	}
	check_unchanged("apply and revert", FX_TEXT_SIZE + FX_RODATA_SIZE);
	if (fx.engine->arena_used > FX_ARENA_SIZE / 2)
		new_guest();
	return 0;
}
