/* SPDX-License-Identifier: MIT */
/* Log levels, shared by the loader's config, the hypervisor's log and the
 * patch engine's platform interface. */
#ifndef HVPATCH_LIB_LOG_LEVEL_H
#define HVPATCH_LIB_LOG_LEVEL_H

enum hvp_log_level {
	HVP_LOG_ERROR = 0,
	HVP_LOG_WARN = 1,
	HVP_LOG_INFO = 2,
	HVP_LOG_DEBUG = 3,
};

#endif /* HVPATCH_LIB_LOG_LEVEL_H */
