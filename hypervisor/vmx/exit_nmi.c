// SPDX-License-Identifier: MIT
/*
 * NMIs belong to the guest, except the ones the hypervisor sends itself
 * to pull a CPU into VMX root (vmx/apic.c), which are counted apart.  With NMI exiting on, an NMI in VMX non-root
 * operation exits instead of being delivered (SDM Vol. 3C, 26.2); one
 * arriving in VMX root runs the host IDT's handler.  Either way it is
 * counted as pending and injected at the next VM entry, or, while the
 * guest blocks NMIs, as soon as an NMI window opens (25.6.2,
 * "NMI-window exiting"; 27.6, event injection).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "vmx/exit.h"
#include "vmx/log.h"

/* Called by the host IDT on an NMI in VMX root. */
void hvp_host_nmi(void)
{
	struct vcpu *v = this_vcpu();

	if (!hvp_apic_take_kick(v))
		__atomic_add_fetch(&v->pending_nmis, 1, __ATOMIC_RELAXED);
}

enum exit_action hvp_exit_nmi(struct vcpu *v, struct guest_regs *r)
{
	uint32_t info = (uint32_t)vmread(EXIT_INTERRUPTION_INFO);

	/* After lock the exception bitmap holds #BP (vmx/exit_breakpoint.c);
	 * nothing else comes here. */
	if ((info & INTR_TYPE_MASK) == INTR_TYPE_SOFTWARE_EXCEPTION &&
	    INTR_INFO_VECTOR(info) == VECTOR_BP)
		return hvp_exit_breakpoint(v, r);
	if ((info & INTR_TYPE_MASK) != INTR_TYPE_NMI)
		hvp_fatal_guest_state(v, "unexpected exception exit");
	cpu_unblock_nmis();
	/* Our own kick only had to bring the CPU here. */
	if (!hvp_apic_take_kick(v))
		__atomic_add_fetch(&v->pending_nmis, 1, __ATOMIC_RELAXED);
	return EXIT_RESUME;
}

enum exit_action hvp_exit_nmi_window(struct vcpu *v, struct guest_regs *r)
{
	vmwrite(PROC_BASED_CONTROLS,
		vmread(PROC_BASED_CONTROLS) & ~(uint64_t)PROC_NMI_WINDOW_EXITING);
	return EXIT_RESUME;
}

void hvp_deliver_pending_nmi(struct vcpu *v)
{
	uint64_t blocking = vmread(GUEST_INTERRUPTIBILITY);

	/* Nothing may be injected into the wait-for-SIPI state (SDM Vol.
	 * 3C, 27.3.1.5, checks on guest non-register state): the NMIs wait
	 * for the SIPI. */
	if (!v->pending_nmis ||
	    vmread(GUEST_ACTIVITY_STATE) == ACTIVITY_WAIT_FOR_SIPI)
		return;
	/* One event per entry: a re-injected one goes first. */
	if ((vmread(ENTRY_INTERRUPTION_INFO) & INTR_INFO_VALID) ||
	    (blocking & (INTERRUPTIBILITY_BLOCKING_BY_NMI |
			     INTERRUPTIBILITY_BLOCKING_BY_INSTRUCTION))) {
		vmwrite(PROC_BASED_CONTROLS,
			vmread(PROC_BASED_CONTROLS) | PROC_NMI_WINDOW_EXITING);
		return;
	}
	__atomic_sub_fetch(&v->pending_nmis, 1, __ATOMIC_RELAXED);
	vmwrite(ENTRY_INTERRUPTION_INFO, INTR_INFO_VALID | INTR_TYPE_NMI | VECTOR_NMI);
}
