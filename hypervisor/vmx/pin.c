// SPDX-License-Identifier: MIT
/*
 * Pinning a vCPU's entry points at lock.  A compromised kernel that can
 * no longer write its text could still send execution elsewhere by
 * pointing the CPU at code of its own: a new IDT (LIDT) or GDT (LGDT),
 * a new system-call entry (WRMSR to IA32_LSTAR, CSTAR, STAR or the
 * SYSENTER MSRs), NX turned off so that data runs (EFER.NXE), or a
 * hardware breakpoint that diverts a kernel function through #DB.  So,
 * at lock, each vCPU records those values and makes every change exit:
 *  - descriptor-table exiting (SDM Vol. 3C, 25.6.2, secondary
 *    processor-based controls, bit 2) for LGDT and LIDT (vmx/exit_descriptor.c);
 *  - the MSR bitmap's write bits for the MSRs (25.6.9);
 *  - MOV-DR exiting (primary controls, bit 23) for the debug registers
 *    (vmx/exit_dr.c).
 * A change is refused with #GP, logged, counted and audited; a write of
 * the value already there is allowed, so the kernel's own re-init paths
 * still work.  Values are per vCPU, since Linux gives each CPU its own
 * GDT and entry stack.  Breakpoints elsewhere and data watchpoints keep
 * working, for debuggers.  INT3 on static-key sites is intercepted too
 * (vmx/exit_breakpoint.c).
 */
#include "vmx/pin.h"

#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/regs.h"
#include "arch/x86/vmcs_setup.h"
#include "arch/x86/vmx.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"

static const uint32_t pinned_msrs[HVP_PINNED_MSRS] = {
	MSR_IA32_LSTAR, MSR_IA32_CSTAR, MSR_IA32_STAR,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
};

static const char *const pinned_names[] = {
	[HVP_PINNED_IDTR] = "IDTR",
	[HVP_PINNED_GDTR] = "GDTR",
	[HVP_PINNED_MSR] = "MSR",
	[HVP_PINNED_BREAKPOINT] = "execute breakpoint on protected memory",
};

/* EFER bits a WRMSR may set on an Intel CPU (SDM Vol. 3A, 2.2.1); LMA
 * is the CPU's own and ignored on writes. */
#define EFER_WRITABLE (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

/*
 * The SYSENTER MSRs are guest-state fields of the VMCS, loaded at every
 * entry (25.4.1).  The syscall MSRs are not: VM exits leave them alone
 * and the hypervisor never uses SYSCALL, so in VMX root the CPU holds the
 * guest's values.
 */
static uint64_t read_guest_msr(uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_SYSENTER_CS:
		return vmread(GUEST_IA32_SYSENTER_CS);
	case MSR_IA32_SYSENTER_ESP:
		return vmread(GUEST_IA32_SYSENTER_ESP);
	case MSR_IA32_SYSENTER_EIP:
		return vmread(GUEST_IA32_SYSENTER_EIP);
	default:
		return rdmsr(msr);
	}
}

static void write_guest_msr(uint32_t msr, uint64_t value)
{
	switch (msr) {
	case MSR_IA32_SYSENTER_CS:
		vmwrite(GUEST_IA32_SYSENTER_CS, value);
		break;
	case MSR_IA32_SYSENTER_ESP:
		vmwrite(GUEST_IA32_SYSENTER_ESP, value);
		break;
	case MSR_IA32_SYSENTER_EIP:
		vmwrite(GUEST_IA32_SYSENTER_EIP, value);
		break;
	default:
		wrmsr(msr, value);
	}
}

static int pinned_index(uint32_t msr)
{
	for (unsigned int i = 0; i < HVP_PINNED_MSRS; i++)
		if (pinned_msrs[i] == msr)
			return (int)i;
	return -1;
}

bool hvp_pin_msr(uint32_t msr)
{
	return msr == MSR_IA32_EFER || pinned_index(msr) >= 0;
}

enum exit_action hvp_pin_refuse(struct vcpu *v, enum hvp_pinned what,
				uint64_t value)
{
	hvp_engine_blocked_control(&hv_engine, what, value);
	hvp_warn("cpu %u: refused a change of %s (0x%llx) at rip 0x%llx (pinned at lock)\n",
		 v->index, pinned_names[what], (unsigned long long)value,
		 (unsigned long long)vmread(GUEST_RIP));
	return hvp_inject_gp();
}

/* WRMSR to IA32_EFER as the CPU checks it (SDM Vol. 3A, 2.2.1, and
 * 10.8.5: LME may not change while paging is on). */
static enum exit_action write_efer(struct vcpu *v, uint64_t value)
{
	uint64_t efer = vmread(GUEST_IA32_EFER);

	if ((value & ~EFER_WRITABLE) ||
	    (((value ^ efer) & EFER_LME) && (vmread(GUEST_CR0) & CR0_PG)))
		return hvp_inject_gp();
	if (v->pins.active && !(value & EFER_NXE) != !v->pins.nxe)
		return hvp_pin_refuse(v, HVP_PINNED_MSR, MSR_IA32_EFER);
	vmwrite(GUEST_IA32_EFER, (value & ~EFER_LMA) | (efer & EFER_LMA));
	return EXIT_SKIP_INSTRUCTION;
}

enum exit_action hvp_pin_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value)
{
	int i = pinned_index(msr);

	if (msr == MSR_IA32_EFER)
		return write_efer(v, value);
	/* LSTAR and CSTAR must be canonical, as WRMSR checks; an equal
	 * value passed that check when it was first written. */
	if (v->pins.active && value != v->pins.msr[i])
		return hvp_pin_refuse(v, HVP_PINNED_MSR, msr);
	write_guest_msr(msr, value);
	return EXIT_SKIP_INSTRUCTION;
}

/* Does the vCPU hold, in 64-bit mode, every value it had at lock? */
static bool state_is_pinned(struct vcpu *v)
{
	if (!(vmread(GUEST_IA32_EFER) & EFER_LMA) ||
	    vmread(GUEST_GDTR_BASE) != v->pins.gdtr_base ||
	    (uint32_t)vmread(GUEST_GDTR_LIMIT) != v->pins.gdtr_limit ||
	    vmread(GUEST_IDTR_BASE) != v->pins.idtr_base ||
	    (uint32_t)vmread(GUEST_IDTR_LIMIT) != v->pins.idtr_limit ||
	    !(vmread(GUEST_IA32_EFER) & EFER_NXE) != !v->pins.nxe)
		return false;
	for (unsigned int i = 0; i < HVP_PINNED_MSRS; i++)
		if (read_guest_msr(pinned_msrs[i]) != v->pins.msr[i])
			return false;
	return true;
}

/*
 * INIT after lock (a CPU the kernel takes offline and brings back): the
 * start-up code must load tables and MSRs of its own on the way, so the
 * vCPU's pins rest until it holds every value it had at lock again, and
 * are then in force again (hvp_pin_apply).  Until then it is logged as
 * unpinned: a kernel that restarts a CPU and never restores its entry
 * points keeps that CPU unpinned (docs/hypercalls.md).
 */
void hvp_pin_restart(struct vcpu *v)
{
	if (!v->pins.active)
		return;
	v->pins.active = false;
	v->pins.restarting = true;
	hvp_warn("cpu %u: restarted after lock: entry points unpinned until they hold their locked values again\n",
		 v->index);
}

void hvp_pin_apply(struct vcpu *v)
{
	uint64_t proc, proc2;

	if (v->pins.active || !__atomic_load_n(&hv.cr_pinning, __ATOMIC_SEQ_CST))
		return;
	if (v->pins.restarting) {
		if (!state_is_pinned(v))
			return;
		v->pins.restarting = false;
		v->pins.active = true;
		hvp_info("cpu %u: entry points pinned again after its restart\n", v->index);
		return;
	}
	v->pins.gdtr_base = vmread(GUEST_GDTR_BASE);
	v->pins.gdtr_limit = (uint32_t)vmread(GUEST_GDTR_LIMIT);
	v->pins.idtr_base = vmread(GUEST_IDTR_BASE);
	v->pins.idtr_limit = (uint32_t)vmread(GUEST_IDTR_LIMIT);
	v->pins.nxe = vmread(GUEST_IA32_EFER) & EFER_NXE;
	for (unsigned int i = 0; i < HVP_PINNED_MSRS; i++) {
		v->pins.msr[i] = read_guest_msr(pinned_msrs[i]);
		hvp_msr_bitmap_intercept_write(v->msr_bitmap, pinned_msrs[i]);
	}
	hvp_msr_bitmap_intercept_write(v->msr_bitmap, MSR_IA32_EFER);
	v->pins.active = true;

	hvp_dr_drop_protected_breakpoints(v);
	proc = vmread(PROC_BASED_CONTROLS);
	proc2 = vmread(PROC_BASED_CONTROLS2);
	if (!hvp_vmx_allows(hv.caps.procbased, PROC_MOV_DR_EXITING) ||
	    !hvp_vmx_allows(hv.caps.procbased2, VMX_PROC2_DESCRIPTOR_TABLE_EXITING)) {
		hvp_error("cpu %u: this CPU cannot intercept MOV DR or LGDT/LIDT: breakpoints, IDTR and GDTR stay unpinned\n",
			  v->index);
		return;
	}
	/* INT3 on a static-key site is the hypervisor's to run. */
	if (hv_engine.jump_table_size)
		vmwrite(EXCEPTION_BITMAP, vmread(EXCEPTION_BITMAP) | 1u << VECTOR_BP);
	vmwrite(PROC_BASED_CONTROLS, proc | PROC_MOV_DR_EXITING);
	vmwrite(PROC_BASED_CONTROLS2, proc2 | VMX_PROC2_DESCRIPTOR_TABLE_EXITING);
	hvp_info("cpu %u: pinned IDTR 0x%llx, GDTR 0x%llx, LSTAR 0x%llx, EFER.NXE %u, breakpoints\n",
		 v->index, (unsigned long long)v->pins.idtr_base,
		 (unsigned long long)v->pins.gdtr_base,
		 (unsigned long long)v->pins.msr[0], v->pins.nxe);
}
