// SPDX-License-Identifier: MIT
/* Gathers the VMX facts of the CPU it runs on (SDM Vol. 3D, appendix A). */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx_caps.h"

#define CPUID_1_ECX_VMX (1u << 5)

void hvp_vmx_read_caps(struct hvp_vmx_caps *c)
{
	*c = (struct hvp_vmx_caps){ .cpuid_vmx = cpuid(1, 0).ecx & CPUID_1_ECX_VMX };
	/* The VMX MSRs #GP on a CPU without VMX: read none of them then. */
	if (!c->cpuid_vmx)
		return;
	c->feature_control = rdmsr(MSR_IA32_FEATURE_CONTROL);
	c->basic = rdmsr(MSR_IA32_VMX_BASIC);
	c->pinbased = rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
	c->procbased = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
	c->exit = rdmsr(MSR_IA32_VMX_EXIT_CTLS);
	c->entry = rdmsr(MSR_IA32_VMX_ENTRY_CTLS);
	c->misc = rdmsr(MSR_IA32_VMX_MISC);
	/* Only defined when the secondary controls exist (A.3.3). */
	if (hvp_vmx_allows(c->procbased, 1u << 31)) {
		c->procbased2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
		c->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	}
}
