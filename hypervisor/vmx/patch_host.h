/* SPDX-License-Identifier: MIT */
/*
 * The patch engine (hypervisor/patch/), hosted in VMX root: its platform
 * interface on real hardware, the keys the loader enrolled, and what the
 * rest of the hypervisor asks of it.
 */
#ifndef HVPATCH_VMX_PATCH_HOST_H
#define HVPATCH_VMX_PATCH_HOST_H

#include <stdbool.h>

#include "vmx/vcpu.h"
#include "patch/engine.h"

extern struct hvp_engine hv_engine;

/* Once, at setup, after the EPT identity map: the platform, the loader's
 * keys and kernel_exec (patch/kernel_exec.h).  False when out of memory. */
bool hvp_patch_host_init(void);
/*
 * One engine call at a time, from any vCPU: hypercalls and static-key
 * switches.  False while another is in progress; the caller must not spin
 * for it in VMX root, where the other may be waiting to hold this vCPU.
 * The platform takes v as the initiator that holds the others.
 */
bool hvp_patch_host_try_enter(struct vcpu *v);
void hvp_patch_host_leave(void);

#endif /* HVPATCH_VMX_PATCH_HOST_H */
