/* SPDX-License-Identifier: MIT */
/*
 * Holding every other vCPU in VMX root while one CPU changes what all of
 * them execute (a patch's trampolines, the EPT).  The initiator sends each
 * other CPU an NMI, which NMI exiting turns into a VM exit; each then
 * waits in VMX root, with its guest RIP recorded, flushing its EPT
 * translations when asked, until released.
 */
#ifndef HVPATCH_VMX_SMP_H
#define HVPATCH_VMX_SMP_H

#include <stdint.h>

#include "vmx/vcpu.h"
#include "hvpatch/abi.h"

/* HVP_E_BUSY if some CPU did not arrive in time (then none is held). */
enum hvp_status hvp_smp_hold_others(struct vcpu *self);
void hvp_smp_release_others(void);
/* Guest RIPs of every vCPU (held ones and the caller's). */
unsigned int hvp_smp_guest_rips(struct vcpu *self, uint64_t *rips,
				 unsigned int max);
/* INVEPT and a serializing instruction here and on every held CPU. */
void hvp_smp_flush_all(void);
/* On a held CPU, before each VM entry: waits while a hold is on. */
void hvp_smp_service(struct vcpu *v);

#endif /* HVPATCH_VMX_SMP_H */
