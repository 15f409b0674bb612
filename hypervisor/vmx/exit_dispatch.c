// SPDX-License-Identifier: MIT
/*
 * Every VM exit comes through hvp_handle_exit(): count it, re-inject an
 * event whose delivery it interrupted, run its handler, then deliver
 * NMIs that are due.  An exit with no handler here should not happen with
 * the controls hvpatch sets; it is logged and stops the CPU rather than
 * being guessed at.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "vmx/exit.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/pin.h"
#include "vmx/smp.h"
#include "lib/format.h"

static const exit_handler handlers[EXIT_REASON_COUNT] = {
	[EXIT_EXCEPTION_OR_NMI] = hvp_exit_nmi,
	[EXIT_TRIPLE_FAULT] = hvp_exit_triple_fault,
	[EXIT_INIT] = hvp_exit_init,
	[EXIT_SIPI] = hvp_exit_sipi,
	[EXIT_NMI_WINDOW] = hvp_exit_nmi_window,
	[EXIT_CPUID] = hvp_exit_cpuid,
	[EXIT_INVD] = hvp_exit_invd,
	[EXIT_VMCALL] = hvp_exit_vmcall,
	[EXIT_VMCLEAR] = hvp_exit_vmx_instruction,
	[EXIT_VMLAUNCH] = hvp_exit_vmx_instruction,
	[EXIT_VMPTRLD] = hvp_exit_vmx_instruction,
	[EXIT_VMPTRST] = hvp_exit_vmx_instruction,
	[EXIT_VMREAD] = hvp_exit_vmx_instruction,
	[EXIT_VMRESUME] = hvp_exit_vmx_instruction,
	[EXIT_VMWRITE] = hvp_exit_vmx_instruction,
	[EXIT_VMXOFF] = hvp_exit_vmx_instruction,
	[EXIT_VMXON] = hvp_exit_vmx_instruction,
	[EXIT_INVEPT] = hvp_exit_vmx_instruction,
	[EXIT_INVVPID] = hvp_exit_vmx_instruction,
	[EXIT_VMFUNC] = hvp_exit_vmx_instruction,
	[EXIT_CR_ACCESS] = hvp_exit_cr_access,
	[EXIT_IO] = hvp_exit_io,
	[EXIT_RDMSR] = hvp_exit_rdmsr,
	[EXIT_WRMSR] = hvp_exit_wrmsr,
	[EXIT_EPT_VIOLATION] = hvp_exit_ept_violation,
	[EXIT_EPT_MISCONFIG] = hvp_exit_ept_misconfig,
	[EXIT_XSETBV] = hvp_exit_xsetbv,
	[EXIT_MOV_DR] = hvp_exit_mov_dr,
	[EXIT_GDTR_IDTR] = hvp_exit_gdtr_idtr,
	[EXIT_LDTR_TR] = hvp_exit_ldtr_tr,
};

static const char *const exit_names[EXIT_REASON_COUNT] = {
	[EXIT_EXCEPTION_OR_NMI] = "nmi", [EXIT_TRIPLE_FAULT] = "triple_fault",
	[EXIT_INIT] = "init", [EXIT_SIPI] = "sipi",
	[EXIT_NMI_WINDOW] = "nmi_window", [EXIT_CPUID] = "cpuid",
	[EXIT_INVD] = "invd", [EXIT_VMCALL] = "vmcall",
	[EXIT_CR_ACCESS] = "cr_access", [EXIT_IO] = "io",
	[EXIT_RDMSR] = "rdmsr", [EXIT_WRMSR] = "wrmsr",
	[EXIT_EPT_VIOLATION] = "ept_violation",
	[EXIT_EPT_MISCONFIG] = "ept_misconfig", [EXIT_XSETBV] = "xsetbv",
	[EXIT_MOV_DR] = "mov_dr", [EXIT_GDTR_IDTR] = "gdtr_idtr",
	[EXIT_LDTR_TR] = "ldtr_tr",
};

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

/*
 * An exit during event delivery (an EPT violation on the IDT or the
 * stack, say) loses the event unless it is injected again (SDM Vol. 3C,
 * 28.2.4, information for VM exits during event delivery; 27.6).
 */
static void reinject_interrupted_event(void)
{
	uint32_t info = (uint32_t)vmread(IDT_VECTORING_INFO);

	if (!(info & INTR_INFO_VALID))
		return;
	if (info & INTR_INFO_DELIVER_ERROR_CODE)
		vmwrite(ENTRY_EXCEPTION_ERROR_CODE, vmread(IDT_VECTORING_ERROR_CODE));
	/* Software interrupts and exceptions need their length again. */
	vmwrite(ENTRY_INSTRUCTION_LENGTH, vmread(EXIT_INSTRUCTION_LENGTH));
	vmwrite(ENTRY_INTERRUPTION_INFO, info & ~(1u << 12));
}

static void skip_instruction(void)
{
	uint64_t rip = vmread(GUEST_RIP) + vmread(EXIT_INSTRUCTION_LENGTH);
	uint64_t interruptibility = vmread(GUEST_INTERRUPTIBILITY);

	vmwrite(GUEST_RIP, rip);
	/* Blocking by STI or MOV SS ends with the emulated instruction. */
	if (interruptibility & 3)
		vmwrite(GUEST_INTERRUPTIBILITY, interruptibility & ~3ull);
}

void hvp_handle_exit(struct guest_regs *r)
{
	struct vcpu *v = this_vcpu();
	uint32_t reason = (uint32_t)vmread(EXIT_REASON);
	uint32_t basic = reason & 0xffff;
	exit_handler handler;

	if (reason & EXIT_REASON_ENTRY_FAILURE)
		hvp_fatal_guest_state(v, basic == EXIT_ENTRY_FAIL_GUEST_STATE ?
				      "VM entry failed: invalid guest state" :
				      "VM entry failed");
	v->exits_total++;
	if (basic < EXIT_REASON_COUNT)
		v->exits[basic]++;
	handler = basic < EXIT_REASON_COUNT ? handlers[basic] : NULL;
	if (!handler) {
		hvp_error("cpu %u: unexpected exit reason %u\n", v->index, basic);
		hvp_fatal_guest_state(v, "unhandled VM exit");
	}
	reinject_interrupted_event();
	if (handler(v, r) == EXIT_SKIP_INSTRUCTION)
		skip_instruction();
	hvp_apic_service(v, r);
	hvp_smp_service(v);
	hvp_cr_pinning_apply(v);
	hvp_pin_apply(v);
	hvp_deliver_pending_nmi(v);
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
			if (!v->exits[e])
				continue;
			n += hvp_format(line + n, sizeof(line) - n, " %s=%llu",
					exit_names[e] ? exit_names[e] : "other",
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

void hvp_vmresume_failed(void)
{
	struct vcpu *v = this_vcpu();

	hvp_error("cpu %u: VMRESUME failed, VM-instruction error %llu\n", v->index,
		  (unsigned long long)vmread(VM_INSTRUCTION_ERROR));
	hvp_fatal_guest_state(v, "cannot resume the guest");
}

/* An exception in VMX root: a hypervisor bug, never a guest's doing. */
void hvp_host_exception(const uint64_t *frame)
{
	hvp_error("host exception %llu, error code %llx, rip %llx, cr2 %llx\n",
		  (unsigned long long)frame[0], (unsigned long long)frame[1],
		  (unsigned long long)frame[2], (unsigned long long)read_cr2());
	cpu_halt_forever();
}
