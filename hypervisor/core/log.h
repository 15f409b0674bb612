/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's log: every line goes to COM1 and into an in-memory
 * ring that the status hypercalls read.  Lines start with "HVPATCH: " so
 * that they stand out among the guest's own serial output.
 */
#ifndef HVPATCH_CORE_LOG_H
#define HVPATCH_CORE_LOG_H

#include <stdarg.h>

#include "lib/log_level.h"

#define HVP_LOG_RING_SIZE (64u * 1024u)

void hvp_log_init(enum hvp_log_level threshold);
void hvp_vlog(enum hvp_log_level level, const char *fmt, va_list ap);
void hvp_log(enum hvp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define hvp_error(...) hvp_log(HVP_LOG_ERROR, __VA_ARGS__)
#define hvp_warn(...) hvp_log(HVP_LOG_WARN, __VA_ARGS__)
#define hvp_info(...) hvp_log(HVP_LOG_INFO, __VA_ARGS__)
#define hvp_debug(...) hvp_log(HVP_LOG_DEBUG, __VA_ARGS__)

#endif /* HVPATCH_CORE_LOG_H */
