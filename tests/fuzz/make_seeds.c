// SPDX-License-Identifier: MIT
/*
 * Writes the fuzzers' seed corpus: good bundles for the simulated guest
 * (one, two and three replacements, a page-crossing target, an ENDBR64
 * target), signed and unsigned, in DIR; and for fuzz_jump_label, in
 * JUMP_DIR, write sequences that switch the fixture's static-key sites
 * the way text_poke_bp() does.  Made at build time, never committed.
 * Usage: make_seeds DIR JUMP_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_fixture.h"

static void write_seed(const char *dir, const char *name,
		       const struct buffer *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* One fuzz_jump_label op: u16 offset, u8 length, the bytes. */
static void put_op(struct buffer *b, uint32_t offset, const uint8_t *bytes,
		   size_t len)
{
	uint8_t *at;

	b->data = realloc(b->data, b->len + 3 + len);
	at = b->data + b->len;
	at[0] = (uint8_t)offset;
	at[1] = (uint8_t)(offset >> 8);
	at[2] = (uint8_t)len;
	memcpy(at + 3, bytes, len);
	b->len += 3 + len;
}

/* INT3 over byte 0, the tail, then byte 0: to `form`. */
static void put_switch(struct buffer *b, const struct fx_jump_site *s,
		       const uint8_t *form)
{
	const uint8_t int3 = 0xcc;

	put_op(b, s->code, &int3, 1);
	put_op(b, s->code + 1, form + 1, s->size - 1);
	put_op(b, s->code, form, 1);
}

static void write_jump_seeds(const char *dir)
{
	struct buffer all = { 0 };

	for (unsigned int i = 0; i < FX_JUMP_SITES; i++) {
		const struct fx_jump_site *s = &fx_jump_sites[i];
		struct buffer one = { 0 };
		uint8_t nop[5], jmp[5];
		char name[32];

		fx_jump_nop(s, nop);
		fx_jump_jmp(s, jmp);
		/* Site 1 starts taken: switch it off first. */
		put_switch(&one, s, s->size == 2 ? nop : jmp);
		put_switch(&one, s, s->size == 2 ? jmp : nop);
		snprintf(name, sizeof(name), "jump-site-%u", i);
		write_seed(dir, name, &one);
		put_switch(&all, s, s->size == 2 ? nop : jmp);
		free(one.data);
	}
	write_seed(dir, "jump-all-sites", &all);
	free(all.data);
}

/* A bundle with run-time fields of each kind, for the parser's tables. */
static void write_fields_seeds(const char *dir, struct fixture *f)
{
	static const uint8_t encodings[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00,
					     0xe9, 0x10, 0x00, 0x00, 0x00 };
	static const struct hvp_field fields[] = {
		{ .offset = 0x10, .kind = HVP_FIELD_SLIDE, .length = 4,
		  .value = FX_SYM_DATA },
		{ .offset = 0x20, .kind = HVP_FIELD_ONE_OF, .length = 5,
		  .encoding_count = 2 },
		{ .offset = 0x30, .kind = HVP_FIELD_SLIDE_NEG, .length = 4,
		  .value = 0x7f019160 },
	};
	const struct bundle_fields set = { fields, 3, encodings,
					   sizeof(encodings) };
	static const struct fx_replacement fn_a = { FX_FN_A };
	struct buffer plain, signed_bundle;

	fx_unsigned_bundle_fields(f, &fn_a, 1, 1, &set, &plain);
	fx_sign(f, &plain, &signed_bundle);
	write_seed(dir, "unsigned-fields", &plain);
	write_seed(dir, "signed-fields", &signed_bundle);
	free(plain.data);
	free(signed_bundle.data);
}

int main(int argc, char **argv)
{
	static const struct fx_replacement sets[][3] = {
		{ { FX_FN_A } }, { { FX_FN_B } }, { { FX_FN_C } },
		{ { FX_FN_A }, { FX_FN_C } }, { { FX_FN_A }, { FX_FN_B }, { FX_FN_C } },
	};
	static const uint32_t counts[] = { 1, 1, 1, 2, 3 };
	struct fixture f;

	if (argc != 3) {
		fprintf(stderr, "usage: make_seeds DIR JUMP_DIR\n");
		return 1;
	}
	write_jump_seeds(argv[2]);
	fx_init(&f, false);
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		struct buffer plain, signed_bundle;
		char name[32];

		fx_unsigned_bundle(&f, sets[i], counts[i], 1, &plain);
		fx_sign(&f, &plain, &signed_bundle);
		snprintf(name, sizeof(name), "unsigned-%zu", i);
		write_seed(argv[1], name, &plain);
		snprintf(name, sizeof(name), "signed-%zu", i);
		write_seed(argv[1], name, &signed_bundle);
		free(plain.data);
		free(signed_bundle.data);
	}
	write_fields_seeds(argv[1], &f);
	fx_destroy(&f);
	return 0;
}
