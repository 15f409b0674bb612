// SPDX-License-Identifier: MIT
/*
 * MOV to CR0 or CR4 exits when it would change a bit the guest/host mask
 * gives to the hypervisor (SDM Vol. 3C, 26.1.3): the bits VMX operation
 * fixes (CR0.NE, CR4.VMXE and the reserved ones).  Emulates the write:
 * the guest's value goes to the read shadow, the value adjusted to the
 * FIXED0/FIXED1 MSRs goes to the real register, so the guest never sees
 * CR4.VMXE.  Reserved bits #GP as on bare metal.  When the write turns
 * paging on or off with EFER.LME set, the switch into or out of IA-32e
 * mode is emulated too: EFER.LMA and the "IA-32e mode guest" entry
 * control follow CR0.PG (SDM Vol. 3A, 10.8.5, initializing IA-32e mode).
 * LMSW and CLTS touch only bits the guest owns and do not exit.
 *
 * Once the kernel's text is locked, CR0.WP, CR4.SMEP and CR4.SMAP join the
 * mask: clearing one of them (the first step of most attacks on kernel
 * text) is refused with #GP and logged, as the kernel's own CR pinning
 * would, but out of the attacker's reach.
 */
#include "arch/x86/regs.h"
#include "arch/x86/vmcs_setup.h"
#include "arch/x86/vmx.h"
#include "vmx/exit.h"
#include "vmx/hv.h"
#include "vmx/log.h"

#define CR0_RESERVED 0xffffffff1ffaffc0ull

/* A pinned bit the guest had set and now clears: refused. */
static bool clears_pinned(struct vcpu *v, unsigned int cr, uint64_t old,
			  uint64_t value, uint64_t pinned)
{
	uint64_t cleared = old & ~value & pinned;

	if (!v->cr_pinned || !cleared)
		return false;
	hv.blocked_cr_writes++;
	hvp_warn("cpu %u: refused clearing CR%u bits 0x%llx at rip 0x%llx (pinned after lock)\n",
		 v->index, cr, (unsigned long long)cleared,
		 (unsigned long long)vmread(GUEST_RIP));
	return true;
}

void hvp_cr_pinning_apply(struct vcpu *v)
{
	uint64_t mask0, mask4;

	if (v->cr_pinned || !__atomic_load_n(&hv.cr_pinning, __ATOMIC_SEQ_CST))
		return;
	/* The shadows become the guest's whole view of the new bits. */
	mask0 = vmread(CR0_GUEST_HOST_MASK);
	mask4 = vmread(CR4_GUEST_HOST_MASK);
	v->guest_cr0 = (vmread(CR0_READ_SHADOW) & mask0) | (vmread(GUEST_CR0) & ~mask0);
	v->guest_cr4 = (vmread(CR4_READ_SHADOW) & mask4) | (vmread(GUEST_CR4) & ~mask4);
	vmwrite(CR0_READ_SHADOW, v->guest_cr0);
	vmwrite(CR4_READ_SHADOW, v->guest_cr4);
	vmwrite(CR0_GUEST_HOST_MASK, mask0 | CR0_WP);
	vmwrite(CR4_GUEST_HOST_MASK, mask4 | CR4_SMEP | CR4_SMAP);
	v->cr_pinned = true;
}

static enum exit_action write_cr0(struct vcpu *v, uint64_t value)
{
	uint64_t efer = vmread(GUEST_IA32_EFER);
	uint64_t entry = vmread(ENTRY_CONTROLS);

	/* PG is the guest's own bit: the VMCS holds its current value. */
	bool paging = vmread(GUEST_CR0) & CR0_PG;

	hvp_debug("cpu %u: mov cr0, 0x%llx (was 0x%llx, efer 0x%llx)\n", v->index,
		  (unsigned long long)value, (unsigned long long)vmread(GUEST_CR0),
		  (unsigned long long)efer);
	if (value & CR0_RESERVED || ((value & CR0_PG) && !(value & CR0_PE)) ||
	    clears_pinned(v, 0, v->guest_cr0, value, CR0_WP))
		return hvp_inject_gp();
	if ((value & CR0_PG) && !paging && (efer & EFER_LME)) {
		efer |= EFER_LMA;
		entry |= ENTRY_IA32E_MODE_GUEST;
	} else if (!(value & CR0_PG) && paging) {
		efer &= ~EFER_LMA;
		entry &= ~(uint64_t)ENTRY_IA32E_MODE_GUEST;
	}
	vmwrite(GUEST_IA32_EFER, efer);
	vmwrite(ENTRY_CONTROLS, entry);
	v->guest_cr0 = value;
	vmwrite(CR0_READ_SHADOW, value);
	vmwrite(GUEST_CR0, hvp_guest_cr0(value));
	return EXIT_SKIP_INSTRUCTION;
}

static enum exit_action write_cr4(struct vcpu *v, uint64_t value)
{
	hvp_debug("cpu %u: mov cr4, 0x%llx\n", v->index, (unsigned long long)value);
	/* Bits the CPU cannot set at all, VMXE aside, are reserved. */
	if (value & ~(hv.cr4_fixed1 | CR4_VMXE) || (value & CR4_VMXE) ||
	    clears_pinned(v, 4, v->guest_cr4, value, CR4_SMEP | CR4_SMAP))
		return hvp_inject_gp(); /* VMX is hidden: VMXE is reserved */
	v->guest_cr4 = value;
	vmwrite(CR4_READ_SHADOW, value);
	vmwrite(GUEST_CR4, hvp_guest_cr4(value));
	return EXIT_SKIP_INSTRUCTION;
}

enum exit_action hvp_exit_cr_access(struct vcpu *v, struct guest_regs *r)
{
	uint64_t q = vmread(EXIT_QUALIFICATION);
	unsigned int cr = q & 0xf, type = (q >> 4) & 3, reg = (q >> 8) & 0xf;
	uint64_t value = hvp_gpr_read(r, reg);

	if (type == 0 && cr == 0)
		return write_cr0(v, value);
	if (type == 0 && cr == 4)
		return write_cr4(v, value);
	hvp_error("cpu %u: unexpected CR access, qualification 0x%llx\n", v->index,
		  (unsigned long long)q);
	hvp_fatal_guest_state(v, "unexpected control-register exit");
}
