// SPDX-License-Identifier: MIT
/*
 * INIT and SIPI, by which the firmware and the OS start application
 * processors.  In VMX non-root operation INIT does not reset the CPU; it
 * exits (SDM Vol. 3C, 26.2, other causes of VM exits).  Emulates the
 * reset: the vCPU enters the wait-for-SIPI activity state at once, since
 * Linux may send the SIPI right behind the INIT.  A SIPI then exits with
 * its vector (26.2), and the vCPU starts in real mode at vector << 12,
 * with the register state of SDM Vol. 3A, 10.1.1, table 10-1.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vmcs_setup.h"
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "vmx/exit.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/pin.h"

#define CR0_RESET 0x60000010ull /* CD, NW, ET */

static void real_mode_segment(enum vmcs_segment seg, uint16_t selector,
			      uint32_t access_rights)
{
	vmwrite(GUEST_SEG_SELECTOR(seg), selector);
	vmwrite(GUEST_SEG_BASE(seg), (uint64_t)selector << 4);
	vmwrite(GUEST_SEG_LIMIT(seg), 0xffff);
	vmwrite(GUEST_SEG_AR(seg), access_rights);
}

void hvp_vcpu_reset(struct vcpu *v, struct guest_regs *r, uint32_t start)
{
	hvp_pin_restart(v);
	for (int s = 0; s < SEG_COUNT; s++)
		real_mode_segment(s, 0, 0x93); /* read/write data, accessed */
	real_mode_segment(SEG_CS, (uint16_t)(start >> 4), 0x9b);
	real_mode_segment(SEG_LDTR, 0, 0x82);
	real_mode_segment(SEG_TR, 0, 0x8b);
	vmwrite(GUEST_GDTR_BASE, 0);
	vmwrite(GUEST_GDTR_LIMIT, 0xffff);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, 0xffff);
	v->guest_cr0 = CR0_RESET;
	v->guest_cr4 = 0;
	vmwrite(CR0_READ_SHADOW, CR0_RESET);
	vmwrite(CR4_READ_SHADOW, 0);
	vmwrite(GUEST_CR0, hvp_guest_cr0(CR0_RESET));
	vmwrite(GUEST_CR3, 0);
	vmwrite(GUEST_CR4, hvp_guest_cr4(0));
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_RSP, 0);
	vmwrite(GUEST_RIP, 0);
	vmwrite(GUEST_RFLAGS, 0x2);
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(ENTRY_CONTROLS, vmread(ENTRY_CONTROLS) & ~(uint64_t)ENTRY_IA32E_MODE_GUEST);
	/* INIT clears every blocking state and any event being delivered. */
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_PENDING_DEBUG_EXCEPTIONS, 0);
	vmwrite(ENTRY_INTERRUPTION_INFO, 0);
	*r = (struct guest_regs){ .rdx = cpuid(1, 0).eax };
}

enum exit_action hvp_exit_init(struct vcpu *v, struct guest_regs *r)
{
	hvp_vcpu_reset(v, r, 0);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_WAIT_FOR_SIPI);
	/* It runs no guest code until the SIPI: holds count it as held. */
	v->parked = true;
	hvp_debug("cpu %u: INIT, waiting for SIPI\n", v->index);
	return EXIT_RESUME;
}

enum exit_action hvp_exit_sipi(struct vcpu *v, struct guest_regs *r)
{
	uint8_t vector = SIPI_QUAL_VECTOR(vmread(EXIT_QUALIFICATION));

	hvp_vcpu_reset(v, r, (uint32_t)vector << 12);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	v->parked = false;
	/* Flushes were skipped while it waited (vmx/smp.c). */
	invept(INVEPT_ALL_CONTEXTS, 0);
	hvp_debug("cpu %u: SIPI, starting at 0x%x\n", v->index, (unsigned int)vector << 12);
	hvp_apic_window_update(v);
	return EXIT_RESUME;
}
