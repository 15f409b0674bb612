/* SPDX-License-Identifier: MIT */
/*
 * INIT and SIPI in software.  The guest's inter-processor INIT and
 * STARTUP IPIs are caught where they are sent, at the local APIC's
 * interrupt command register (xAPIC MMIO, write-protected in EPT, or the
 * x2APIC ICR MSR), and delivered by the hypervisor itself: the target is
 * pulled into VMX root with an NMI, held there, and started in real mode
 * at the SIPI vector.  No such INIT reaches a virtualized CPU, so this
 * works where VMX cannot hold a CPU in the wait-for-SIPI state
 * (IA32_VMX_MISC bit 8 clear, as under some nested hypervisors) and where
 * an INIT VM exit misbehaves (Bochs 2.7 never clears an INIT that caused
 * a VM exit: every later VM entry to the active state exits again).
 *
 * The xAPIC page is write-protected only during start-up windows
 * (apic_window.c), so that EOI, timer and IPI writes do not exit in the
 * steady state.  An INIT that reaches a vCPU outside a window (sent
 * through the IOAPIC, an MSI, or the ICR without the warm-reset code)
 * takes the architectural path instead: INIT VM exit, wait-for-SIPI,
 * SIPI VM exit (exit_init_sipi.c).  Either way the vCPU restarts under
 * the same EPT, with its TLBs flushed and CR pinning kept.
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
/* The guest-physical address of the xAPIC page. */
uint64_t hvp_apic_page(void);
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
/* Before every VM entry: flushes if asked to, holds the vCPU while an
 * INIT is pending, then starts it at the SIPI vector. */
void hvp_apic_service(struct vcpu *v, struct guest_regs *r);

/* The start-up window (apic_window.c). */
#define HVP_CMOS_INDEX_PORT 0x70
#define HVP_CMOS_DATA_PORT 0x71
/* The guest's kernel is up (it locked): the window may close. */
void hvp_apic_guest_booted(struct vcpu *self);
/* Closes the window if the guest is up and no vCPU waits for a SIPI. */
void hvp_apic_window_update(struct vcpu *self);
/* A guest byte written to a CMOS port: the warm-reset code opens the
 * window. */
void hvp_apic_cmos_write(struct vcpu *self, uint16_t port, uint8_t value);
/* INVEPT here if the window opened while this vCPU ran guest code. */
void hvp_apic_flush_if_requested(struct vcpu *v);

#endif /* HVPATCH_VMX_APIC_H */
