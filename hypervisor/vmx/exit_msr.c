// SPDX-License-Identifier: MIT
/*
 * RDMSR and WRMSR exit for the MSRs the bitmap intercepts and for every
 * MSR outside the bitmap's two ranges (SDM Vol. 3C, 26.1.3).  Emulates:
 *  - IA32_FEATURE_CONTROL: reads as locked with VMX off, matching the
 *    CPUID leaf 1 that hides VMX; writes #GP, as on a locked MSR;
 *  - the VMX capability MSRs: #GP, as on a CPU without VMX;
 *  - IA32_BIOS_SIGN_ID: writes are dropped, reads give the real
 *    revision, or a high one where the CPU reports none (so that Linux
 *    does not try to load microcode it cannot apply);
 *  - the x2APIC ICR (writes): INIT and STARTUP IPIs are delivered in
 *    software (vmx/apic.c), every other IPI is sent as written;
 *  - after lock, the system-call MSRs and IA32_EFER: vmx/pin.c;
 *  - any MSR outside the bitmap ranges: #GP.  None exists on the CPUs
 *    hvpatch supports, and trying one in VMX root could fault there.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "vmx/apic.h"
#include "vmx/exit.h"
#include "vmx/pin.h"

#define HIGH_MICROCODE_REVISION 0x7fffffffull


enum exit_action hvp_exit_rdmsr(struct vcpu *v, struct guest_regs *r)
{
	uint32_t msr = (uint32_t)r->rcx;
	uint64_t value;

	if (msr == MSR_IA32_FEATURE_CONTROL) {
		value = FEATURE_CONTROL_LOCKED;
	} else if (msr == MSR_IA32_BIOS_SIGN_ID) {
		value = rdmsr(MSR_IA32_BIOS_SIGN_ID);
		if (!(value >> 32))
			value = HIGH_MICROCODE_REVISION << 32;
	} else {
		return hvp_inject_gp(); /* VMX MSRs, or no such MSR */
	}
	r->rax = (uint32_t)value;
	r->rdx = value >> 32;
	return EXIT_SKIP_INSTRUCTION;
}

enum exit_action hvp_exit_wrmsr(struct vcpu *v, struct guest_regs *r)
{
	uint32_t msr = (uint32_t)r->rcx;

	if (hvp_pin_msr(msr))
		return hvp_pin_wrmsr(v, msr, (r->rdx << 32) | (uint32_t)r->rax);
	if (msr == MSR_IA32_BIOS_SIGN_ID)
		return EXIT_SKIP_INSTRUCTION;
	if (msr == MSR_X2APIC_ICR)
		return hvp_apic_x2apic_icr_write(v, (r->rdx << 32) | (uint32_t)r->rax);
	return hvp_inject_gp(); /* FEATURE_CONTROL (locked), VMX MSRs, unknown */
}
