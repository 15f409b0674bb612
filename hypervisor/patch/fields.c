// SPDX-License-Identifier: MIT
/*
 * The old function's run-time fields (docs/bundle-format.md, "Fields").
 *
 * One kernel build runs on many machines, and the bytes of a function
 * differ between them only where the kernel rewrites itself: KASLR moves
 * absolute addresses by the slide, and alternatives, static keys, ftrace,
 * SMP LOCK prefixes and return thunks are patched at boot.  The bundle
 * names each such field with what it may hold; everything else must be the
 * bytes the kernel was built with, which function_sha256 covers.
 *
 * Runs on the hypervisor's one copy of the running function: each field is
 * checked, then zeroed, so that the hash over the copy compares every
 * other byte with the build.
 */
#include "patch/internal.h"

#include "lib/bytes.h"

/* SLIDE: text base + value; SLIDE_NEG: value - text base (the field moves
 * against the text, as Linux's relocs32neg do). */
static bool slide_matches(const uint8_t *at, const struct hvp_field *field,
			  uint64_t text_base)
{
	uint64_t expected = field->kind == HVP_FIELD_SLIDE ?
				    text_base + (uint64_t)field->value :
				    (uint64_t)field->value - text_base;

	for (unsigned int i = 0; i < field->length; i++)
		if (at[i] != (uint8_t)(expected >> (8 * i)))
			return false;
	return true;
}

static bool one_of_matches(const uint8_t *at, const struct hvp_field *field,
			   const uint8_t *encodings)
{
	for (unsigned int i = 0; i < field->encoding_count; i++)
		if (hvp_bytes_equal(at, encodings + i * field->length,
				    field->length))
			return true;
	return false;
}

enum hvp_status hvp_check_fields(struct hvp_engine *e,
				 const struct hvp_bundle_view *view,
				 const struct hvp_replacement *r,
				 uint8_t *function)
{
	const struct hvp_field *field = hvp_replacement_fields(view, r);
	uint64_t text_base = e->regions[HVP_REGION_TEXT].gva;

	for (uint32_t i = 0; i < r->field_count; i++, field++) {
		uint8_t *at = function + field->offset;
		bool ok = field->kind == HVP_FIELD_ONE_OF ?
				  one_of_matches(at, field,
						 view->data + field->encodings_offset) :
				  slide_matches(at, field, text_base);

		if (!ok) {
			hvp_engine_log(e, HVP_LOG_WARN,
				       "patch: function at text+%#llx: field %u (+%#x, %u bytes) holds none of its allowed values\n",
				       (unsigned long long)r->function_offset,
				       i, field->offset, field->length);
			return HVP_E_FUNCTION_HASH;
		}
		hvp_bytes_fill(at, 0, field->length);
	}
	return HVP_OK;
}
