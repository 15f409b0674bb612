// SPDX-License-Identifier: MIT
/*
 * Software INIT/SIPI (see apic.h).  The ICR's layout is SDM Vol. 3A,
 * 11.6.1, "Interrupt Command Register (ICR)"; the x2APIC form is 11.12.9.
 */
#include "vmx/apic.h"

#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx.h"
#include "vmx/guest_memory.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "mm/store_decode.h"

#define MSR_IA32_APIC_BASE 0x1b
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define ICR_DELIVERY_MODE(icr) (((icr) >> 8) & 7)
#define ICR_MODE_NMI 4
#define ICR_MODE_INIT 5
#define ICR_MODE_STARTUP 6
#define ICR_LOGICAL (1u << 11)
#define ICR_PENDING (1u << 12)
#define ICR_ASSERT (1u << 14)
#define ICR_LEVEL_TRIGGER (1u << 15)
#define ICR_SHORTHAND(icr) (((icr) >> 18) & 3)
#define SHORTHAND_NONE 0
#define SHORTHAND_SELF 1
#define SHORTHAND_ALL 2
#define SHORTHAND_OTHERS 3

static uint64_t apic_page;

bool hvp_apic_setup(void)
{
	apic_page = rdmsr(MSR_IA32_APIC_BASE) & ~0xfffull & ((1ull << 52) - 1);
	/* Reads stay native; writes exit so that ICR writes are seen. */
	return hvp_ept_set_perms(&hv.ept, apic_page, 4096, HVP_EPT_READ) == HVP_OK;
}

void hvp_apic_register_cpu(struct vcpu *v)
{
	v->apic_id = CPUID_1_EBX_APIC_ID(cpuid(1, 0).ebx);
}

bool hvp_apic_is_mmio(uint64_t gpa)
{
	return (gpa & ~0xfffull) == apic_page;
}

uint64_t hvp_apic_page(void)
{
	return apic_page;
}

static volatile uint32_t *apic_register(uint32_t offset)
{
	return (volatile uint32_t *)(apic_page + offset);
}

/* Sends an NMI to one CPU from VMX root, through this CPU's APIC. */
static void send_nmi(uint32_t apic_id)
{
	if (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC) {
		wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | ICR_ASSERT | ICR_MODE_NMI << 8);
		return;
	}
	uint32_t saved_high = *apic_register(APIC_ICR_HIGH);

	while (*apic_register(APIC_ICR_LOW) & ICR_PENDING)
		cpu_pause();
	*apic_register(APIC_ICR_HIGH) = apic_id << 24;
	*apic_register(APIC_ICR_LOW) = ICR_ASSERT | ICR_MODE_NMI << 8;
	*apic_register(APIC_ICR_HIGH) = saved_high;
}

void hvp_apic_kick(struct vcpu *target)
{
	__atomic_add_fetch(&target->kicks, 1, __ATOMIC_SEQ_CST);
	send_nmi(target->apic_id);
}

static void deliver(struct vcpu *target, uint32_t icr)
{
	if (ICR_DELIVERY_MODE(icr) == ICR_MODE_INIT) {
		/* The level de-assert INIT of old start-up sequences does
		 * nothing on today's CPUs (SDM Vol. 3A, 11.6.1). */
		if (!(icr & ICR_ASSERT) && (icr & ICR_LEVEL_TRIGGER))
			return;
		target->sipi = 0;
		target->init_requested = true;
		hvp_apic_kick(target);
		hvp_debug("cpu %u: INIT (software)\n", target->index);
	} else if (target->init_requested && !target->sipi) {
		target->sipi = 0x100u | (icr & 0xff);
	}
}

/* True if the IPI was an INIT or STARTUP, now delivered in software. */
static bool send_ipi(struct vcpu *self, uint32_t icr, uint32_t destination)
{
	unsigned int mode = ICR_DELIVERY_MODE(icr), shorthand = ICR_SHORTHAND(icr);

	if (mode != ICR_MODE_INIT && mode != ICR_MODE_STARTUP)
		return false;
	if (shorthand == SHORTHAND_NONE && (icr & ICR_LOGICAL) && destination != 0xff) {
		hvp_warn("cpu %u: INIT/SIPI in logical destination mode passed through\n",
			 self->index);
		return false;
	}
	for (uint32_t i = 0; i < hv.vcpu_count; i++) {
		struct vcpu *t = hv.vcpus[i];
		bool hit = shorthand == SHORTHAND_ALL ||
			   (shorthand == SHORTHAND_OTHERS && t != self) ||
			   (shorthand == SHORTHAND_SELF && t == self) ||
			   (shorthand == SHORTHAND_NONE &&
			    (destination == 0xff || t->apic_id == destination));

		if (hit && t != self)
			deliver(t, icr);
	}
	return true;
}

/*
 * A write to the APIC page: decoded from the guest's instruction, then
 * done on its behalf, except that INIT and STARTUP written to the ICR are
 * delivered in software.  An instruction hvpatch cannot decode gets #GP
 * rather than a guess.
 */
enum exit_action hvp_apic_mmio_write(struct vcpu *v, struct guest_regs *r,
				     uint64_t gpa)
{
	uint8_t insn[HVP_MAX_INSN_LEN];
	struct hvp_store_insn w;
	uint32_t offset = gpa & 0xfff, value;

	if (hvp_guest_read_linear(vmread(GUEST_CR0), vmread(GUEST_CR3),
				  vmread(GUEST_SEG_BASE(SEG_CS)) + vmread(GUEST_RIP),
				  insn, sizeof(insn)) != HVP_OK ||
	    !hvp_decode_mmio_write(insn, sizeof(insn), &w)) {
		hvp_error("cpu %u: APIC write at rip 0x%llx not decodable\n", v->index,
			  (unsigned long long)vmread(GUEST_RIP));
		return hvp_inject_gp();
	}
	value = w.immediate ? w.imm : (uint32_t)hvp_guest_gpr(r, w.reg);
	vmwrite(GUEST_RIP, vmread(GUEST_RIP) + w.length);
	if (offset == APIC_ICR_LOW &&
	    send_ipi(v, value, *apic_register(APIC_ICR_HIGH) >> 24))
		return EXIT_RESUME;
	*apic_register(offset) = value;
	return EXIT_RESUME;
}

enum exit_action hvp_apic_x2apic_icr_write(struct vcpu *v, uint64_t value)
{
	if (!send_ipi(v, (uint32_t)value, (uint32_t)(value >> 32)))
		wrmsr(MSR_X2APIC_ICR, value);
	return EXIT_SKIP_INSTRUCTION;
}

bool hvp_apic_take_kick(struct vcpu *v)
{
	uint32_t k = __atomic_load_n(&v->kicks, __ATOMIC_SEQ_CST);

	while (k && !__atomic_compare_exchange_n(&v->kicks, &k, k - 1, false,
						 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	return k != 0;
}

void hvp_apic_service(struct vcpu *v, struct guest_regs *r)
{
	hvp_apic_flush_if_requested(v);
	if (!v->init_requested)
		return;
	/* Held in VMX root, as a CPU in wait-for-SIPI would be. */
	v->parked = true;
	while (!__atomic_load_n(&v->sipi, __ATOMIC_SEQ_CST))
		cpu_pause();
	v->parked = false;
	hvp_vcpu_reset(v, r, (v->sipi & 0xff) << 12);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	hvp_debug("cpu %u: SIPI (software), starting at 0x%x\n", v->index,
		  (v->sipi & 0xff) << 12);
	v->init_requested = false;
	v->sipi = 0;
	/* Holds skip a parked vCPU: it must not keep translations from
	 * before an EPT change made while it waited. */
	invept(INVEPT_ALL_CONTEXTS, 0);
	hvp_apic_window_update(v);
}
