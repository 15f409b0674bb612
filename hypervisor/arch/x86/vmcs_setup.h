/* SPDX-License-Identifier: MIT */
#ifndef HVPATCH_X86_VMCS_SETUP_H
#define HVPATCH_X86_VMCS_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/vcpu.h"

/*
 * Fills the current VMCS so that the guest continues exactly where the
 * calling CPU is now (the UEFI firmware's state), and the host runs on
 * this vCPU's own stack, tables and page tables.  Returns false, having
 * logged the field, if a VMWRITE fails.
 */
bool hvp_vmcs_setup(struct vcpu *v);

/* CR0/CR4 as the guest asked, adjusted to what VMX operation requires
 * (SDM Vol. 3C, 24.8, restrictions on VMX operation; with unrestricted
 * guest, PE and PG may be 0). */
uint64_t hvp_guest_cr0(uint64_t wanted);

/* Makes WRMSR of msr exit; false for an MSR the bitmap cannot name, whose
 * writes exit anyway. */
bool hvp_msr_bitmap_intercept_write(uint8_t *bitmap, uint32_t msr);
uint64_t hvp_guest_cr4(uint64_t wanted);

#endif /* HVPATCH_X86_VMCS_SETUP_H */
