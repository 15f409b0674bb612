/* SPDX-License-Identifier: MIT */
/*
 * INIT and SIPI in software.  The guest's inter-processor INIT and
 * STARTUP IPIs are caught where they are sent, at the local APIC's
 * interrupt command register (xAPIC MMIO, write-protected in EPT, or the
 * x2APIC ICR MSR), and delivered by the hypervisor itself: the target is
 * pulled into VMX root with an NMI, held there, and started in real mode
 * at the SIPI vector.  No INIT ever reaches a virtualized CPU, so this
 * works where VMX cannot hold a CPU in the wait-for-SIPI state
 * (IA32_VMX_MISC bit 8 clear, as under some nested hypervisors) and where
 * an INIT VM exit misbehaves (Bochs 2.7 keeps the INIT pending after the
 * exit and delivers it again after the SIPI).
 */
#ifndef HVPATCH_VMX_APIC_H
#define HVPATCH_VMX_APIC_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/exit.h"

/* On the BSP, once: finds the APIC page and write-protects it in EPT. */
bool hvp_apic_setup(void);
/* On each CPU before launch. */
void hvp_apic_register_cpu(struct vcpu *v);

bool hvp_apic_is_mmio(uint64_t gpa);
/* A guest write to the APIC page (from an EPT violation). */
enum exit_action hvp_apic_mmio_write(struct vcpu *v, struct guest_regs *r,
				     uint64_t gpa);
/* WRMSR to the x2APIC ICR. */
enum exit_action hvp_apic_x2apic_icr_write(struct vcpu *v, uint64_t value);

/* Pulls another vCPU into VMX root with an NMI (a "kick"). */
void hvp_apic_kick(struct vcpu *target);
/* An NMI this CPU was sent as a kick: true if it was one (not the
 * guest's). */
bool hvp_apic_take_kick(struct vcpu *v);
/* Before every VM entry: holds the vCPU while an INIT is pending, then
 * starts it at the SIPI vector. */
void hvp_apic_service(struct vcpu *v, struct guest_regs *r);

#endif /* HVPATCH_VMX_APIC_H */
