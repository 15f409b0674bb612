/* SPDX-License-Identifier: MIT */
/* Serializes an unsigned bundle (the signed part, docs/bundle-format.md). */
#ifndef HVPATCH_TOOL_BUNDLE_WRITER_H
#define HVPATCH_TOOL_BUNDLE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvpatch/abi.h"
#include "util.h"

/* One old function's run-time fields; each ONE_OF's encodings_offset
 * counts from `encodings` (the writer moves both into the data area). */
struct bundle_fields {
	const struct hvp_field *fields;
	uint32_t count;
	const uint8_t *encodings;
	uint32_t encodings_len;
};

struct bundle_input {
	uint64_t sequence;
	uint8_t build_id[HVP_BUILD_ID_MAX];
	uint32_t build_id_len;
	const char *description;
	/* One code blob and relocation table, shared by all replacements. */
	const uint8_t *code;
	uint32_t code_len;
	const struct hvp_reloc *relocs;
	uint32_t reloc_count;
	/* name_offset/code_offset/reloc_* are filled in by the writer. */
	struct hvp_replacement *replacements;
	const char *const *names;
	const struct bundle_fields *fields; /* per replacement, or NULL */
	uint32_t replacement_count;
};

bool bundle_write(const struct bundle_input *in, struct buffer *out);

struct signer;
/*
 * Signs the signed part of a bundle (the first signed_size bytes of in):
 * sets the key id, then appends the SIG1 block.  out is a new buffer.
 */
bool bundle_sign(struct signer *s, const struct buffer *in, struct buffer *out);

#endif /* HVPATCH_TOOL_BUNDLE_WRITER_H */
