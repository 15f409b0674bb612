// SPDX-License-Identifier: MIT
/*
 * The ends of a guest's life.
 *
 * Triple fault: the guest would shut down (SDM Vol. 3A, 7.15, the double
 * fault exception); in VMX non-root it exits instead (26.2).  The reason
 * and the guest state are logged, then the CPU stops: never a silent
 * hang, never a guess at resuming.
 *
 * Power-off: the I/O bitmap intercepts only the ACPI PM1a control port
 * (from the FADT).  The write is done on the guest's behalf; when it sets
 * SLP_EN, the exit counters of every vCPU (and translation pinning's) are
 * printed first, since the machine may stop the moment the write lands.
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

enum exit_action hvp_exit_io(struct vcpu *v, struct guest_regs *r)
{
	uint64_t q = vmread(EXIT_QUALIFICATION);
	unsigned int size = IO_QUAL_SIZE(q), port = IO_QUAL_PORT(q);
	bool in = q & IO_QUAL_IN, string = q & IO_QUAL_STRING;

	/* Only the PM1a control port is intercepted (table 28-5). */
	if (string) {
		hvp_error("cpu %u: string I/O to port 0x%x not emulated\n", v->index, port);
		return hvp_inject_gp();
	}
	if (in) {
		uint32_t value = size == 1 ? inb((uint16_t)port) :
				 size == 2 ? inw((uint16_t)port) : inl((uint16_t)port);
		uint64_t keep = size == 4 ? 0 : r->rax & ~((1ull << (8 * size)) - 1);

		r->rax = keep | value;
		return EXIT_SKIP_INSTRUCTION;
	}
	if (size >= 2 && (r->rax & PM1_SLP_EN)) {
		hvp_info("guest is entering an ACPI sleep state (PM1a 0x%llx): final counters\n",
			 (unsigned long long)(r->rax & 0xffff));
		hvp_print_exit_counters();
		hvp_translation_report(&hv_engine);
	}
	if (size == 1)
		outb((uint16_t)port, (uint8_t)r->rax);
	else if (size == 2)
		outw((uint16_t)port, (uint16_t)r->rax);
	else
		outl((uint16_t)port, (uint32_t)r->rax);
	return EXIT_SKIP_INSTRUCTION;
}
