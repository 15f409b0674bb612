/* SPDX-License-Identifier: MIT */
/*
 * The audit log: security-relevant events, each numbered from 1 across
 * the boot so that a reader sees what it missed.  Events are kept in two
 * rings that share the numbering:
 *  - the guarded ring: registration, lock, apply, revert, blocked writes,
 *    refused bundles and every other refusal of what a call asked for;
 *  - the floodable ring: refusals of a call itself that any caller can
 *    provoke at will, ring 3 included (a VMCALL from user mode, an
 *    unknown call number, an answer page that is not plain RAM).
 * However many floodable events arrive, they only ever overwrite each
 * other, never a guarded one.  Oldest is overwritten first in each ring.
 */
#ifndef HVPATCH_PATCH_AUDIT_H
#define HVPATCH_PATCH_AUDIT_H

#include <stdint.h>

#include "hvpatch/abi.h"

#define HVP_AUDIT_ENTRIES 256u
#define HVP_AUDIT_FLOODABLE_ENTRIES 32u

enum hvp_audit_ring {
	HVP_AUDIT_GUARDED,
	HVP_AUDIT_FLOODABLE,
	HVP_AUDIT_RINGS
};

struct hvp_audit {
	uint64_t last_serial; /* serial of the newest event, 0 before any */
	uint64_t stored[HVP_AUDIT_RINGS]; /* events ever put in each ring */
	struct hvp_audit_event guarded[HVP_AUDIT_ENTRIES];
	struct hvp_audit_event floodable[HVP_AUDIT_FLOODABLE_ENTRIES];
};

void hvp_audit_record(struct hvp_audit *audit, enum hvp_audit_ring ring,
		      const struct hvp_audit_event *ev);

/*
 * Copies up to max events with serial >= from, oldest first, from both
 * rings; returns how many.  Events already overwritten are skipped.
 */
uint32_t hvp_audit_read(const struct hvp_audit *audit, uint64_t from,
			struct hvp_audit_event *out, uint32_t max);

/* Events of a ring that were overwritten before anyone could read them. */
uint64_t hvp_audit_overwritten(const struct hvp_audit *audit,
			       enum hvp_audit_ring ring);

#endif /* HVPATCH_PATCH_AUDIT_H */
