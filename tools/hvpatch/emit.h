/* SPDX-License-Identifier: MIT */
/*
 * One description of a bundle, two renderings: readable text for people
 * and JSON for fleet tools.  inspect walks the bundle once and the
 * emitter decides the syntax.
 */
#ifndef HVPATCH_TOOL_EMIT_H
#define HVPATCH_TOOL_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emitter {
	bool json;
	int depth;
	bool first; /* no comma before the next JSON member */
};

void emit_begin(struct emitter *em, const char *name, bool array);
void emit_end(struct emitter *em, bool array);
void emit_u64(struct emitter *em, const char *name, uint64_t value);
void emit_s64(struct emitter *em, const char *name, int64_t value);
void emit_hex(struct emitter *em, const char *name, const uint8_t *bytes,
	      size_t len);
void emit_str(struct emitter *em, const char *name, const char *s, size_t len);

#endif /* HVPATCH_TOOL_EMIT_H */
