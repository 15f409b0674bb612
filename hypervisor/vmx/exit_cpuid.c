// SPDX-License-Identifier: MIT
/*
 * CPUID always exits in VMX non-root operation (SDM Vol. 3C, 26.1.2).
 * Emulates it by running it in VMX root, then:
 *  - leaf 1: hides VMX (ECX[5]), sets the hypervisor-present bit
 *    (ECX[31]), which is reserved for this use, and reports OSXSAVE
 *    (ECX[27]) from the guest's CR4, not VMX root's;
 *  - leaves 0x40000000-0x400000ff, the range reserved for hypervisors:
 *    0x40000000 gives the highest leaf and the vendor "hvpatch",
 *    0x40000001 the ABI version, 0x40000002 the reserved physical range
 *    (include/hvpatch/abi.h); the rest read as zero.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/regs.h"
#include "arch/x86/vmx.h"
#include "vmx/exit.h"
#include "vmx/hv.h"
#include "hvpatch/abi.h"

#define HV_LEAF_BASE HVP_CPUID_VENDOR_LEAF
#define HV_LEAF_LAST HVP_CPUID_RESERVED_LEAF

enum exit_action hvp_exit_cpuid(struct vcpu *v, struct guest_regs *r)
{
	uint32_t leaf = (uint32_t)r->rax, subleaf = (uint32_t)r->rcx;
	struct cpuid_regs out = { 0 };

	if (leaf >= HV_LEAF_BASE && leaf <= HV_LEAF_BASE + 0xff) {
		if (leaf == HV_LEAF_BASE) {
			/* "hvpatch\0\0\0\0\0" in EBX, ECX, EDX. */
			out = (struct cpuid_regs){ HV_LEAF_LAST, 0x61707668,
						   0x00686374, 0 };
		} else if (leaf == HVP_CPUID_VERSION_LEAF) {
			out.eax = HVP_ABI_VERSION;
		} else if (leaf == HVP_CPUID_RESERVED_LEAF) {
			out = (struct cpuid_regs){
				(uint32_t)hv.boot->region_base, (uint32_t)(hv.boot->region_base >> 32),
				(uint32_t)hv.boot->region_size, (uint32_t)(hv.boot->region_size >> 32),
			};
		}
	} else {
		out = cpuid(leaf, subleaf);
		if (leaf == 1) {
			out.ecx &= ~(CPUID_1_ECX_VMX | CPUID_1_ECX_OSXSAVE);
			out.ecx |= CPUID_1_ECX_HYPERVISOR;
			if (vmread(GUEST_CR4) & CR4_OSXSAVE)
				out.ecx |= CPUID_1_ECX_OSXSAVE;
		}
	}
	r->rax = out.eax;
	r->rbx = out.ebx;
	r->rcx = out.ecx;
	r->rdx = out.edx;
	return EXIT_SKIP_INSTRUCTION;
}
