/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the hvpatch subcommands. */
#ifndef HVPATCH_TOOL_UTIL_H
#define HVPATCH_TOOL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes, documented in `hvpatch --help`. */
enum tool_exit {
	EXIT_OK = 0,
	EXIT_USAGE = 1,    /* bad command line */
	EXIT_INPUT = 2,    /* unreadable or malformed input file */
	EXIT_REFUSED = 3,  /* the bundle does not verify */
	EXIT_INTERNAL = 4, /* out of memory, crypto failure, write failure */
};

struct buffer {
	uint8_t *data;
	size_t len;
};

void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads a whole file into an 8-byte aligned buffer; false on error. */
bool read_file(const char *path, struct buffer *out);
bool write_file(const char *path, const void *data, size_t len, int mode);

/* Parses hex (no separators) into at most max bytes; returns the length. */
bool parse_hex(const char *hex, uint8_t *out, size_t max, size_t *len);
void hex_string(const uint8_t *bytes, size_t len, char *out);


#endif /* HVPATCH_TOOL_UTIL_H */
