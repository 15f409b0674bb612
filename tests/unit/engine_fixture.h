/* SPDX-License-Identifier: MIT */
/*
 * A simulated guest for patch-engine tests and the fuzzer: guest RAM with
 * real 4-level page tables, a kernel "text" whose pages are mapped in
 * reverse physical order (so only the lock-time record finds them),
 * rodata holding the build-id note, a patch arena, the real EPT model,
 * and a platform that counts pauses, resumes and flushes.
 */
#ifndef HVPATCH_TEST_ENGINE_FIXTURE_H
#define HVPATCH_TEST_ENGINE_FIXTURE_H

#include "bundle_writer.h"
#include "keys.h"
#include "patch/engine.h"
#include "sim/sim_memory.h"
#include "util.h"

#define FX_RAM_SIZE (48ull << 20)
#define FX_TEXT_GVA 0xffffffff81000000ull
#define FX_TEXT_SIZE 0x10000ull
#define FX_TEXT_GPA 0x1000000ull
#define FX_RODATA_GVA 0xffffffff82000000ull
#define FX_RODATA_SIZE 0x4000ull
#define FX_RODATA_GPA 0x1200000ull
#define FX_ARENA_GVA 0xffffffffc0000000ull
#define FX_ARENA_SIZE 0x4000ull
#define FX_ARENA_GPA 0x1400000ull
/* The kernel image, _text to _end: text, rodata and (unsimulated) data. */
#define FX_IMAGE_GVA FX_TEXT_GVA
#define FX_IMAGE_SIZE 0x1100000ull
#define FX_DESC_GPA 0x1f00000ull
#define FX_BUNDLE_GPA 0x2000000ull

/* Functions in the simulated text, as offsets from its base. */
#define FX_FN_A 0x100u    /* fentry NOP first */
#define FX_FN_B 0x2ff8u   /* crosses a page boundary */
#define FX_FN_C 0x500u    /* ENDBR64, then the fentry NOP */
#define FX_FN_SIZE 0x40u
#define FX_SYM_DATA 0x8000u /* a kernel symbol relocations point at */
#define FX_CODE_LEN 32u
/* The fixture code's relocations: 0 ABS64 SELF, 1 ABS32S KERNEL, 2 PC32
 * KERNEL (see engine_fixture.c). */
#define FX_RELOC_ABS32S 1u
#define FX_RELOC_PC32 2u

struct fixture {
	struct sim_machine m;
	struct hvp_ept ept;
	struct hvp_platform platform;
	struct hvp_engine *engine;
	struct signer signer;
	uint64_t cr3;
	uint8_t build_id[20];
	uint64_t rips[4];
	unsigned int rip_count, pauses, resumes, flushes;
	uint64_t clock;
	char log[16384];
	size_t log_len;
};

/* Builds the guest; with lock, registers everything and locks. */
void fx_init(struct fixture *f, bool lock);
/* Registers text, rodata, arena and image, then locks: fx_init's lock,
 * for a test that prepares the guest first.  The lock's status. */
enum hvp_status fx_lock(struct fixture *f);

/*
 * Static-key sites in the simulated text, listed in a __jump_table at
 * FX_JUMP_TABLE in rodata: a 5-byte NOP, a 2-byte JMP (taken), and a
 * 5-byte NOP that straddles a text page (whose pages are physically
 * reversed).
 */
struct fx_jump_site {
	uint32_t code, target, size; /* text offsets; size 5 or 2 */
};
#define FX_JUMP_SITES 3u
#define FX_JUMP_TABLE (FX_RODATA_GVA + 0x100u)
extern const struct fx_jump_site fx_jump_sites[FX_JUMP_SITES];
/* The guest with those sites, their table registered, locked. */
void fx_init_jump_labels(struct fixture *f);
/* A site's two forms, written here independently of the engine. */
void fx_jump_nop(const struct fx_jump_site *s, uint8_t out[5]);
void fx_jump_jmp(const struct fx_jump_site *s, uint8_t out[5]);
void fx_destroy(struct fixture *f);

/* One replacement of a fixture function, described as the tool would. */
struct fx_replacement {
	uint32_t function; /* FX_FN_* */
};

/* An unsigned bundle replacing the given functions with the fixture's
 * 32-byte code blob (three relocations, one of each type). */
void fx_unsigned_bundle(struct fixture *f, const struct fx_replacement *r,
			uint32_t count, uint64_t sequence, struct buffer *out);
/* The same, with run-time fields in the replaced functions (one set for
 * all of them): the hash covers the function with those bytes zeroed. */
void fx_unsigned_bundle_fields(struct fixture *f, const struct fx_replacement *r,
			       uint32_t count, uint64_t sequence,
			       const struct bundle_fields *fields,
			       struct buffer *out);
void fx_sign(struct fixture *f, const struct buffer *in, struct buffer *out);
/* The index-th relocation of an unsigned bundle's first replacement. */
struct hvp_reloc *fx_reloc(struct buffer *unsigned_bundle, uint32_t index);
void fx_bundle(struct fixture *f, const struct fx_replacement *r,
	       uint32_t count, uint64_t sequence, struct buffer *out);

/* Writes the bundle into guest pages (scattered) and a page list; returns
 * the page list's guest-physical address. */
uint64_t fx_place(struct fixture *f, const uint8_t *bundle, size_t len);

/* The expected relocated code at code_gva, and the trampoline bytes. */
void fx_expected_code(uint64_t code_gva, uint8_t out[FX_CODE_LEN]);
uint8_t *fx_text(struct fixture *f, uint32_t offset); /* through GVA map */

#endif /* HVPATCH_TEST_ENGINE_FIXTURE_H */
