/* SPDX-License-Identifier: MIT */
/*
 * hvpatch.conf: the loader's configuration, `key = value` lines with `#`
 * comments.  Parsed from a byte buffer with no firmware calls, so that the
 * host tests cover every case.  A bad line is reported and skipped; what
 * is missing keeps its safe default (fail-closed, no keys).
 *
 *   next_stage = \EFI\debian\grubx64.efi    path on the loader's volume
 *   next_stage_options = console=ttyS0 ...  its load options
 *   policy = fail-closed | fail-open         when VT-x cannot be used
 *   log_level = error | warn | info | debug
 *   kernel_exec = approved | any             with MBEC, what a kernel fetch
 *                                            from code not approved at lock
 *                                            gets: refused, or allowed
 *   key = \EFI\hvpatch\keys\fleet.pem        PEM public key, may repeat
 */
#ifndef HVPATCH_LOADER_CONFIG_H
#define HVPATCH_LOADER_CONFIG_H

#include <stddef.h>

#include "lib/kernel_exec_mode.h"
#include "lib/log_level.h"

#define HVP_CONFIG_PATH_MAX 256
#define HVP_CONFIG_OPTIONS_MAX 1024
#define HVP_CONFIG_MAX_KEYS 8
#define HVP_CONFIG_MAX_PROBLEMS 8
#define HVP_CONFIG_PROBLEM_LEN 120

#define HVP_DEFAULT_NEXT_STAGE "\\EFI\\BOOT\\grubx64.efi"

enum hvp_policy { HVP_POLICY_FAIL_CLOSED, HVP_POLICY_FAIL_OPEN };

struct hvp_loader_config {
	char next_stage[HVP_CONFIG_PATH_MAX];
	char next_stage_options[HVP_CONFIG_OPTIONS_MAX];
	enum hvp_policy policy;
	enum hvp_log_level log_level;
	enum hvp_kernel_exec_mode kernel_exec;
	unsigned int key_count;
	char keys[HVP_CONFIG_MAX_KEYS][HVP_CONFIG_PATH_MAX];
	/* What was wrong with the file, one line each, for the boot log. */
	unsigned int problem_count;
	char problems[HVP_CONFIG_MAX_PROBLEMS][HVP_CONFIG_PROBLEM_LEN];
};

/* The defaults: what a missing file gives. */
void hvp_config_defaults(struct hvp_loader_config *cfg);

/* Defaults, then every valid line of text[0..len). */
void hvp_config_parse(struct hvp_loader_config *cfg, const char *text,
		      size_t len);

const char *hvp_policy_name(enum hvp_policy policy);
const char *hvp_log_level_name(enum hvp_log_level level);

#endif /* HVPATCH_LOADER_CONFIG_H */
