/* SPDX-License-Identifier: MIT */
/*
 * What the engine tells about itself, in the ABI's own structures
 * (include/hvpatch/abi.h): the hypercall layer asks through these and
 * never reads the engine's fields.
 */
#ifndef HVPATCH_PATCH_REPORT_H
#define HVPATCH_PATCH_REPORT_H

#include "patch/engine.h"

/* The engine's part of HVP_HC_STATUS; the caller adds the CPU count,
 * the ABI version and the reserved range, which the engine does not
 * know. */
void hvp_engine_report_status(const struct hvp_engine *e,
			      struct hvp_status_info *s);

/* The applied patches, at most max of them, oldest slot first. */
uint32_t hvp_engine_list_patches(const struct hvp_engine *e,
				 struct hvp_patch_info *out, uint32_t max);

/* The engine's part of HVP_HC_COUNTERS; the caller adds the exits and
 * the blocked CR writes. */
void hvp_engine_report_counters(const struct hvp_engine *e,
				struct hvp_counters *c);

/* Audit events from serial `from` (or the oldest held), at most max. */
uint32_t hvp_engine_audit_read(const struct hvp_engine *e, uint64_t from,
			       struct hvp_audit_event *out, uint32_t max);

#endif /* HVPATCH_PATCH_REPORT_H */
