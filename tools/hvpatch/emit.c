// SPDX-License-Identifier: MIT
#include "emit.h"

#include <inttypes.h>
#include <stdio.h>

static void member(struct emitter *em, const char *name)
{
	if (em->json) {
		printf("%s\n%*s", em->first ? "" : ",", 2 * em->depth, "");
		if (name)
			printf("\"%s\": ", name);
	} else {
		printf("%*s", 2 * em->depth, "");
		if (name)
			printf("%-18s ", name);
	}
	em->first = false;
}

void emit_begin(struct emitter *em, const char *name, bool array)
{
	if (em->json) {
		if (em->depth > 0 || !em->first)
			member(em, name);
		putchar(array ? '[' : '{');
	} else if (name) {
		printf("%*s%s:\n", 2 * em->depth, "", name);
	}
	em->depth++;
	em->first = true;
}

void emit_end(struct emitter *em, bool array)
{
	em->depth--;
	if (em->json)
		printf("\n%*s%c", 2 * em->depth, "", array ? ']' : '}');
	if (em->json && em->depth == 0)
		putchar('\n');
	em->first = false;
}

void emit_u64(struct emitter *em, const char *name, uint64_t value)
{
	member(em, name);
	printf(em->json ? "%" PRIu64 : "%" PRIu64 "\n", value);
}

void emit_s64(struct emitter *em, const char *name, int64_t value)
{
	member(em, name);
	printf(em->json ? "%" PRId64 : "%" PRId64 "\n", value);
}

void emit_hex(struct emitter *em, const char *name, const uint8_t *bytes,
	      size_t len)
{
	member(em, name);
	if (em->json)
		putchar('"');
	for (size_t i = 0; i < len; i++)
		printf("%02x", bytes[i]);
	if (em->json)
		putchar('"');
	else
		putchar('\n');
}

void emit_str(struct emitter *em, const char *name, const char *s, size_t len)
{
	member(em, name);
	if (!em->json) {
		printf("%.*s\n", (int)len, s);
		return;
	}
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}
