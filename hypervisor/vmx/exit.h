/* SPDX-License-Identifier: MIT */
/* VM-exit handling: the dispatcher, the handlers and their helpers. */
#ifndef HVPATCH_VMX_EXIT_H
#define HVPATCH_VMX_EXIT_H

#include <stdint.h>

#include "arch/x86/regs.h"
#include "arch/x86/vmcs.h"
#include "arch/x86/vmx.h"
#include "vmx/vcpu.h"

enum exit_action {
	EXIT_RESUME,         /* the guest goes on at the same RIP */
	EXIT_SKIP_INSTRUCTION, /* the instruction was emulated: skip it */
};

typedef enum exit_action (*exit_handler)(struct vcpu *v, struct guest_regs *r);

/* The exit table (exit_table.c): a handler and a name per basic exit
 * reason that the controls hvpatch sets can produce; the others are
 * { NULL, NULL }. */
struct exit_entry {
	exit_handler handler;
	const char *name;
};
extern const struct exit_entry hvp_exit_table[EXIT_REASON_COUNT];

/* --- Helpers for the handlers (exit_helpers.c) --------------------- */

/* The guest's privilege level: CPL is SS.DPL (SDM Vol. 3A, 5.5). */
unsigned int hvp_guest_cpl(void);

/* General register n in the encoding of exit qualifications and
 * instructions (arch/x86/entry.h); RSP comes from the VMCS. */
uint64_t hvp_guest_gpr(const struct guest_regs *r, unsigned int n);
void hvp_guest_set_gpr(struct guest_regs *r, unsigned int n, uint64_t value);

/* Queues an exception for the next VM entry (SDM Vol. 3C, 27.6, event
 * injection). */
void hvp_inject_exception(unsigned int vector, bool has_error_code,
			  uint32_t error_code);
static inline enum exit_action hvp_inject_ud(void)
{
	hvp_inject_exception(VECTOR_UD, false, 0);
	return EXIT_RESUME;
}
static inline enum exit_action hvp_inject_gp(void)
{
	hvp_inject_exception(VECTOR_GP, true, 0);
	return EXIT_RESUME;
}

/* Counts one exit of this basic reason on v. */
void hvp_count_exit(struct vcpu *v, uint32_t basic_reason);
void hvp_print_exit_counters(void);

/* Logs the reason, the guest state that matters and the exit counters,
 * then stops this CPU: nothing is left to resume. */
__attribute__((noreturn)) void hvp_fatal_guest_state(struct vcpu *v,
						     const char *why);

/* --- The handlers, one per emulated event ------------------------- */
enum exit_action hvp_exit_cpuid(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_rdmsr(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_wrmsr(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_cr_access(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_xsetbv(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_invd(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_vmx_instruction(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_init(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_sipi(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_nmi(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_nmi_window(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_ept_violation(struct vcpu *v, struct guest_regs *r);

/* The hypervisor's reserved region (exit_hvmem.c): is gpa in it, and a
 * read of it answered with a page of zeros. */
bool hvp_hvmem_owns(uint64_t gpa);
enum exit_action hvp_hvmem_read(struct vcpu *v, uint64_t gpa);
enum exit_action hvp_exit_ept_misconfig(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_triple_fault(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_io(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_vmcall(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_mov_dr(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_gdtr_idtr(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_ldtr_tr(struct vcpu *v, struct guest_regs *r);
enum exit_action hvp_exit_breakpoint(struct vcpu *v, struct guest_regs *r);

/* A guest write to the PM1a control port (exit_shutdown.c). */
void hvp_pm1a_write(uint32_t value);

/* Takes on CR pinning once the protected set is locked (exit_cr.c). */
void hvp_cr_pinning_apply(struct vcpu *v);

/* Puts the vCPU in the state INIT leaves (SDM Vol. 3A, table 10-1), in
 * real mode at `start`; the caller sets the activity state. */
void hvp_vcpu_reset(struct vcpu *v, struct guest_regs *r, uint32_t start);

/* Delivers NMIs that arrived in VMX root, or asks for an NMI window. */
void hvp_deliver_pending_nmi(struct vcpu *v);

#endif /* HVPATCH_VMX_EXIT_H */
