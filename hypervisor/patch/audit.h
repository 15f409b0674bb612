/* SPDX-License-Identifier: MIT */
/*
 * The audit ring: the last HVP_AUDIT_ENTRIES security-relevant events,
 * oldest overwritten first, each numbered so a reader sees what it missed.
 */
#ifndef HVPATCH_PATCH_AUDIT_H
#define HVPATCH_PATCH_AUDIT_H

#include <stdint.h>

#include "hvpatch/abi.h"

#define HVP_AUDIT_ENTRIES 256u

struct hvp_audit {
	uint64_t next_serial; /* serial of the next event, from 1 */
	struct hvp_audit_event ring[HVP_AUDIT_ENTRIES];
};

void hvp_audit_record(struct hvp_audit *audit, const struct hvp_audit_event *ev);

/*
 * Copies up to max events with serial >= from, oldest first; returns how
 * many.  Events already overwritten are skipped.
 */
uint32_t hvp_audit_read(const struct hvp_audit *audit, uint64_t from,
			struct hvp_audit_event *out, uint32_t max);

#endif /* HVPATCH_PATCH_AUDIT_H */
