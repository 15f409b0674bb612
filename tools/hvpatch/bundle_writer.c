// SPDX-License-Identifier: MIT
#include "bundle_writer.h"

#include "keys.h"

#include <stdlib.h>
#include <string.h>

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static size_t fields_size(const struct bundle_fields *f)
{
	return f ? align8(f->count * sizeof(struct hvp_field) + f->encodings_len) : 0;
}

/* Replacement i's fields table and encodings at data + at (8-aligned). */
static uint32_t put_fields(uint8_t *data, size_t at,
			   const struct bundle_fields *f,
			   struct hvp_replacement *r)
{
	size_t table_len = f->count * sizeof(struct hvp_field);
	struct hvp_field *table = (struct hvp_field *)(data + at);

	memcpy(table, f->fields, table_len);
	memcpy(data + at + table_len, f->encodings, f->encodings_len);
	for (uint32_t i = 0; i < f->count; i++)
		if (table[i].kind == HVP_FIELD_ONE_OF)
			table[i].encodings_offset += (uint32_t)(at + table_len);
	r->field_offset = (uint32_t)at;
	r->field_count = f->count;
	return (uint32_t)fields_size(f);
}

bool bundle_write(const struct bundle_input *in, struct buffer *out)
{
	size_t desc_len = in->description ? strlen(in->description) : 0;
	size_t tables = sizeof(struct hvp_bundle_header) +
			in->replacement_count * sizeof(struct hvp_replacement) +
			in->reloc_count * sizeof(struct hvp_reloc);
	size_t data_size = desc_len + in->code_len, fields_at;
	struct hvp_bundle_header *h;
	uint8_t *data;

	for (uint32_t i = 0; i < in->replacement_count; i++)
		data_size += strlen(in->names[i]);
	data_size = align8(data_size); /* zero padding */
	fields_at = data_size;
	for (uint32_t i = 0; in->fields && i < in->replacement_count; i++)
		data_size += fields_size(&in->fields[i]);
	if (in->reloc_count > HVP_MAX_RELOCS) {
		errorf("too many relocations (%u, limit %u)", in->reloc_count,
		       HVP_MAX_RELOCS);
		return false;
	}
	if (desc_len > HVP_MAX_DESCRIPTION_LEN ||
	    tables + data_size > HVP_MAX_BUNDLE_SIZE) {
		errorf("bundle too large (limit %u bytes, description %u)",
		       HVP_MAX_BUNDLE_SIZE, HVP_MAX_DESCRIPTION_LEN);
		return false;
	}
	out->len = tables + data_size;
	out->data = aligned_alloc(8, (out->len + 7) & ~(size_t)7);
	if (!out->data)
		return false;
	memset(out->data, 0, out->len);

	h = (struct hvp_bundle_header *)out->data;
	memcpy(h->magic, HVP_BUNDLE_MAGIC, HVP_BUNDLE_MAGIC_LEN);
	h->format_version = HVP_BUNDLE_VERSION;
	h->header_size = sizeof(*h);
	h->sequence = in->sequence;
	memcpy(h->build_id, in->build_id, in->build_id_len);
	h->build_id_len = in->build_id_len;
	h->replacement_count = in->replacement_count;
	h->relocation_count = in->reloc_count;
	h->data_size = (uint32_t)data_size;
	h->signed_size = (uint32_t)out->len;

	/* Data area: description, code, then the names. */
	data = out->data + tables;
	h->description_offset = 0;
	h->description_len = (uint32_t)desc_len;
	memcpy(data, in->description, desc_len);
	memcpy(data + desc_len, in->code, in->code_len);
	memcpy(out->data + tables - in->reloc_count * sizeof(struct hvp_reloc),
	       in->relocs, in->reloc_count * sizeof(struct hvp_reloc));

	uint32_t name_at = (uint32_t)(desc_len + in->code_len);
	struct hvp_replacement *table =
		(struct hvp_replacement *)(out->data + sizeof(*h));

	for (uint32_t i = 0; i < in->replacement_count; i++) {
		size_t name_len = strlen(in->names[i]);

		table[i] = in->replacements[i];
		table[i].name_offset = name_at;
		table[i].name_len = (uint32_t)name_len;
		table[i].code_offset = (uint32_t)desc_len;
		table[i].code_len = in->code_len;
		table[i].reloc_first = 0;
		table[i].reloc_count = in->reloc_count;
		memcpy(data + name_at, in->names[i], name_len);
		name_at += (uint32_t)name_len;
		if (in->fields)
			fields_at += put_fields(data, fields_at, &in->fields[i],
						&table[i]);
	}
	return true;
}

bool bundle_sign(struct signer *s, const struct buffer *in, struct buffer *out)
{
	const struct hvp_bundle_header *src = (const void *)in->data;
	struct hvp_bundle_signature sig = {
		.magic = { 'S', 'I', 'G', '1' },
		.algorithm = HVP_SIG_ECDSA_P256_SHA256,
	};
	uint8_t der[HVP_SIG_DER_MAX];
	size_t signed_size, der_len;

	if (in->len < sizeof(*src) || src->signed_size > in->len ||
	    src->signed_size < sizeof(*src))
		return false;
	signed_size = src->signed_size;
	out->len = signed_size + sizeof(sig) + HVP_SIG_DER_MAX;
	out->data = aligned_alloc(8, (out->len + 7) & ~(size_t)7);
	if (!out->data)
		return false;
	memcpy(out->data, in->data, signed_size);
	memcpy(((struct hvp_bundle_header *)out->data)->key_id,
	       s->public_key.key_id, HVP_KEY_ID_LEN);
	if (!signer_sign(s, out->data, signed_size, der, &der_len)) {
		free(out->data);
		return false;
	}
	sig.der_len = (uint16_t)der_len;
	memcpy(out->data + signed_size, &sig, sizeof(sig));
	memcpy(out->data + signed_size + sizeof(sig), der, der_len);
	out->len = signed_size + sizeof(sig) + der_len;
	return true;
}
