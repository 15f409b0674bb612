// SPDX-License-Identifier: MIT
/*
 * What exit handlers share: the guest's CPL and registers, exception
 * injection, the exit counters, and the fatal-state dump that ends a CPU
 * the hypervisor cannot resume.  It depends on nothing but the VMCS
 * accessors, the exit table's names and the log, so every handler can
 * use it without depending on the dispatcher.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/regs.h"
#include "arch/x86/vmx.h"
#include "lib/format.h"
#include "vmx/exit.h"
#include "vmx/hv.h"
#include "vmx/log.h"

unsigned int hvp_guest_cpl(void)
{
	return SEG_AR_DPL(vmread(GUEST_SEG_AR(SEG_SS)));
}

uint64_t hvp_guest_gpr(const struct guest_regs *r, unsigned int n)
{
	const uint64_t *slot = (const uint64_t *)r;

	return n == GPR_RSP ? vmread(GUEST_RSP) : slot[n % GPR_COUNT];
}

void hvp_guest_set_gpr(struct guest_regs *r, unsigned int n, uint64_t value)
{
	uint64_t *slot = (uint64_t *)r;

	if (n == GPR_RSP)
		vmwrite(GUEST_RSP, value);
	else
		slot[n % GPR_COUNT] = value;
}

void hvp_inject_exception(unsigned int vector, bool has_error_code,
			  uint32_t error_code)
{
	uint32_t info = INTR_INFO_VALID | INTR_TYPE_HARDWARE_EXCEPTION | vector;

	if (has_error_code) {
		info |= INTR_INFO_DELIVER_ERROR_CODE;
		vmwrite(ENTRY_EXCEPTION_ERROR_CODE, error_code);
	}
	vmwrite(ENTRY_INTERRUPTION_INFO, info);
}

void hvp_count_exit(struct vcpu *v, uint32_t basic_reason)
{
	v->exits_total++;
	if (basic_reason < EXIT_REASON_COUNT)
		v->exits[basic_reason]++;
}

void hvp_print_exit_counters(void)
{
	for (uint32_t c = 0; c < hv.vcpu_count; c++) {
		const struct vcpu *v = hv.vcpus[c];
		char line[200];
		size_t n = 0;

		if (!v)
			continue;
		hvp_info("exit counters cpu %u: total %llu\n", c,
			 (unsigned long long)v->exits_total);
		for (unsigned int e = 0; e < EXIT_REASON_COUNT; e++) {
			const char *name = hvp_exit_table[e].name;

			if (!v->exits[e])
				continue;
			n += hvp_format(line + n, sizeof(line) - n, " %s=%llu",
					name ? name : "other",
					(unsigned long long)v->exits[e]);
			if (n > sizeof(line) - 40) {
				hvp_info("exit counters cpu %u:%s\n", c, line);
				n = 0;
			}
		}
		if (n)
			hvp_info("exit counters cpu %u:%s\n", c, line);
	}
}

void hvp_fatal_guest_state(struct vcpu *v, const char *why)
{
	hvp_error("cpu %u: %s (exit reason 0x%llx, qualification 0x%llx)\n", v->index,
		  why, (unsigned long long)vmread(EXIT_REASON),
		  (unsigned long long)vmread(EXIT_QUALIFICATION));
	hvp_error("cpu %u: guest rip %llx rsp %llx rflags %llx cr0 %llx cr3 %llx cr4 %llx efer %llx\n",
		  v->index, (unsigned long long)vmread(GUEST_RIP),
		  (unsigned long long)vmread(GUEST_RSP),
		  (unsigned long long)vmread(GUEST_RFLAGS),
		  (unsigned long long)vmread(GUEST_CR0),
		  (unsigned long long)vmread(GUEST_CR3),
		  (unsigned long long)vmread(GUEST_CR4),
		  (unsigned long long)vmread(GUEST_IA32_EFER));
	hvp_error("cpu %u: cs %llx/%llx ss %llx/%llx tr %llx/%llx activity %llu interruptibility %llx entry-controls %llx\n",
		  v->index, (unsigned long long)vmread(GUEST_SEG_SELECTOR(SEG_CS)),
		  (unsigned long long)vmread(GUEST_SEG_AR(SEG_CS)),
		  (unsigned long long)vmread(GUEST_SEG_SELECTOR(SEG_SS)),
		  (unsigned long long)vmread(GUEST_SEG_AR(SEG_SS)),
		  (unsigned long long)vmread(GUEST_SEG_SELECTOR(SEG_TR)),
		  (unsigned long long)vmread(GUEST_SEG_AR(SEG_TR)),
		  (unsigned long long)vmread(GUEST_ACTIVITY_STATE),
		  (unsigned long long)vmread(GUEST_INTERRUPTIBILITY),
		  (unsigned long long)vmread(ENTRY_CONTROLS));
	hvp_print_exit_counters();
	hvp_error("cpu %u: stopped\n", v->index);
	cpu_halt_forever();
}
