// SPDX-License-Identifier: MIT
#include "bundle_writer.h"

#include "keys.h"

#include <stdlib.h>
#include <string.h>

bool bundle_write(const struct bundle_input *in, struct buffer *out)
{
	size_t desc_len = in->description ? strlen(in->description) : 0;
	size_t tables = sizeof(struct hvp_bundle_header) +
			in->replacement_count * sizeof(struct hvp_replacement) +
			in->reloc_count * sizeof(struct hvp_reloc);
	size_t data_size = desc_len + in->code_len;
	struct hvp_bundle_header *h;
	uint8_t *data;

	for (uint32_t i = 0; i < in->replacement_count; i++)
		data_size += strlen(in->names[i]);
	data_size = (data_size + 7) & ~(size_t)7; /* zero padding */
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
