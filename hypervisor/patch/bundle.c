// SPDX-License-Identifier: MIT
/*
 * Structural checks of a bundle copy (docs/bundle-format.md).
 *
 * Every sum is computed in 64 bits from 32-bit fields, so no check can
 * wrap.  The order of the checks is part of the contract: a truncated
 * bundle is reported as truncated, not as whatever its missing bytes would
 * have been.
 */
#include "patch/bundle.h"

#include "lib/bytes.h"

unsigned int hvp_reloc_width(uint16_t type)
{
	switch (type) {
	case HVP_RELOC_PC32:
	case HVP_RELOC_ABS32S:
		return 4;
	case HVP_RELOC_ABS64:
		return 8;
	default:
		return 0;
	}
}

/* True when [offset, offset + len) lies inside [0, limit). */
static bool range_within(uint64_t offset, uint64_t len, uint64_t limit)
{
	return offset <= limit && len <= limit - offset;
}

static enum hvp_status check_header(const struct hvp_bundle_header *h)
{
	if (!hvp_bytes_equal(h->magic, HVP_BUNDLE_MAGIC, HVP_BUNDLE_MAGIC_LEN))
		return HVP_E_BAD_MAGIC;
	if (h->format_version != HVP_BUNDLE_VERSION)
		return HVP_E_BAD_VERSION;
	if (h->header_size != sizeof(*h))
		return HVP_E_BAD_LAYOUT;
	if (h->flags != 0 || !hvp_bytes_all_zero(h->reserved,
						 sizeof(h->reserved)))
		return HVP_E_BAD_FLAGS;
	if (h->build_id_len == 0 || h->build_id_len > HVP_BUILD_ID_MAX)
		return HVP_E_BAD_COUNT;
	if (!hvp_bytes_all_zero(h->build_id + h->build_id_len,
				HVP_BUILD_ID_MAX - h->build_id_len))
		return HVP_E_BAD_FLAGS;
	if (h->replacement_count == 0 ||
	    h->replacement_count > HVP_MAX_REPLACEMENTS ||
	    h->relocation_count > HVP_MAX_RELOCS)
		return HVP_E_BAD_COUNT;
	if (h->signed_size > HVP_MAX_BUNDLE_SIZE)
		return HVP_E_TOO_LARGE;
	return HVP_OK;
}

static enum hvp_status check_relocs(const struct hvp_bundle_view *view,
				    const struct hvp_replacement *r)
{
	const struct hvp_reloc *reloc = hvp_replacement_relocs(view, r);

	for (uint32_t i = 0; i < r->reloc_count; i++, reloc++) {
		unsigned int width = hvp_reloc_width(reloc->type);

		if (width == 0 || !range_within(reloc->offset, width,
						r->code_len))
			return HVP_E_BAD_RELOC;
		if (reloc->addend < -HVP_MAX_RELOC_ADDEND ||
		    reloc->addend > HVP_MAX_RELOC_ADDEND)
			return HVP_E_BAD_RELOC;
		switch (reloc->target) {
		case HVP_RELOC_TARGET_KERNEL:
		case HVP_RELOC_TARGET_ABSOLUTE:
			break;
		case HVP_RELOC_TARGET_SELF:
			if (reloc->symbol_offset < 0 ||
			    (uint64_t)reloc->symbol_offset > r->code_len)
				return HVP_E_BAD_RELOC;
			break;
		default:
			return HVP_E_BAD_RELOC;
		}
	}
	return HVP_OK;
}

/*
 * The run-time fields of the old function: 8-byte aligned table inside
 * the data area, in rising order without overlap, each inside the
 * function, each ONE_OF's encodings inside the data area.
 */
static enum hvp_status check_fields(const struct hvp_bundle_view *view,
				    const struct hvp_replacement *r)
{
	uint32_t data_size = view->header->data_size;
	const struct hvp_field *field;
	uint64_t next_free = 0;

	if (r->field_count > HVP_MAX_FIELDS)
		return HVP_E_BAD_COUNT;
	if (r->field_offset % 8 != 0 ||
	    !range_within(r->field_offset,
			  (uint64_t)r->field_count * sizeof(*field), data_size))
		return HVP_E_BAD_LAYOUT;
	field = hvp_replacement_fields(view, r);
	for (uint32_t i = 0; i < r->field_count; i++, field++) {
		if (field->reserved != 0 || field->reserved2 != 0)
			return HVP_E_BAD_FLAGS;
		if (field->offset < next_free ||
		    !range_within(field->offset, field->length,
				  r->function_size))
			return HVP_E_BAD_LAYOUT;
		next_free = (uint64_t)field->offset + field->length;
		switch (field->kind) {
		case HVP_FIELD_SLIDE_NEG:
			if (field->length != 4)
				return HVP_E_BAD_LAYOUT;
			/* fall through */
		case HVP_FIELD_SLIDE:
			if ((field->length != 4 && field->length != 8) ||
			    field->encoding_count != 0 ||
			    field->encodings_offset != 0)
				return HVP_E_BAD_LAYOUT;
			break;
		case HVP_FIELD_ONE_OF:
			if (field->length == 0 ||
			    field->length > HVP_FIELD_MAX_LEN ||
			    field->encoding_count == 0 ||
			    field->encoding_count > HVP_FIELD_MAX_ENCODINGS ||
			    field->value != 0 ||
			    !range_within(field->encodings_offset,
					  (uint64_t)field->encoding_count *
						  field->length,
					  data_size))
				return HVP_E_BAD_LAYOUT;
			break;
		default:
			return HVP_E_BAD_LAYOUT;
		}
	}
	return HVP_OK;
}

static enum hvp_status check_replacement(const struct hvp_bundle_view *view,
					 const struct hvp_replacement *r)
{
	uint32_t data_size = view->header->data_size;
	enum hvp_status status;

	if (r->name_len == 0 || r->name_len > HVP_MAX_NAME_LEN ||
	    !range_within(r->name_offset, r->name_len, data_size))
		return HVP_E_BAD_LAYOUT;
	if (r->code_len == 0 || r->code_len > HVP_MAX_CODE_LEN ||
	    !range_within(r->code_offset, r->code_len, data_size) ||
	    r->entry_offset >= r->code_len)
		return HVP_E_BAD_LAYOUT;
	if (r->preimage_len != HVP_TRAMPOLINE_LEN)
		return HVP_E_BAD_LAYOUT;
	if (!hvp_bytes_all_zero(r->preimage + r->preimage_len,
				HVP_PREIMAGE_MAX - r->preimage_len))
		return HVP_E_BAD_FLAGS;
	if (r->function_size > HVP_MAX_FUNCTION_SIZE ||
	    !range_within(r->site_offset, r->preimage_len, r->function_size))
		return HVP_E_BAD_LAYOUT;
	if (!range_within(r->reloc_first, r->reloc_count,
			  view->header->relocation_count))
		return HVP_E_BAD_COUNT;
	status = check_fields(view, r);
	if (status != HVP_OK)
		return status;
	return check_relocs(view, r);
}

static enum hvp_status parse_signature(const uint8_t *buf, size_t len,
				       struct hvp_bundle_view *view)
{
	const struct hvp_bundle_signature *sig;
	uint64_t sig_at = view->header->signed_size;

	if (!range_within(sig_at, sizeof(*sig), len))
		return HVP_E_TRUNCATED;
	sig = (const void *)(buf + sig_at);
	if (!hvp_bytes_equal(sig->magic, HVP_SIGNATURE_MAGIC,
			     sizeof(sig->magic)) ||
	    sig->algorithm != HVP_SIG_ECDSA_P256_SHA256 ||
	    sig->der_len < 8 || sig->der_len > HVP_SIG_DER_MAX)
		return HVP_E_BAD_SIGNATURE;
	if (!range_within(sig_at + sizeof(*sig), sig->der_len, len))
		return HVP_E_TRUNCATED;
	if (sig_at + sizeof(*sig) + sig->der_len != len)
		return HVP_E_BAD_LAYOUT;
	view->signature = sig;
	view->signature_der = (const uint8_t *)(sig + 1);
	return HVP_OK;
}

enum hvp_status hvp_bundle_parse(const uint8_t *buf, size_t len,
				 struct hvp_bundle_view *view)
{
	const struct hvp_bundle_header *h = (const void *)buf;
	uint64_t relocs_at, data_at, data_end;
	enum hvp_status status;

	hvp_bytes_fill(view, 0, sizeof(*view));
	if (((uintptr_t)buf & 7) != 0)
		return HVP_E_INVALID;
	if (len > HVP_MAX_BUNDLE_SIZE)
		return HVP_E_TOO_LARGE;
	if (len < sizeof(*h))
		return HVP_E_TRUNCATED;
	status = check_header(h);
	if (status != HVP_OK)
		return status;

	relocs_at = sizeof(*h) +
		    (uint64_t)h->replacement_count * sizeof(struct hvp_replacement);
	data_at = relocs_at +
		  (uint64_t)h->relocation_count * sizeof(struct hvp_reloc);
	data_end = data_at + h->data_size;
	/* The signature block follows 8-byte aligned, like every table. */
	if (data_end != h->signed_size || h->signed_size % 8 != 0)
		return HVP_E_BAD_LAYOUT;
	if (!range_within(h->description_offset, h->description_len,
			  h->data_size) ||
	    h->description_len > HVP_MAX_DESCRIPTION_LEN)
		return HVP_E_BAD_LAYOUT;

	view->header = h;
	status = parse_signature(buf, len, view);
	if (status != HVP_OK)
		return status;
	view->replacements = (const void *)(buf + sizeof(*h));
	view->relocs = (const void *)(buf + relocs_at);
	view->data = buf + data_at;
	view->signed_part = buf;
	view->total_size = len;

	for (uint32_t i = 0; i < h->replacement_count; i++) {
		status = check_replacement(view, &view->replacements[i]);
		if (status != HVP_OK)
			return status;
	}
	return HVP_OK;
}
