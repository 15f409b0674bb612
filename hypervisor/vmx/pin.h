/* SPDX-License-Identifier: MIT */
/*
 * Entry points and control state pinned at lock, per vCPU: IDTR and GDTR,
 * the system-call MSRs and EFER.NXE, and execute breakpoints on protected
 * memory.  Each vCPU takes its pins at its first exit after lock, while
 * the locking vCPU still holds it in VMX root (vmx/hypercall.c), so no
 * guest instruction runs between lock and its pins.
 */
#ifndef HVPATCH_VMX_PIN_H
#define HVPATCH_VMX_PIN_H

#include <stdbool.h>
#include <stdint.h>

#include "hvpatch/abi.h"
#include "vmx/exit.h"

/* Takes on the pins once the protected set is locked; a no-op after. */
void hvp_pin_apply(struct vcpu *v);

/* INIT after lock: the pins rest until the vCPU is back in the state they
 * hold. */
void hvp_pin_restart(struct vcpu *v);

/* Is msr one whose writes the pins decide (the syscall MSRs, EFER)? */
bool hvp_pin_msr(uint32_t msr);

/* WRMSR of such an MSR: done as the CPU would, unless it changes a
 * pinned value, which is refused. */
enum exit_action hvp_pin_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value);

/* Logs, counts and audits a refused change of pinned state, and answers
 * the guest with #GP; value is the MSR, or the
 * address (table base, breakpoint) asked for. */
enum exit_action hvp_pin_refuse(struct vcpu *v, enum hvp_pinned what,
				uint64_t value);

/* Turns off, with a refusal each, the execute breakpoints that lock found
 * on protected memory in this vCPU's debug registers (vmx/exit_dr.c). */
void hvp_dr_drop_protected_breakpoints(struct vcpu *v);

#endif /* HVPATCH_VMX_PIN_H */
