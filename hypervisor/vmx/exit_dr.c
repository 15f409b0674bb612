// SPDX-License-Identifier: MIT
/*
 * MOV to or from a debug register, which exits once lock has turned on
 * MOV-DR exiting (vmx/pin.c).  An execute breakpoint (DR7 R/W = 00, SDM
 * Vol. 3B, 18.2.4) that is enabled on an address inside protected memory
 * would let the kernel divert a locked function through its own #DB
 * handler without changing a byte of text, so any write that would leave
 * one is refused.  Everything else is done as the CPU would: data
 * watchpoints and breakpoints on other code keep working for debuggers.
 *
 * DR7 lives in the VMCS (saved at exit and loaded at entry with the
 * debug-controls bits, 25.7.1 and 25.8.1); DR0-DR3 and DR6 are left
 * alone by VM exits, so VMX root reads and writes the guest's own.
 * Exit qualification: SDM Vol. 3C, 28.2.1, table 28-4.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/regs.h"
#include "arch/x86/vmx.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"
#include "vmx/pin.h"

#define DR_QUAL_NUMBER(q) ((unsigned int)(q) & 7)
#define DR_QUAL_FROM_DR (1u << 4)
#define DR_QUAL_GPR(q) ((unsigned int)((q) >> 8) & 15)
#define BREAKPOINTS 4

/* The first enabled execute breakpoint on protected memory, or -1. */
static int protected_breakpoint(const uint64_t dr[BREAKPOINTS], uint64_t dr7)
{
	for (int i = 0; i < BREAKPOINTS; i++)
		if ((dr7 & DR7_ENABLED(i)) && DR7_RW(dr7, i) == DR7_RW_EXECUTE &&
		    hvp_engine_protects_gva(&hv_engine, dr[i]))
			return i;
	return -1;
}

static void read_breakpoints(uint64_t dr[BREAKPOINTS])
{
	for (unsigned int i = 0; i < BREAKPOINTS; i++)
		dr[i] = read_dr(i);
}

void hvp_dr_drop_protected_breakpoints(struct vcpu *v)
{
	uint64_t dr[BREAKPOINTS], dr7 = vmread(GUEST_DR7);
	int i;

	read_breakpoints(dr);
	while ((i = protected_breakpoint(dr, dr7)) >= 0) {
		dr7 &= ~DR7_ENABLED(i);
		hvp_engine_blocked_control(&hv_engine, HVP_PINNED_BREAKPOINT, dr[i]);
		hvp_warn("cpu %u: lock turned off breakpoint %d on protected 0x%llx\n",
			 v->index, i, (unsigned long long)dr[i]);
	}
	vmwrite(GUEST_DR7, dr7);
}

enum exit_action hvp_exit_mov_dr(struct vcpu *v, struct guest_regs *r)
{
	uint64_t q = vmread(EXIT_QUALIFICATION), value, dr[BREAKPOINTS];
	unsigned int n = DR_QUAL_NUMBER(q);
	uint64_t dr7 = vmread(GUEST_DR7);
	int hook;

	/* DR4 and DR5 are DR6 and DR7 while CR4.DE is clear; with it set
	 * they raise #UD before any exit (SDM Vol. 3B, 18.2.2). */
	if (n == 4 || n == 5)
		n += 2;
	if (q & DR_QUAL_FROM_DR) {
		hvp_guest_set_gpr(r, DR_QUAL_GPR(q), n == 7 ? dr7 : read_dr(n));
		return EXIT_SKIP_INSTRUCTION;
	}
	value = hvp_guest_gpr(r, DR_QUAL_GPR(q));
	if (n >= 6 && (value & DR_HIGH_RESERVED))
		return hvp_inject_gp(); /* as MOV DR does in 64-bit mode */
	read_breakpoints(dr);
	if (n < BREAKPOINTS)
		dr[n] = value;
	else if (n == 7)
		dr7 = value;
	hook = protected_breakpoint(dr, dr7);
	if (hook >= 0)
		return hvp_pin_refuse(v, HVP_PINNED_BREAKPOINT, dr[hook]);
	if (n == 7)
		vmwrite(GUEST_DR7, value);
	else
		write_dr(n, value);
	return EXIT_SKIP_INSTRUCTION;
}
