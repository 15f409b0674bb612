// SPDX-License-Identifier: MIT
/*
 * The plan stage: prove the bundle fits the running kernel and compute
 * every byte commit will write, before the guest is touched.
 *
 * Targets are read through the lock-time record of the text mapping, so a
 * guest that edits its own page tables after lock cannot point us at a
 * page it controls.
 */
#include "patch/internal.h"

#include "lib/bytes.h"

#define HVP_CODE_ALIGN 16u

static bool fits_s32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

static void put_le(uint8_t *dst, uint64_t v, unsigned int width)
{
	for (unsigned int i = 0; i < width; i++)
		dst[i] = (uint8_t)(v >> (8 * i));
}

bool hvp_encode_jmp(uint8_t *out, uint64_t at, uint64_t target, unsigned int len)
{
	int64_t rel = (int64_t)(target - (at + len));

	if (len == 5 && fits_s32(rel)) {
		out[0] = 0xe9; /* JMP rel32 */
		put_le(out + 1, (uint64_t)rel, 4);
		return true;
	}
	if (len == 2 && rel >= INT8_MIN && rel <= INT8_MAX) {
		out[0] = 0xeb; /* JMP rel8 */
		out[1] = (uint8_t)rel;
		return true;
	}
	return false;
}

/*
 * The old function: inside the locked text, the patch site exactly the
 * pre-image, each run-time field one of its allowed values, and every
 * other byte as built (the hash).  The function is read once.
 */
static enum hvp_status check_target(struct hvp_engine *e,
				    const struct hvp_bundle_view *view,
				    const struct hvp_replacement *r,
				    uint64_t *site_gva)
{
	const struct hvp_region *text = &e->regions[HVP_REGION_TEXT];
	uint8_t digest[HVP_SHA256_LEN];
	uint64_t fn_gva = text->gva + r->function_offset;
	enum hvp_status status;

	if (r->function_offset >= text->size ||
	    r->function_size > text->size - r->function_offset)
		return HVP_E_TARGET_RANGE;
	if (hvp_locked_read(e, fn_gva, e->function, r->function_size) !=
	    HVP_OK)
		return HVP_E_TARGET_RANGE;
	if (!hvp_bytes_equal(e->function + r->site_offset, r->preimage,
			     r->preimage_len))
		return HVP_E_PREIMAGE;
	status = hvp_check_fields(e, view, r, e->function);
	if (status != HVP_OK)
		return status;
	hvp_sha256(e->function, r->function_size, digest);
	if (!hvp_bytes_equal(digest, r->function_sha256, sizeof(digest)))
		return HVP_E_FUNCTION_HASH;
	*site_gva = fn_gva + r->site_offset;
	return HVP_OK;
}

static bool site_overlaps(const struct hvp_patch_site *a, uint64_t gva)
{
	return a->gva < gva + HVP_TRAMPOLINE_LEN &&
	       gva < a->gva + HVP_TRAMPOLINE_LEN;
}

static enum hvp_status check_overlap(const struct hvp_engine *e,
				     const struct hvp_plan *plan, uint64_t gva)
{
	for (uint32_t i = 0; i < plan->site_count; i++)
		if (site_overlaps(&plan->sites[i], gva))
			return HVP_E_OVERLAP;
	for (uint32_t p = 0; p < HVP_MAX_APPLIED; p++) {
		const struct hvp_applied_patch *ap = &e->patches[p];

		for (uint32_t i = 0; ap->id != 0 && i < ap->site_count; i++)
			if (site_overlaps(&ap->sites[i], gva))
				return HVP_E_OVERLAP;
	}
	return HVP_OK;
}

/*
 * S for one relocation (docs/bundle-format.md, "Relocation").  A symbol
 * that moves with the kernel (KERNEL: this boot's text base plus the
 * offset) must land inside the registered image, _text to _end: a per-CPU
 * offset or an absolute value mislabelled as slide-relative would
 * otherwise become a wild pointer in code the guest then runs.
 */
static enum hvp_status symbol_value(const struct hvp_engine *e,
				    const struct hvp_reloc *reloc,
				    uint64_t code_gva, uint64_t *s)
{
	switch (reloc->target) {
	case HVP_RELOC_TARGET_KERNEL:
		*s = e->regions[HVP_REGION_TEXT].gva +
		     (uint64_t)reloc->symbol_offset;
		if (*s < e->image_gva || *s - e->image_gva > e->image_size)
			return HVP_E_RELOC_OUTSIDE_IMAGE;
		return HVP_OK;
	case HVP_RELOC_TARGET_SELF:
		*s = code_gva + (uint64_t)reloc->symbol_offset;
		return HVP_OK;
	default: /* HVP_RELOC_TARGET_ABSOLUTE; the parser refused the rest */
		*s = (uint64_t)reloc->symbol_offset;
		return HVP_OK;
	}
}

/* SDM-independent: the x86-64 psABI relocation formulas (S + A - P ...). */
static enum hvp_status relocate(struct hvp_engine *e,
				const struct hvp_bundle_view *view,
				const struct hvp_replacement *r,
				uint8_t *code, uint64_t code_gva)
{
	const struct hvp_reloc *reloc = hvp_replacement_relocs(view, r);

	for (uint32_t i = 0; i < r->reloc_count; i++, reloc++) {
		uint64_t s, value, place = code_gva + reloc->offset;
		enum hvp_status status = symbol_value(e, reloc, code_gva, &s);

		if (status != HVP_OK) {
			hvp_engine_log(e, HVP_LOG_WARN,
				       "patch: relocation %u points at %#llx, outside the kernel image %#llx..%#llx\n",
				       r->reloc_first + i, (unsigned long long)s,
				       (unsigned long long)e->image_gva,
				       (unsigned long long)(e->image_gva +
							    e->image_size));
			return status;
		}
		value = s + (uint64_t)reloc->addend;

		switch (reloc->type) {
		case HVP_RELOC_PC32:
			value -= place;
			if (!fits_s32((int64_t)value))
				return HVP_E_BAD_RELOC;
			break;
		case HVP_RELOC_ABS32S:
			if (!fits_s32((int64_t)value))
				return HVP_E_BAD_RELOC;
			break;
		default: /* HVP_RELOC_ABS64; the parser refused the rest */
			break;
		}
		put_le(code + reloc->offset, value,
		       hvp_reloc_width(reloc->type));
	}
	return HVP_OK;
}

enum hvp_status hvp_plan_bundle(struct hvp_engine *e,
				const struct hvp_bundle_view *view,
				struct hvp_plan *plan)
{
	const struct hvp_region *arena = &e->regions[HVP_REGION_ARENA];
	uint64_t offset = 0;

	plan->site_count = 0;
	plan->arena_gva = arena->gva + e->arena_used;
	for (uint32_t i = 0; i < view->header->replacement_count; i++) {
		const struct hvp_replacement *r = &view->replacements[i];
		uint64_t code_gva, entry_gva, site_gva = 0;
		enum hvp_status status = check_target(e, view, r, &site_gva);

		if (status == HVP_OK)
			status = check_overlap(e, plan, site_gva);
		if (status != HVP_OK)
			return status;

		offset = (offset + HVP_CODE_ALIGN - 1) & ~(uint64_t)(HVP_CODE_ALIGN - 1);
		/* Blobs may share bundle bytes, so their sum is bounded here. */
		if (offset + r->code_len > sizeof(e->code))
			return HVP_E_TOO_LARGE;
		if (e->arena_used + offset + r->code_len > arena->size)
			return HVP_E_ARENA_FULL;
		code_gva = plan->arena_gva + offset;
		hvp_bytes_copy(e->code + offset, hvp_replacement_code(view, r),
			       r->code_len);
		status = relocate(e, view, r, e->code + offset, code_gva);
		if (status != HVP_OK)
			return status;

		entry_gva = code_gva + r->entry_offset;
		if (!hvp_encode_jmp(plan->trampolines[i], site_gva, entry_gva,
				    HVP_TRAMPOLINE_LEN))
			return HVP_E_BAD_RELOC;
		plan->sites[i].gva = site_gva;
		hvp_bytes_copy(plan->sites[i].old_bytes, r->preimage,
			       HVP_TRAMPOLINE_LEN);
		plan->site_count++;
		offset += r->code_len;
	}
	plan->arena_len = offset;
	return HVP_OK;
}
