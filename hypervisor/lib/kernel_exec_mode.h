/* SPDX-License-Identifier: MIT */
/*
 * What a kernel fetch from a page not approved at lock gets, where
 * mode-based execute control is in force: hvpatch.conf's `kernel_exec`,
 * handed from the loader to the hypervisor (boot.h) and to the patch
 * engine (patch/kernel_exec.h).
 */
#ifndef HVPATCH_LIB_KERNEL_EXEC_MODE_H
#define HVPATCH_LIB_KERNEL_EXEC_MODE_H

enum hvp_kernel_exec_mode {
	HVP_KERNEL_EXEC_APPROVED = 0, /* refused and logged: the default */
	HVP_KERNEL_EXEC_ANY = 1,      /* allowed and logged */
};

static inline const char *hvp_kernel_exec_name(unsigned int mode)
{
	return mode == HVP_KERNEL_EXEC_ANY ? "any" : "approved";
}

#endif /* HVPATCH_LIB_KERNEL_EXEC_MODE_H */
