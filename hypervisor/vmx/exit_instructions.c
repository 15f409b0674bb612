// SPDX-License-Identifier: MIT
/*
 * Instructions that exit unconditionally (SDM Vol. 3C, 26.1.2).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx.h"
#include "vmx/exit.h"
#include "vmx/log.h"

#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)
#define XCR0_BNDREGS (1ull << 3)
#define XCR0_BNDCSR (1ull << 4)
#define XCR0_AVX512 (7ull << 5)

/*
 * XSETBV: executed on the guest's behalf only if it would succeed on bare
 * metal (SDM Vol. 1, 13.3, enabling the XSAVE feature set; the XSETBV
 * reference).  Anything else is #GP in the guest, never in VMX root.
 */
enum exit_action hvp_exit_xsetbv(struct vcpu *v, struct guest_regs *r)
{
	uint64_t value = (r->rdx << 32) | (uint32_t)r->rax;
	struct cpuid_regs xsave = cpuid(CPUID_LEAF_XSAVE, 0);
	uint64_t supported = ((uint64_t)xsave.edx << 32) | xsave.eax;

	if ((uint32_t)r->rcx != 0 || !(value & XCR0_X87) || (value & ~supported) ||
	    ((value & XCR0_AVX) && !(value & XCR0_SSE)) ||
	    (!(value & XCR0_BNDREGS) != !(value & XCR0_BNDCSR)) ||
	    ((value & XCR0_AVX512) &&
	     ((value & XCR0_AVX512) != XCR0_AVX512 || !(value & XCR0_AVX))))
		return hvp_inject_gp();
	xsetbv_xcr0(value);
	return EXIT_SKIP_INSTRUCTION;
}

/*
 * INVD would throw away dirty cache lines, the hypervisor's included;
 * WBINVD gives the guest what it can rely on from INVD, and keeps ours.
 */
enum exit_action hvp_exit_invd(struct vcpu *v, struct guest_regs *r)
{
	wbinvd();
	return EXIT_SKIP_INSTRUCTION;
}

/* VMX instructions: VMX is hidden from the guest, so they #UD as they
 * would on a CPU without it (the VMXON reference: #UD if CR4.VMXE = 0). */
enum exit_action hvp_exit_vmx_instruction(struct vcpu *v, struct guest_regs *r)
{
	return hvp_inject_ud();
}
