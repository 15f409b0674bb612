/* SPDX-License-Identifier: MIT */
/*
 * The patch engine (hypervisor/patch/), hosted in VMX root: its platform
 * interface on real hardware, the keys the loader enrolled, and what the
 * rest of the hypervisor asks of it.
 */
#ifndef HVPATCH_CORE_PATCH_HOST_H
#define HVPATCH_CORE_PATCH_HOST_H

#include <stdbool.h>

#include "core/vcpu.h"
#include "patch/engine.h"

extern struct hvp_engine hv_engine;

/* Once, at setup: the platform, and the loader's keys. */
bool hvp_patch_host_init(void);
/* Called by the hypercall layer around engine calls, so that the
 * platform knows which vCPU is the initiator. */
void hvp_patch_host_enter(struct vcpu *v);

#endif /* HVPATCH_CORE_PATCH_HOST_H */
