// SPDX-License-Identifier: MIT
/*
 * Every VM exit comes through hvp_handle_exit(): count it, re-inject an
 * event whose delivery it interrupted, run its handler from the exit
 * table, then deliver NMIs that are due.  An exit with no handler should
 * not happen with the controls hvpatch sets; it is logged and stops the
 * CPU rather than being guessed at.  The stubs' other ways into C, a
 * failed VMRESUME and a host exception, end here too.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/entry.h"
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "vmx/exit.h"
#include "vmx/log.h"
#include "vmx/pin.h"
#include "vmx/smp.h"

/*
 * An exit during event delivery (an EPT violation on the IDT or the
 * stack, say) loses the event unless it is injected again (SDM Vol. 3C,
 * 28.2.4, information for VM exits during event delivery; 27.6).
 */
static void reinject_interrupted_event(void)
{
	uint32_t info = (uint32_t)vmread(IDT_VECTORING_INFO);

	if (!(info & INTR_INFO_VALID))
		return;
	if (info & INTR_INFO_DELIVER_ERROR_CODE)
		vmwrite(ENTRY_EXCEPTION_ERROR_CODE, vmread(IDT_VECTORING_ERROR_CODE));
	/* Software interrupts and exceptions need their length again. */
	vmwrite(ENTRY_INSTRUCTION_LENGTH, vmread(EXIT_INSTRUCTION_LENGTH));
	vmwrite(ENTRY_INTERRUPTION_INFO, info & ~INTR_INFO_NMI_UNBLOCKING);
}

static void skip_instruction(void)
{
	uint64_t rip = vmread(GUEST_RIP) + vmread(EXIT_INSTRUCTION_LENGTH);
	uint64_t interruptibility = vmread(GUEST_INTERRUPTIBILITY);

	vmwrite(GUEST_RIP, rip);
	/* Blocking by STI or MOV SS ends with the emulated instruction
	 * (SDM Vol. 3C, 25.4.2, table 25-3). */
	if (interruptibility & INTERRUPTIBILITY_BLOCKING_BY_INSTRUCTION)
		vmwrite(GUEST_INTERRUPTIBILITY,
			interruptibility & ~(uint64_t)INTERRUPTIBILITY_BLOCKING_BY_INSTRUCTION);
}

void hvp_handle_exit(struct guest_regs *r)
{
	struct vcpu *v = this_vcpu();
	uint32_t reason = (uint32_t)vmread(EXIT_REASON);
	uint32_t basic = EXIT_REASON_BASIC(reason);
	exit_handler handler;

	if (reason & EXIT_REASON_ENTRY_FAILURE)
		hvp_fatal_guest_state(v, basic == EXIT_ENTRY_FAIL_GUEST_STATE ?
				      "VM entry failed: invalid guest state" :
				      "VM entry failed");
	hvp_count_exit(v, basic);
	handler = basic < EXIT_REASON_COUNT ? hvp_exit_table[basic].handler : NULL;
	if (!handler) {
		hvp_error("cpu %u: unexpected exit reason %u\n", v->index, basic);
		hvp_fatal_guest_state(v, "unhandled VM exit");
	}
	reinject_interrupted_event();
	if (handler(v, r) == EXIT_SKIP_INSTRUCTION)
		skip_instruction();
	hvp_apic_service(v, r);
	hvp_smp_service(v);
	hvp_cr_pinning_apply(v);
	hvp_pin_apply(v);
	hvp_deliver_pending_nmi(v);
}

void hvp_vmresume_failed(void)
{
	struct vcpu *v = this_vcpu();

	hvp_error("cpu %u: VMRESUME failed, VM-instruction error %llu\n", v->index,
		  (unsigned long long)vmread(VM_INSTRUCTION_ERROR));
	hvp_fatal_guest_state(v, "cannot resume the guest");
}

/* An exception in VMX root: a hypervisor bug, never a guest's doing. */
void hvp_host_exception(const uint64_t *frame)
{
	hvp_error("host exception %llu, error code %llx, rip %llx, cr2 %llx\n",
		  (unsigned long long)frame[0], (unsigned long long)frame[1],
		  (unsigned long long)frame[2], (unsigned long long)read_cr2());
	cpu_halt_forever();
}
