/* SPDX-License-Identifier: MIT */
/*
 * hvpatchctl internals, split so that the host can test them:
 *   hvpctl_format.c  status names, text and JSON output (pure functions)
 *   hvpctl_dev.c     the real /dev/hvpatch backend (open + ioctl)
 *   hvpctl_mock.c    a canned backend for host tests
 *   hvpatchctl.c     argument parsing, commands, exit codes
 */
#ifndef HVPCTL_H
#define HVPCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "hvpatch_ioctl.h"

/* Exit codes. */
enum {
	HVPCTL_EXIT_OK = 0,
	HVPCTL_EXIT_USAGE = 1,
	HVPCTL_EXIT_IO = 2,      /* cannot open/read: no device, no hypervisor */
	HVPCTL_EXIT_REFUSED = 3, /* the hypervisor refused the call */
};

/* --- backend: the only place that touches the device ------------------ */
/* Both return 0 or a negative errno. */
int hvpctl_dev_open(void);
int hvpctl_dev_ioctl(unsigned long cmd, void *arg);

/* --- formatting -------------------------------------------------------- */
/* "HVP_E_BAD_SIGNATURE"; an unknown code gives "HVP_E_UNKNOWN". */
const char *hvpctl_status_name(hvp_u32 status);
/* "signature does not verify"; unknown: "unknown status code". */
const char *hvpctl_status_text(hvp_u32 status);
/* "APPLY", "REFUSAL", ...; unknown: "UNKNOWN". */
const char *hvpctl_audit_type_name(hvp_u16 type);
/* SDM Vol. 3D appendix C name ("CPUID") or NULL. */
const char *hvpctl_exit_reason_name(unsigned int reason);

/* A message for a failed device call (negative errno), e.g.
 * "no hvpatch hypervisor (this kernel runs unprotected)". */
const char *hvpctl_errno_message(int err);

/* JSON string body with escapes (no quotes added). */
void hvpctl_json_string(FILE *f, const char *s);

void hvpctl_print_status(FILE *f, const struct hvp_status_info *st, bool json);
void hvpctl_print_list(FILE *f, const struct hvp_patch_info *p, unsigned int n, bool json);
/* Audit events; JSON prints them as one array.  drops (the counters)
 * says what the reader cannot see: refusals only counted (rate limit)
 * and events overwritten in the ring. */
void hvpctl_print_audit(FILE *f, const struct hvp_audit_event *ev, unsigned int n,
			const struct hvp_counters *drops, bool json);
void hvpctl_print_counters(FILE *f, const struct hvp_counters *c, bool json);
/* The hypervisor's log text (len bytes, NUL-terminated): bytes [start,
 * end) of everything it logged, asked for from `requested`; start beyond
 * it means the ring had dropped the bytes in between, which is said, as
 * are the refusals drops (the counters) says were never logged. */
void hvpctl_print_hvlog(FILE *f, const char *text, size_t len, hvp_u64 requested,
			hvp_u64 start, hvp_u64 end, const struct hvp_counters *drops,
			bool json);
void hvpctl_print_applied(FILE *f, hvp_u32 patch_id, bool json);
void hvpctl_print_reverted(FILE *f, hvp_u32 patch_id, bool json);
/* "REFUSED: <NAME>: <text>" or {"ok":false,"status":...}. */
void hvpctl_print_refusal(FILE *f, const char *cmd, hvp_u32 status, bool json);
/* {"ok":false,"error":...} for JSON; text goes to stderr by the caller. */
void hvpctl_print_error_json(FILE *f, const char *cmd, int err);

#endif
