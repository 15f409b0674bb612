// SPDX-License-Identifier: MIT
#include "engine_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_writer.h"

static const uint8_t nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
static const uint8_t endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

/* Text page i lives at physical page (pages - 1 - i). */
static uint64_t text_gpa(uint64_t offset)
{
	uint64_t pages = FX_TEXT_SIZE / 4096;

	return FX_TEXT_GPA + (pages - 1 - offset / 4096) * 4096 + offset % 4096;
}

uint8_t *fx_text(struct fixture *f, uint32_t offset)
{
	return f->m.ram + text_gpa(offset);
}

static enum hvp_status pause_others(void *ctx)
{
	((struct fixture *)ctx)->pauses++;
	return HVP_OK;
}

static void resume_others(void *ctx)
{
	((struct fixture *)ctx)->resumes++;
}

static unsigned int vcpu_rips(void *ctx, uint64_t *rips, unsigned int max)
{
	struct fixture *f = ctx;

	memcpy(rips, f->rips, f->rip_count * sizeof(*rips));
	return f->rip_count;
}

static void flush(void *ctx)
{
	((struct fixture *)ctx)->flushes++;
}

static void vlog(void *ctx, enum hvp_log_level level, const char *fmt,
		 va_list ap)
{
	struct fixture *f = ctx;
	int n = vsnprintf(f->log + f->log_len, sizeof(f->log) - f->log_len,
			  fmt, ap);

	if (n > 0 && f->log_len + (size_t)n < sizeof(f->log))
		f->log_len += (size_t)n;
	else
		f->log_len = 0; /* keep the newest lines */
}

static uint64_t timestamp(void *ctx)
{
	return ((struct fixture *)ctx)->clock += 100;
}

static enum hvp_status read_gpa(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	return sim_read_gpa(&((struct fixture *)ctx)->m, gpa, dst, len);
}

static enum hvp_status write_gpa(void *ctx, uint64_t gpa, const void *src,
				 size_t len)
{
	return sim_write_gpa(&((struct fixture *)ctx)->m, gpa, src, len);
}

static enum hvp_status cmpxchg_gpa(void *ctx, uint64_t gpa, uint64_t *expected,
				   uint64_t desired)
{
	return sim_cmpxchg_gpa(&((struct fixture *)ctx)->m, gpa, expected,
			       desired);
}

static void fill_text(struct fixture *f)
{
	static const uint32_t with_nop[] = { FX_FN_A, FX_FN_B };

	for (uint32_t off = 0; off < FX_TEXT_SIZE; off++)
		*fx_text(f, off) = (uint8_t)(off * 7 + 3);
	for (size_t i = 0; i < 2; i++)
		for (uint32_t b = 0; b < 5; b++)
			*fx_text(f, with_nop[i] + b) = nop5[b];
	for (uint32_t b = 0; b < 4; b++)
		*fx_text(f, FX_FN_C + b) = endbr64[b];
	for (uint32_t b = 0; b < 5; b++)
		*fx_text(f, FX_FN_C + 4 + b) = nop5[b];
}

static void write_build_id_note(struct fixture *f)
{
	struct {
		uint32_t namesz, descsz, type;
		char name[4];
		uint8_t desc[20];
	} note = { 4, 20, 3, "GNU", { 0 } };

	for (int i = 0; i < 20; i++)
		f->build_id[i] = note.desc[i] = (uint8_t)(0xb0 + i);
	memcpy(f->m.ram + FX_RODATA_GPA + 0x40, &note, sizeof(note));
}

/* Text, rodata (with the jump table if asked), arena; then lock. */
static enum hvp_status register_and_lock(struct fixture *f, bool jump_table)
{
	if (hvp_engine_register(f->engine, HVP_REGION_TEXT, FX_TEXT_GVA,
				FX_TEXT_SIZE) != HVP_OK ||
	    hvp_engine_register(f->engine, HVP_REGION_RODATA, FX_RODATA_GVA,
				FX_RODATA_SIZE) != HVP_OK ||
	    (jump_table &&
	     hvp_engine_register_jump_table(f->engine, FX_JUMP_TABLE,
					    16u * FX_JUMP_SITES) != HVP_OK) ||
	    hvp_engine_register(f->engine, HVP_REGION_ARENA, FX_ARENA_GVA,
				FX_ARENA_SIZE) != HVP_OK ||
	    hvp_engine_register_image(f->engine, FX_IMAGE_GVA,
				      FX_IMAGE_SIZE) != HVP_OK)
		abort();
	return hvp_engine_lock(f->engine, f->cr3, FX_RODATA_GVA + 0x40);
}

enum hvp_status fx_lock(struct fixture *f)
{
	return register_and_lock(f, false);
}

void fx_init(struct fixture *f, bool lock)
{
	memset(f, 0, sizeof(*f));
	sim_init(&f->m, FX_RAM_SIZE, 64);
	if (hvp_ept_init(&f->ept, &f->m.alloc) != HVP_OK ||
	    hvp_ept_map(&f->ept, 0, 0, FX_RAM_SIZE, HVP_EPT_RWX, HVP_MT_WB) !=
		    HVP_OK)
		abort();
	f->platform = (struct hvp_platform){
		.ctx = f, .read_gpa = read_gpa, .write_gpa = write_gpa,
		.cmpxchg_gpa = cmpxchg_gpa, .ept = &f->ept, .pause_others = pause_others,
		.resume_others = resume_others, .vcpu_rips = vcpu_rips,
		.flush = flush, .vlog = vlog, .timestamp = timestamp,
	};
	f->engine = calloc(1, sizeof(*f->engine));
	hvp_engine_init(f->engine, &f->platform);

	f->cr3 = sim_new_cr3(&f->m);
	for (uint64_t off = 0; off < FX_TEXT_SIZE; off += 4096)
		sim_map(&f->m, f->cr3, FX_TEXT_GVA + off, text_gpa(off), 4096,
			4096, 0);
	sim_map(&f->m, f->cr3, FX_RODATA_GVA, FX_RODATA_GPA, FX_RODATA_SIZE,
		4096, SIM_PTE_NX);
	sim_map(&f->m, f->cr3, FX_ARENA_GVA, FX_ARENA_GPA, FX_ARENA_SIZE, 4096,
		SIM_PTE_WRITE);
	fill_text(f);
	write_build_id_note(f);

	if (!signer_generate(&f->signer) ||
	    hvp_engine_enroll_key(f->engine, &f->signer.public_key) != HVP_OK)
		abort();
	if (lock && register_and_lock(f, false) != HVP_OK)
		abort();
}

const struct fx_jump_site fx_jump_sites[FX_JUMP_SITES] = {
	{ 0x1000, 0x1040, 5 }, { 0x1100, 0x1120, 2 }, { 0x1ffe, 0x3000, 5 },
};

void fx_jump_nop(const struct fx_jump_site *s, uint8_t out[5])
{
	static const uint8_t nop2[2] = { 0x66, 0x90 };

	memcpy(out, s->size == 5 ? nop5 : nop2, s->size);
}

void fx_jump_jmp(const struct fx_jump_site *s, uint8_t out[5])
{
	int32_t rel = (int32_t)(s->target - (s->code + s->size));

	out[0] = s->size == 5 ? 0xe9 : 0xeb;
	memcpy(out + 1, &rel, s->size - 1); /* little-endian: rel8 is byte 0 */
}

/* struct jump_entry on x86-64: s32 code, s32 target, each relative to its
 * own field, then the key.  Site i is entry FX_JUMP_SITES - 1 - i: the
 * table is not in address order (Linux sorts it by key), so the engine's
 * index must sort it. */
static void put_jump_entry(struct fixture *f, unsigned int i)
{
	unsigned int slot = FX_JUMP_SITES - 1 - i;
	uint64_t entry = FX_JUMP_TABLE + 16u * slot;
	int32_t rel[2] = {
		(int32_t)(FX_TEXT_GVA + fx_jump_sites[i].code - entry),
		(int32_t)(FX_TEXT_GVA + fx_jump_sites[i].target - (entry + 4)),
	};
	uint64_t key = 0xffffffff83000000ull + 8u * i;
	uint8_t *at = f->m.ram + FX_RODATA_GPA + (FX_JUMP_TABLE - FX_RODATA_GVA) + 16u * slot;

	memcpy(at, rel, sizeof(rel));
	memcpy(at + 8, &key, sizeof(key));
}

void fx_init_jump_labels(struct fixture *f)
{
	fx_init(f, false);
	for (unsigned int i = 0; i < FX_JUMP_SITES; i++) {
		const struct fx_jump_site *s = &fx_jump_sites[i];
		uint8_t form[5];

		/* The 2-byte site starts taken, the others not. */
		if (s->size == 2)
			fx_jump_jmp(s, form);
		else
			fx_jump_nop(s, form);
		for (uint32_t b = 0; b < s->size; b++)
			*fx_text(f, s->code + b) = form[b];
		put_jump_entry(f, i);
	}
	if (register_and_lock(f, true) != HVP_OK)
		abort();
}

void fx_destroy(struct fixture *f)
{
	signer_free(&f->signer);
	free(f->engine);
	sim_destroy(&f->m);
}

/*
 *  0: 48 b8 imm64      movabs rax, code+24     ABS64 SELF
 * 10: 48 c7 c0 imm32   mov rax, sym            ABS32S KERNEL
 * 17: e8 rel32         call sym                PC32 KERNEL
 * 22: c3 90            ret; nop
 * 24: "hvpatch\0"
 */
static const uint8_t fixture_code[FX_CODE_LEN] = {
	0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0x48, 0xc7, 0xc0, 0, 0, 0, 0,
	0xe8, 0, 0, 0, 0, 0xc3, 0x90, 'h', 'v', 'p', 'a', 't', 'c', 'h', 0,
};

static const struct hvp_reloc fixture_relocs[] = {
	{ .offset = 2, .type = HVP_RELOC_ABS64,
	  .target = HVP_RELOC_TARGET_SELF, .symbol_offset = 24 },
	{ .offset = 13, .type = HVP_RELOC_ABS32S,
	  .target = HVP_RELOC_TARGET_KERNEL, .symbol_offset = FX_SYM_DATA },
	{ .offset = 18, .type = HVP_RELOC_PC32,
	  .target = HVP_RELOC_TARGET_KERNEL, .symbol_offset = FX_SYM_DATA,
	  .addend = -4 },
};

void fx_expected_code(uint64_t code_gva, uint8_t out[FX_CODE_LEN])
{
	uint64_t abs64 = code_gva + 24;
	uint32_t abs32 = (uint32_t)(FX_TEXT_GVA + FX_SYM_DATA);
	uint32_t pc32 = (uint32_t)(FX_TEXT_GVA + FX_SYM_DATA - 4 - (code_gva + 18));

	memcpy(out, fixture_code, FX_CODE_LEN);
	memcpy(out + 2, &abs64, 8);
	memcpy(out + 13, &abs32, 4);
	memcpy(out + 18, &pc32, 4);
}

void fx_unsigned_bundle(struct fixture *f, const struct fx_replacement *r,
			uint32_t count, uint64_t sequence, struct buffer *out)
{
	fx_unsigned_bundle_fields(f, r, count, sequence, NULL, out);
}

void fx_unsigned_bundle_fields(struct fixture *f, const struct fx_replacement *r,
			       uint32_t count, uint64_t sequence,
			       const struct bundle_fields *fields,
			       struct buffer *out)
{
	struct bundle_fields per_replacement[4];
	static const char *const names[] = { "fn_a", "fn_b", "fn_c", "fn_d" };
	struct hvp_replacement repl[4] = { 0 };
	struct bundle_input in = {
		.sequence = sequence, .build_id_len = 20,
		.description = "fixture patch", .code = fixture_code,
		.code_len = FX_CODE_LEN, .relocs = fixture_relocs,
		.reloc_count = 3, .replacements = repl, .names = names,
		.fields = fields ? per_replacement : NULL,
		.replacement_count = count,
	};
	uint8_t function[FX_FN_SIZE];

	memcpy(in.build_id, f->build_id, 20);
	for (uint32_t i = 0; i < count; i++) {
		for (uint32_t b = 0; b < FX_FN_SIZE; b++)
			function[b] = *fx_text(f, r[i].function + b);
		if (fields)
			per_replacement[i] = *fields;
		repl[i].function_offset = r[i].function;
		repl[i].function_size = FX_FN_SIZE;
		repl[i].site_offset = memcmp(function, endbr64, 4) == 0 ? 4 : 0;
		repl[i].preimage_len = 5;
		memcpy(repl[i].preimage, function + repl[i].site_offset, 5);
		/* (Fields past the function are the parser's to refuse.) */
		for (uint32_t k = 0; fields && k < fields->count; k++)
			if (fields->fields[k].offset + fields->fields[k].length <=
			    FX_FN_SIZE)
				memset(function + fields->fields[k].offset, 0,
				       fields->fields[k].length);
		hvp_sha256(function, FX_FN_SIZE, repl[i].function_sha256);
	}
	if (!bundle_write(&in, out))
		abort();
}

struct hvp_reloc *fx_reloc(struct buffer *unsigned_bundle, uint32_t index)
{
	return (struct hvp_reloc *)(unsigned_bundle->data +
				    sizeof(struct hvp_bundle_header) +
				    sizeof(struct hvp_replacement)) + index;
}

void fx_sign(struct fixture *f, const struct buffer *in, struct buffer *out)
{
	if (!bundle_sign(&f->signer, in, out))
		abort();
}

void fx_bundle(struct fixture *f, const struct fx_replacement *r,
	       uint32_t count, uint64_t sequence, struct buffer *out)
{
	struct buffer unsigned_bundle;

	fx_unsigned_bundle(f, r, count, sequence, &unsigned_bundle);
	fx_sign(f, &unsigned_bundle, out);
	free(unsigned_bundle.data);
}

uint64_t fx_place(struct fixture *f, const uint8_t *bundle, size_t len)
{
	struct hvp_page_list *list = (void *)(f->m.ram + FX_DESC_GPA);
	uint32_t pages = (uint32_t)((len + 4095) / 4096);

	list->length = (uint32_t)len;
	list->page_count = pages;
	for (uint32_t i = 0; i < pages; i++) {
		/* Every other page, backwards: the list really is a list. */
		uint64_t gpa = FX_BUNDLE_GPA + (uint64_t)(2 * (pages - i)) * 4096;
		size_t chunk = len - i * 4096u < 4096 ? len - i * 4096u : 4096;

		list->pages[i] = gpa;
		memcpy(f->m.ram + gpa, bundle + i * 4096u, chunk);
	}
	return FX_DESC_GPA;
}
