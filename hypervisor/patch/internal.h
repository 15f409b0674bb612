/* SPDX-License-Identifier: MIT */
/* Shared between the engine's stages; not part of its public API. */
#ifndef HVPATCH_PATCH_INTERNAL_H
#define HVPATCH_PATCH_INTERNAL_H

#include "patch/bundle.h"
#include "patch/engine.h"

/* What commit will write, all computed before the guest is touched. */
struct hvp_plan {
	uint32_t site_count;
	struct hvp_patch_site sites[HVP_MAX_REPLACEMENTS];
	uint8_t trampolines[HVP_MAX_REPLACEMENTS][HVP_TRAMPOLINE_LEN];
	uint64_t arena_gva;  /* e->code[0 .. arena_len) goes here */
	uint64_t arena_len;
	uint32_t key_index;
	uint64_t sequence;
};

void hvp_engine_log(struct hvp_engine *e, enum hvp_log_level level,
		    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Is the n-th event of a kind that anyone may repeat at will logged?
 * The first HVP_REFUSAL_BURST, then each power of two. */
bool hvp_engine_recorded(uint64_t n);

void hvp_engine_event(struct hvp_engine *e, enum hvp_audit_type type,
		      enum hvp_status status, uint32_t patch_id,
		      uint64_t sequence, uint32_t detail);

/* Guest-virtual access through the lock-time record, never the guest's
 * current page tables.  HVP_E_TARGET_RANGE outside the protected set. */
enum hvp_status hvp_locked_read(struct hvp_engine *e, uint64_t gva, void *dst,
				size_t len);
enum hvp_status hvp_locked_write(struct hvp_engine *e, uint64_t gva,
				 const void *src, size_t len);

/* A JMP at `at` to `target`: E9 rel32 (len 5) or EB rel8 (len 2); false
 * if the target is out of its reach (SDM Vol. 2A, JMP). */
bool hvp_encode_jmp(uint8_t *out, uint64_t at, uint64_t target, unsigned int len);

enum hvp_status hvp_copy_in(struct hvp_engine *e, uint64_t page_list_gpa,
			    size_t *len);

enum hvp_status hvp_verify_bundle(struct hvp_engine *e,
				  const struct hvp_bundle_view *view,
				  uint32_t *key_index);

/* Checks and zeroes each run-time field of a replacement's old function
 * (the engine's one copy of it); HVP_E_FUNCTION_HASH on a mismatch. */
enum hvp_status hvp_check_fields(struct hvp_engine *e,
				 const struct hvp_bundle_view *view,
				 const struct hvp_replacement *r,
				 uint8_t *function);

enum hvp_status hvp_plan_bundle(struct hvp_engine *e,
				const struct hvp_bundle_view *view,
				struct hvp_plan *plan);

/* Pauses every other vCPU and waits until none executes the given sites;
 * HVP_E_BUSY (with everyone resumed) when that never happens. */
enum hvp_status hvp_hold_vcpus(struct hvp_engine *e,
			       const struct hvp_patch_site *sites,
			       uint32_t count, uint64_t *held_since);
void hvp_release_vcpus(struct hvp_engine *e, uint64_t held_since);

/* At lock, with the record in force: the sorted index of the registered
 * __jump_table's sites in text (jump_label.c). */
enum hvp_status hvp_jump_label_index(struct hvp_engine *e);

#endif /* HVPATCH_PATCH_INTERNAL_H */
