/* SPDX-License-Identifier: MIT */
/*
 * Bundle parsing: the structural checks of docs/bundle-format.md.
 *
 * The input is a copy in hypervisor memory (never guest memory: the
 * caller has already copied the guest's pages once).  hvp_bundle_parse()
 * checks every count, offset and length against the buffer before
 * anything else reads them; afterwards a view's pointers and ranges can be
 * used without further bounds checks.  Parsing proves nothing about who
 * made the bundle: hvp_bundle_verify() does that.
 */
#ifndef HVPATCH_PATCH_BUNDLE_H
#define HVPATCH_PATCH_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "hvpatch/abi.h"

struct hvp_bundle_view {
	const struct hvp_bundle_header *header;
	const struct hvp_replacement *replacements; /* header->replacement_count */
	const struct hvp_reloc *relocs;             /* header->relocation_count */
	const uint8_t *data;                        /* header->data_size bytes */
	const uint8_t *signed_part;                 /* header->signed_size bytes */
	const struct hvp_bundle_signature *signature;
	const uint8_t *signature_der;               /* signature->der_len bytes */
	size_t total_size;
};

/*
 * Checks the layout of the len bytes at buf (8-byte aligned) and fills
 * view.  Returns HVP_OK or the first problem found: HVP_E_TRUNCATED,
 * HVP_E_BAD_MAGIC, HVP_E_BAD_VERSION, HVP_E_BAD_FLAGS, HVP_E_BAD_COUNT,
 * HVP_E_BAD_LAYOUT, HVP_E_BAD_RELOC, HVP_E_BAD_SIGNATURE (an unusable
 * signature block) or HVP_E_TOO_LARGE.
 */
enum hvp_status hvp_bundle_parse(const uint8_t *buf, size_t len,
				 struct hvp_bundle_view *view);

/* The replacement's code, name and relocations, from a parsed view. */
static inline const uint8_t *
hvp_replacement_code(const struct hvp_bundle_view *view,
		     const struct hvp_replacement *r)
{
	return view->data + r->code_offset;
}

static inline const char *
hvp_replacement_name(const struct hvp_bundle_view *view,
		     const struct hvp_replacement *r)
{
	return (const char *)view->data + r->name_offset;
}

static inline const struct hvp_reloc *
hvp_replacement_relocs(const struct hvp_bundle_view *view,
		       const struct hvp_replacement *r)
{
	return view->relocs + r->reloc_first;
}

/* The old function's run-time fields (data area, 8-byte aligned). */
static inline const struct hvp_field *
hvp_replacement_fields(const struct hvp_bundle_view *view,
		       const struct hvp_replacement *r)
{
	return (const struct hvp_field *)(view->data + r->field_offset);
}

/* Bytes a relocation of this type writes, or 0 for an unknown type. */
unsigned int hvp_reloc_width(uint16_t type);

#endif /* HVPATCH_PATCH_BUNDLE_H */
