/* SPDX-License-Identifier: MIT */
/*
 * The boot log: every line to COM1 (prefixed "HVPATCH: ") and, from the
 * BSP, to the firmware console too, so a person at the screen sees why a
 * machine did not boot.  Safe to call from application processors, which
 * write only to COM1.
 */
#ifndef HVPATCH_LOADER_LOG_H
#define HVPATCH_LOADER_LOG_H

#include <stdbool.h>

#include "lib/log_level.h"

void loader_log_init(enum hvp_log_level threshold);
void loader_log(enum hvp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* From an AP: COM1 only (firmware services are not MP-safe). */
void loader_log_ap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* HVPATCH_LOADER_LOG_H */
