/* SPDX-License-Identifier: MIT */
/*
 * A small vsnprintf for the loader's and the hypervisor's logs, which link
 * no libc.  Conversions: %s %c %d %i %u %x %X %p %%, with the flags '0',
 * '-' and '#', a width, and the length modifiers l, ll and z.  Output is
 * always NUL-terminated and truncated to the buffer; the return value is
 * the length written.
 */
#ifndef HVPATCH_LIB_FORMAT_H
#define HVPATCH_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

size_t hvp_vformat(char *buf, size_t size, const char *fmt, va_list ap);
size_t hvp_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* HVPATCH_LIB_FORMAT_H */
