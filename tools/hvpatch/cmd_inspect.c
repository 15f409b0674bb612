// SPDX-License-Identifier: MIT
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "emit.h"

static const char *const reloc_types[] = {
	[HVP_RELOC_PC32] = "PC32", [HVP_RELOC_ABS64] = "ABS64",
	[HVP_RELOC_ABS32S] = "ABS32S",
};

static void usage(void)
{
	puts("usage: hvpatch inspect [--json] BUNDLE\n"
	     "\n"
	     "Prints every field of a signed or unsigned bundle, after the\n"
	     "hypervisor's own structural checks.");
}

static void emit_reloc(struct emitter *em, const struct hvp_reloc *r)
{
	static const char *const targets[] = {
		[HVP_RELOC_TARGET_KERNEL] = "kernel",
		[HVP_RELOC_TARGET_SELF] = "self",
		[HVP_RELOC_TARGET_ABSOLUTE] = "absolute",
	};
	const char *type = reloc_types[r->type];
	const char *target = targets[r->target]; /* the parser checked both */

	emit_begin(em, NULL, false);
	emit_u64(em, "offset", r->offset);
	emit_str(em, "type", type, __builtin_strlen(type));
	emit_str(em, "target", target, __builtin_strlen(target));
	emit_s64(em, "symbol_offset", r->symbol_offset);
	emit_s64(em, "addend", r->addend);
	emit_end(em, false);
}

static void emit_field(struct emitter *em, const struct hvp_bundle_view *v,
		       const struct hvp_field *f)
{
	static const char *const kinds[] = {
		[HVP_FIELD_SLIDE] = "slide",
		[HVP_FIELD_ONE_OF] = "one_of",
		[HVP_FIELD_SLIDE_NEG] = "slide_neg",
	};
	const char *kind = kinds[f->kind]; /* the parser checked it */

	emit_begin(em, NULL, false);
	emit_u64(em, "offset", f->offset);
	emit_str(em, "kind", kind, __builtin_strlen(kind));
	emit_u64(em, "length", f->length);
	if (f->kind == HVP_FIELD_ONE_OF)
		emit_hex(em, "encodings", v->data + f->encodings_offset,
			 (size_t)f->encoding_count * f->length);
	else
		emit_s64(em, "value", f->value);
	emit_end(em, false);
}

static void emit_replacement(struct emitter *em,
			     const struct hvp_bundle_view *v,
			     const struct hvp_replacement *r)
{
	emit_begin(em, NULL, false);
	emit_str(em, "name", hvp_replacement_name(v, r), r->name_len);
	emit_u64(em, "function_offset", r->function_offset);
	emit_u64(em, "function_size", r->function_size);
	emit_hex(em, "function_sha256", r->function_sha256,
		 sizeof(r->function_sha256));
	emit_u64(em, "site_offset", r->site_offset);
	emit_hex(em, "preimage", r->preimage, r->preimage_len);
	emit_u64(em, "code_len", r->code_len);
	emit_u64(em, "entry_offset", r->entry_offset);
	emit_hex(em, "code", hvp_replacement_code(v, r), r->code_len);
	emit_begin(em, "relocations", true);
	for (uint32_t i = 0; i < r->reloc_count; i++)
		emit_reloc(em, &hvp_replacement_relocs(v, r)[i]);
	emit_end(em, true);
	emit_begin(em, "fields", true);
	for (uint32_t i = 0; i < r->field_count; i++)
		emit_field(em, v, &hvp_replacement_fields(v, r)[i]);
	emit_end(em, true);
	emit_end(em, false);
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct emitter em = { .first = true };
	struct hvp_bundle_view v;
	const struct hvp_bundle_header *h;
	struct buffer buf;
	bool is_signed;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': em.json = true; break;
		case 'h': usage(); return EXIT_OK;
		default: usage(); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage();
		return EXIT_USAGE;
	}
	if (!load_bundle(argv[optind], true, &buf, &v, &is_signed))
		return EXIT_INPUT;
	h = v.header;

	emit_begin(&em, NULL, false);
	emit_u64(&em, "format_version", h->format_version);
	emit_u64(&em, "sequence", h->sequence);
	emit_hex(&em, "key_id", h->key_id, sizeof(h->key_id));
	emit_hex(&em, "build_id", h->build_id, h->build_id_len);
	emit_str(&em, "description", (const char *)v.data + h->description_offset,
		 h->description_len);
	emit_u64(&em, "signed_size", h->signed_size);
	emit_str(&em, "signature", is_signed ? "ecdsa-p256-sha256" : "none",
		 is_signed ? 17 : 4);
	if (is_signed)
		emit_hex(&em, "signature_der", v.signature_der,
			 v.signature->der_len);
	emit_begin(&em, "replacements", true);
	for (uint32_t i = 0; i < h->replacement_count; i++)
		emit_replacement(&em, &v, &v.replacements[i]);
	emit_end(&em, true);
	emit_end(&em, false);
	return EXIT_OK;
}
