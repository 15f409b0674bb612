// SPDX-License-Identifier: MIT
/*
 * #BP, intercepted after lock when the kernel registered its jump table
 * (vmx/pin.c sets the exception bitmap, SDM Vol. 3C, 25.6.3).  A static-
 * key switch puts INT3 on a site's first byte for a moment; a kernel that
 * parks INT3 there instead could run its own code from its #BP handler
 * every time the site executes.  So INT3 at a site is run by the
 * hypervisor as the site's current form (patch/jump_label.c), and the
 * guest's handler never sees it; any other INT3 (a debugger's, user
 * space's) is delivered as the CPU would.
 *
 * The exit comes with RIP at the INT3 and its length in the VM-exit
 * instruction length (SDM Vol. 3C, "Information for VM Exits Due to
 * Vectored Events"); a #BP delivered again is a software exception, which
 * needs that length at entry ("Event Injection").
 */
#include "arch/x86/regs.h"
#include "arch/x86/vmx.h"
#include "vmx/exit.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"

static enum exit_action deliver_bp(void)
{
	vmwrite(ENTRY_INSTRUCTION_LENGTH, vmread(EXIT_INSTRUCTION_LENGTH));
	vmwrite(ENTRY_INTERRUPTION_INFO,
		INTR_INFO_VALID | INTR_TYPE_SOFTWARE_EXCEPTION | VECTOR_BP);
	return EXIT_RESUME;
}

enum exit_action hvp_exit_breakpoint(struct vcpu *v, struct guest_regs *r)
{
	uint64_t rip = vmread(GUEST_RIP), next;
	enum hvp_status status;

	if (hvp_guest_cpl() != 0 ||
	    !(vmread(GUEST_SEG_AR(SEG_CS)) & SEG_AR_LONG_MODE))
		return deliver_bp();
	/* An engine call is running: the guest runs INT3 again. */
	if (!hvp_patch_host_try_enter(v))
		return EXIT_RESUME;
	status = hvp_engine_jump_label_int3(&hv_engine, rip, &next);
	hvp_patch_host_leave();
	if (status != HVP_OK)
		return deliver_bp();
	if (next == rip)
		hvp_warn("cpu %u: static-key site 0x%llx was left in INT3: put back\n",
			 v->index, (unsigned long long)rip);
	vmwrite(GUEST_RIP, next);
	/* Blocking by STI or MOV SS ends with the instruction run. */
	vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) & ~3ull);
	return EXIT_RESUME;
}
