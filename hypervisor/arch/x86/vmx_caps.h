/* SPDX-License-Identifier: MIT */
/*
 * Can this CPU run hvpatch?  The raw facts (CPUID and the VMX capability
 * MSRs) are gathered by the caller; the judgement here is plain C, so the
 * loader, the hypervisor and the host tests share it.
 */
#ifndef HVPATCH_X86_VMX_CAPS_H
#define HVPATCH_X86_VMX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

struct hvp_vmx_caps {
	bool cpuid_vmx;            /* CPUID.1:ECX[5] */
	uint64_t feature_control;  /* IA32_FEATURE_CONTROL */
	/* The rest is only meaningful when cpuid_vmx is set. */
	uint64_t basic, pinbased, procbased, procbased2, exit, entry;
	uint64_t ept_vpid, misc;
};

/* Secondary processor-based controls (SDM Vol. 3C, 25.6.2, table 25-7). */
#define VMX_PROC2_EPT (1u << 1)
#define VMX_PROC2_DESCRIPTOR_TABLE_EXITING (1u << 2)
#define VMX_PROC2_RDTSCP (1u << 3)
#define VMX_PROC2_VPID (1u << 5)
#define VMX_PROC2_UNRESTRICTED_GUEST (1u << 7)
#define VMX_PROC2_INVPCID (1u << 12)
#define VMX_PROC2_XSAVES (1u << 20)
/* "Mode-based execute control for EPT": EPT execute rights split into
 * supervisor-mode (bit 2) and user-mode (bit 10) fetches (SDM Vol. 3C,
 * 29.3.2, "EPT Translation Mechanism"). */
#define VMX_PROC2_MODE_BASED_EPT_EXEC (1u << 22)

/* IA32_VMX_EPT_VPID_CAP (SDM Vol. 3D, A.10). */
#define VMX_EPT_WALK_4 (1ull << 6)
#define VMX_EPT_WB (1ull << 14)
#define VMX_EPT_2M_PAGES (1ull << 16)
#define VMX_EPT_INVEPT (1ull << 20)
#define VMX_EPT_INVEPT_SINGLE (1ull << 25)
#define VMX_EPT_INVEPT_ALL (1ull << 26)
#define VMX_VPID_INVVPID (1ull << 32)
#define VMX_VPID_INVVPID_SINGLE (1ull << 41)
#define VMX_VPID_INVVPID_ALL (1ull << 42)
#define VMX_VPID_INVVPID_SINGLE_GLOBALS (1ull << 43)

#define VMX_MISC_WAIT_FOR_SIPI (1ull << 8)

enum hvp_vmx_verdict {
	HVP_VMX_USABLE,
	HVP_VMX_ABSENT,       /* no VT-x in CPUID */
	HVP_VMX_LOCKED_OFF,   /* firmware locked it off */
	HVP_VMX_MISSING_FEATURE,
};

/* The verdict, and a one-line reason for the boot log when not usable. */
enum hvp_vmx_verdict hvp_vmx_check(const struct hvp_vmx_caps *caps,
				   const char **reason);

/* Fills caps from this CPU (arch/x86/vmx_caps_read.c: hardware). */
void hvp_vmx_read_caps(struct hvp_vmx_caps *caps);

/* Allowed-1 bits of a control's capability MSR, for the "want" bits. */
static inline bool hvp_vmx_allows(uint64_t cap_msr, uint32_t bits)
{
	return ((uint32_t)(cap_msr >> 32) & bits) == bits;
}

#endif /* HVPATCH_X86_VMX_CAPS_H */
