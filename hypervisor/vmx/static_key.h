/* SPDX-License-Identifier: MIT */
/*
 * Static-key switches in locked text, for the EPT-violation handler: a
 * blocked kernel write that is a step of switching a static key is
 * performed by the hypervisor instead (vmx/static_key.c).
 */
#ifndef HVPATCH_VMX_STATIC_KEY_H
#define HVPATCH_VMX_STATIC_KEY_H

#include <stdint.h>

#include "vmx/vcpu.h"

enum hvp_static_key_result {
	HVP_STATIC_KEY_DONE,        /* written, the instruction skipped */
	HVP_STATIC_KEY_RETRY,       /* the engine is busy: resume, unchanged */
	HVP_STATIC_KEY_NOT_A_SWITCH /* block it like any other write */
};

enum hvp_static_key_result hvp_static_key_write(struct vcpu *v,
						struct guest_regs *r,
						uint64_t gpa);

#endif /* HVPATCH_VMX_STATIC_KEY_H */
