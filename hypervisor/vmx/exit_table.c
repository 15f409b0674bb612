// SPDX-License-Identifier: MIT
/*
 * The one exit table: for each basic exit reason (SDM Vol. 3C, appendix
 * C) the controls in arch/x86/vmcs_setup.c can produce, its handler and
 * the name the exit counters print.  A reason missing here is one those
 * controls never produce; the dispatcher stops the CPU on it rather than
 * guess.
 */
#include "vmx/exit.h"

#define VMX_INSTRUCTION(name) { hvp_exit_vmx_instruction, name }

const struct exit_entry hvp_exit_table[EXIT_REASON_COUNT] = {
	[EXIT_EXCEPTION_OR_NMI] = { hvp_exit_nmi, "nmi" },
	[EXIT_TRIPLE_FAULT] = { hvp_exit_triple_fault, "triple_fault" },
	[EXIT_INIT] = { hvp_exit_init, "init" },
	[EXIT_SIPI] = { hvp_exit_sipi, "sipi" },
	[EXIT_NMI_WINDOW] = { hvp_exit_nmi_window, "nmi_window" },
	[EXIT_CPUID] = { hvp_exit_cpuid, "cpuid" },
	[EXIT_INVD] = { hvp_exit_invd, "invd" },
	[EXIT_VMCALL] = { hvp_exit_vmcall, "vmcall" },
	/* VMX is hidden from the guest: its instructions #UD. */
	[EXIT_VMCLEAR] = VMX_INSTRUCTION("vmclear"),
	[EXIT_VMLAUNCH] = VMX_INSTRUCTION("vmlaunch"),
	[EXIT_VMPTRLD] = VMX_INSTRUCTION("vmptrld"),
	[EXIT_VMPTRST] = VMX_INSTRUCTION("vmptrst"),
	[EXIT_VMREAD] = VMX_INSTRUCTION("vmread"),
	[EXIT_VMRESUME] = VMX_INSTRUCTION("vmresume"),
	[EXIT_VMWRITE] = VMX_INSTRUCTION("vmwrite"),
	[EXIT_VMXOFF] = VMX_INSTRUCTION("vmxoff"),
	[EXIT_VMXON] = VMX_INSTRUCTION("vmxon"),
	[EXIT_INVEPT] = VMX_INSTRUCTION("invept"),
	[EXIT_INVVPID] = VMX_INSTRUCTION("invvpid"),
	[EXIT_VMFUNC] = VMX_INSTRUCTION("vmfunc"),
	[EXIT_CR_ACCESS] = { hvp_exit_cr_access, "cr_access" },
	[EXIT_IO] = { hvp_exit_io, "io" },
	[EXIT_RDMSR] = { hvp_exit_rdmsr, "rdmsr" },
	[EXIT_WRMSR] = { hvp_exit_wrmsr, "wrmsr" },
	[EXIT_EPT_VIOLATION] = { hvp_exit_ept_violation, "ept_violation" },
	[EXIT_EPT_MISCONFIG] = { hvp_exit_ept_misconfig, "ept_misconfig" },
	[EXIT_XSETBV] = { hvp_exit_xsetbv, "xsetbv" },
	/* Turned on at lock, for the entry-point pins (pin.c). */
	[EXIT_MOV_DR] = { hvp_exit_mov_dr, "mov_dr" },
	[EXIT_GDTR_IDTR] = { hvp_exit_gdtr_idtr, "gdtr_idtr" },
	[EXIT_LDTR_TR] = { hvp_exit_ldtr_tr, "ldtr_tr" },
};
