/* SPDX-License-Identifier: MIT */
/* One virtual CPU: its VMX regions, host stacks and tables, and counters. */
#ifndef HVPATCH_VMX_VCPU_H
#define HVPATCH_VMX_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "arch/x86/entry.h"
#include "arch/x86/vmcs.h"

struct host_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

#define HOST_STACK_SIZE (16u * 1024u)
/* LSTAR, CSTAR, STAR and the three SYSENTER MSRs (vmx/pin.c). */
#define HVP_PINNED_MSRS 6u
#define NMI_STACK_SIZE 4096u

struct vcpu {
	struct vcpu *self; /* at %gs:0 in VMX root */
	uint32_t index;
	bool launched;
	volatile uint32_t pending_nmis; /* guest NMIs to deliver */
	/* Software INIT/SIPI (vmx/apic.c). */
	uint32_t apic_id;
	volatile uint32_t kicks;        /* NMIs sent to pull it into VMX root */
	volatile bool init_requested;
	volatile uint32_t sipi;         /* 0, or 0x100 | the SIPI vector */
	volatile bool parked;           /* waiting for SIPI: in VMX root, or
					 * in the wait-for-SIPI state */
	volatile bool flush_requested;  /* INVEPT before the next VM entry */
	/* Held for a patch (vmx/smp.c). */
	uint64_t held_rip, held_cr3;
	volatile uint32_t flushed_generation;
	/* CR0.WP, CR4.SMEP and CR4.SMAP owned by the hypervisor (lock). */
	bool cr_pinned;
	/* This vCPU's entry points and control state as lock found them
	 * (vmx/pin.c). */
	struct {
		bool active;
		bool restarting; /* INIT after lock: until state_is_pinned() */
		uint64_t gdtr_base, idtr_base;
		uint32_t gdtr_limit, idtr_limit;
		uint64_t msr[HVP_PINNED_MSRS];
		bool nxe;
	} pins;
	uint8_t *vmxon, *vmcs, *msr_bitmap, *io_bitmaps;
	uint8_t *stack, *nmi_stack;
	uint64_t gdt[8];
	struct host_tss tss;
	/* The guest's own view of CR0 and CR4 (the read shadows). */
	uint64_t guest_cr0, guest_cr4;
	uint64_t exits[EXIT_REASON_COUNT];
	uint64_t exits_total;
};

/* The vCPU running on this CPU, in VMX root. */
static inline struct vcpu *this_vcpu(void)
{
	return (struct vcpu *)read_gs_qword(offsetof(struct vcpu, self));
}

#endif /* HVPATCH_VMX_VCPU_H */
