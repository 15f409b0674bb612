// SPDX-License-Identifier: MIT
/*
 * The ends of a guest's life.
 *
 * Triple fault: the guest would shut down (SDM Vol. 3A, 7.15, the double
 * fault exception); in VMX non-root it exits instead (26.2).  The reason
 * and the guest state are logged, then the CPU stops: never a silent
 * hang, never a guess at resuming.
 *
 * Power-off: the I/O bitmap intercepts the ACPI PM1a control port (from
 * the FADT; exit_io.c does the write on the guest's behalf).  When a
 * write sets SLP_EN, the exit counters of every vCPU and translation
 * pinning's are printed first, since the machine may stop the moment the
 * write lands.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx.h"
#include "vmx/exit.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"

#define PM1_SLP_EN (1u << 13)

enum exit_action hvp_exit_triple_fault(struct vcpu *v, struct guest_regs *r)
{
	hvp_fatal_guest_state(v, "guest triple fault");
}

void hvp_pm1a_write(uint32_t value)
{
	if (!(value & PM1_SLP_EN))
		return;
	hvp_info("guest is entering an ACPI sleep state (PM1a 0x%llx): final counters\n",
		 (unsigned long long)(value & 0xffff));
	hvp_print_exit_counters();
	hvp_translation_report(&hv_engine);
}
