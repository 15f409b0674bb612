/* SPDX-License-Identifier: MIT */
/*
 * VMX root's own descriptor tables and page tables.  Nothing the guest
 * owns survives ExitBootServices and SetVirtualAddressMap, so the host
 * state of every VMCS points only at these, in reserved memory.
 */
#ifndef HVPATCH_X86_HOST_TABLES_H
#define HVPATCH_X86_HOST_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/vcpu.h"

#define HOST_CS 0x08
#define HOST_DS 0x10
#define HOST_TR 0x18

/* One identity map of [0, limit) for every CPU; returns its CR3 or 0. */
uint64_t hvp_host_page_tables(uint64_t limit);
/* The shared IDT (NMI on its own stack, IST1). */
bool hvp_host_idt_init(void);
uint64_t hvp_host_idt_base(void);
/* This vCPU's GDT with a TSS whose IST1 is its NMI stack. */
void hvp_host_gdt_init(struct vcpu *v);

#endif /* HVPATCH_X86_HOST_TABLES_H */
