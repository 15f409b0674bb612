/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's log: every line goes to COM1 and into an in-memory
 * ring that the guest agent reads with HVP_HC_LOG_READ.  Lines start with "HVPATCH: " so
 * that they stand out among the guest's own serial output.
 */
#ifndef HVPATCH_VMX_LOG_H
#define HVPATCH_VMX_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/log_level.h"

#define HVP_LOG_RING_SIZE (64u * 1024u)

void hvp_log_init(enum hvp_log_level threshold);
void hvp_vlog(enum hvp_log_level level, const char *fmt, va_list ap);
void hvp_log(enum hvp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Up to `max` bytes of the ring from stream offset `from` (or the oldest
 * byte still held); *start is where they begin, *written the stream's
 * length.  See struct hvp_log_page. */
size_t hvp_log_read(uint64_t from, char *out, size_t max, uint64_t *start,
		    uint64_t *written);

#define hvp_error(...) hvp_log(HVP_LOG_ERROR, __VA_ARGS__)
#define hvp_warn(...) hvp_log(HVP_LOG_WARN, __VA_ARGS__)
#define hvp_info(...) hvp_log(HVP_LOG_INFO, __VA_ARGS__)
#define hvp_debug(...) hvp_log(HVP_LOG_DEBUG, __VA_ARGS__)

#endif /* HVPATCH_VMX_LOG_H */
