/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HVPATCH_HC_H
#define HVPATCH_HC_H

#include <linux/types.h>

/* True when CPUID leaf 0x40000000 names the hvpatch hypervisor. */
bool hvp_hc_detect(u32 *abi_version);

/*
 * One VMCALL: RAX = nr, RBX = a1, RCX = a2.  Returns the hypervisor's
 * status (RAX) and stores RBX in *result (if not NULL).  Returns
 * -EOPNOTSUPP, not a status, when the VMCALL itself faulted (#UD: a
 * hypervisor without hypercalls, or none at all).
 */
long hvp_hc_call(u64 nr, u64 a1, u64 a2, u64 *result);

#endif
