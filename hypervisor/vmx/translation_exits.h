/* SPDX-License-Identifier: MIT */
/*
 * Translation pinning in VMX root (patch/translation.h has the policy):
 * MOV to CR3 exits once locked, and EPT violations on guarded or cached
 * paging-structure pages are emulated, refused or handed back here.
 */
#ifndef HVPATCH_VMX_TRANSLATION_EXITS_H
#define HVPATCH_VMX_TRANSLATION_EXITS_H

#include <stdint.h>

#include "vmx/exit.h"

/* Turns on CR3-load exiting on v (with the CR pinning, once locked). */
void hvp_translation_apply(struct vcpu *v);

/* At lock, with the others held: every vCPU's current CR3 is verified
 * and cached, so each is known before CR3-load exiting starts. */
void hvp_translation_adopt_vcpus(struct vcpu *self);

enum exit_action hvp_translation_mov_to_cr3(struct vcpu *v, uint64_t value);

/* A write EPT stopped at gpa, in a page patch/translation.c owns. */
enum exit_action hvp_translation_ept_write(struct vcpu *v, struct guest_regs *r,
					   uint64_t gpa, uint64_t qualification);

#endif /* HVPATCH_VMX_TRANSLATION_EXITS_H */
