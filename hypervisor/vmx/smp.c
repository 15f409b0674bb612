// SPDX-License-Identifier: MIT
#include "vmx/smp.h"

#include "arch/x86/cpu.h"
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "vmx/hv.h"
#include "vmx/log.h"

/* About 0.1 s at 1 GHz: a CPU that does not answer by then is stuck with
 * interrupts and NMIs blocked, and the caller gets HVP_E_BUSY. */
#define ARRIVAL_TIMEOUT_CYCLES 100000000ull

static struct {
	volatile uint32_t active;
	volatile uint32_t arrived;
	volatile uint32_t flush_generation;
	struct vcpu *initiator;
} hold;

static void flush_this_cpu(void)
{
	invept(INVEPT_ALL_CONTEXTS, 0);
	(void)cpuid(0, 0); /* serializing (SDM Vol. 3A, 10.3) */
}

enum hvp_status hvp_smp_hold_others(struct vcpu *self)
{
	uint32_t others = 0;
	uint64_t start;

	hold.initiator = self;
	hold.arrived = 0;
	__atomic_store_n(&hold.active, 1, __ATOMIC_SEQ_CST);
	for (uint32_t i = 0; i < hv.vcpu_count; i++) {
		struct vcpu *t = hv.vcpus[i];

		if (t == self)
			continue;
		others++;
		/* A CPU waiting for SIPI runs no guest code: it counts as
		 * held, and if it wakes it meets the hold first. */
		if (t->parked) {
			__atomic_add_fetch(&hold.arrived, 1, __ATOMIC_SEQ_CST);
			continue;
		}
		hvp_apic_kick(t);
	}
	start = rdtsc();
	while (__atomic_load_n(&hold.arrived, __ATOMIC_SEQ_CST) < others) {
		if (rdtsc() - start > ARRIVAL_TIMEOUT_CYCLES) {
			hvp_warn("cpu %u: only %u of %u CPUs reached VMX root\n", self->index,
				 hold.arrived, others);
			hvp_smp_release_others();
			return HVP_E_BUSY;
		}
		cpu_pause();
	}
	return HVP_OK;
}

void hvp_smp_release_others(void)
{
	__atomic_store_n(&hold.active, 0, __ATOMIC_SEQ_CST);
}

unsigned int hvp_smp_guest_rips(struct vcpu *self, uint64_t *rips, unsigned int max)
{
	unsigned int n = 0;

	for (uint32_t i = 0; i < hv.vcpu_count && n < max; i++) {
		struct vcpu *t = hv.vcpus[i];

		if (t == self)
			rips[n++] = vmread(GUEST_RIP);
		else if (!t->parked)
			rips[n++] = t->held_rip;
	}
	return n;
}

void hvp_smp_flush_all(void)
{
	uint32_t generation;

	flush_this_cpu();
	if (!__atomic_load_n(&hold.active, __ATOMIC_SEQ_CST))
		return;
	generation = __atomic_add_fetch(&hold.flush_generation, 1, __ATOMIC_SEQ_CST);
	for (uint32_t i = 0; i < hv.vcpu_count; i++) {
		struct vcpu *t = hv.vcpus[i];

		if (t == hold.initiator || t->parked)
			continue;
		while (__atomic_load_n(&t->flushed_generation, __ATOMIC_SEQ_CST) != generation)
			cpu_pause();
	}
}

void hvp_smp_service(struct vcpu *v)
{
	if (!__atomic_load_n(&hold.active, __ATOMIC_SEQ_CST) || hold.initiator == v)
		return;
	v->held_rip = vmread(GUEST_RIP);
	v->held_cr3 = vmread(GUEST_CR3);
	__atomic_add_fetch(&hold.arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&hold.active, __ATOMIC_SEQ_CST)) {
		uint32_t generation = __atomic_load_n(&hold.flush_generation, __ATOMIC_SEQ_CST);

		if (v->flushed_generation != generation) {
			flush_this_cpu();
			__atomic_store_n(&v->flushed_generation, generation, __ATOMIC_SEQ_CST);
		}
		cpu_pause();
	}
	flush_this_cpu();
}
