// SPDX-License-Identifier: MIT
#include "arch/x86/vmx_caps.h"

#include "arch/x86/msr.h"

#define PROC_ACTIVATE_SECONDARY (1u << 31)
#define ENTRY_LOAD_EFER (1u << 15)
#define EXIT_SAVE_EFER (1u << 20)
#define EXIT_LOAD_EFER (1u << 21)

enum hvp_vmx_verdict hvp_vmx_check(const struct hvp_vmx_caps *caps,
				   const char **reason)
{
	if (!caps->cpuid_vmx) {
		*reason = "the CPU reports no VT-x (CPUID.1:ECX.VMX = 0)";
		return HVP_VMX_ABSENT;
	}
	/* SDM Vol. 3C, 24.7, enabling and entering VMX operation: a locked
	 * IA32_FEATURE_CONTROL without "VMXON outside SMX" makes VMXON #GP. */
	if ((caps->feature_control & FEATURE_CONTROL_LOCKED) &&
	    !(caps->feature_control & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		*reason = "VT-x is locked off in IA32_FEATURE_CONTROL (enable it in the firmware setup)";
		return HVP_VMX_LOCKED_OFF;
	}
	if (!hvp_vmx_allows(caps->procbased, PROC_ACTIVATE_SECONDARY)) {
		*reason = "VT-x has no secondary controls, so no EPT";
		return HVP_VMX_MISSING_FEATURE;
	}
	if (!hvp_vmx_allows(caps->procbased2, VMX_PROC2_EPT)) {
		*reason = "VT-x has no EPT";
		return HVP_VMX_MISSING_FEATURE;
	}
	if (!hvp_vmx_allows(caps->procbased2, VMX_PROC2_UNRESTRICTED_GUEST)) {
		*reason = "VT-x has no unrestricted guest (needed for real-mode AP start-up)";
		return HVP_VMX_MISSING_FEATURE;
	}
	if ((caps->ept_vpid & (VMX_EPT_WALK_4 | VMX_EPT_WB | VMX_EPT_INVEPT)) !=
	    (VMX_EPT_WALK_4 | VMX_EPT_WB | VMX_EPT_INVEPT) ||
	    !(caps->ept_vpid & (VMX_EPT_INVEPT_SINGLE | VMX_EPT_INVEPT_ALL))) {
		*reason = "EPT lacks the 4-level walk, write-back tables or INVEPT";
		return HVP_VMX_MISSING_FEATURE;
	}
	if (!hvp_vmx_allows(caps->entry, ENTRY_LOAD_EFER) ||
	    !hvp_vmx_allows(caps->exit, EXIT_SAVE_EFER | EXIT_LOAD_EFER)) {
		*reason = "VT-x cannot load and save IA32_EFER";
		return HVP_VMX_MISSING_FEATURE;
	}
	*reason = "";
	return HVP_VMX_USABLE;
}
