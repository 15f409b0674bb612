// SPDX-License-Identifier: MIT
/*
 * Descriptor-table instructions, which exit once lock has turned on
 * descriptor-table exiting (vmx/pin.c; SDM Vol. 3C, 26.1.3):
 *  - LGDT and LIDT: the same table as at lock is accepted and changes
 *    nothing; any other is refused (#GP, logged, audited), so that the
 *    kernel cannot move its interrupt entry points to a copy of its own;
 *  - SGDT, SIDT, SLDT and STR: emulated from the VMCS, which holds the
 *    guest's registers, for any privilege level the CPU lets through
 *    (CR4.UMIP faults user mode before the exit);
 *  - LLDT and LTR (CPL 0 only, checked by the CPU before the exit):
 *    emulated from the guest's GDT as the CPU loads them (SDM Vol. 2A,
 *    LLDT and LTR; Vol. 3A, 3.5 and 8.2.3, system descriptors).
 * The operand is found from the instruction information (28.2.5, tables
 * 28-10 and 28-11) and the displacement in the exit qualification.  An
 * operand the guest's tables do not map as the access needs gets #GP
 * rather than the CPU's #PF: no kernel issues one by design.
 */
#include "arch/x86/regs.h"
#include "arch/x86/vmx.h"
#include "vmx/guest_memory.h"
#include "vmx/log.h"
#include "vmx/pin.h"

#define INFO_SCALE(i) ((i) & 3)
#define INFO_REG1(i) (((i) >> 3) & 15)
#define INFO_ADDRESS_SIZE(i) (((i) >> 7) & 7) /* 0: 16, 1: 32, 2: 64 bits */
#define INFO_REGISTER_OPERAND (1u << 10)     /* table 28-11 only */
#define INFO_OPERAND_SIZE_32 (1u << 11)      /* table 28-10: else 16-bit */
#define INFO_SEGMENT(i) (((i) >> 15) & 7)
#define INFO_INDEX(i) (((i) >> 18) & 15)
#define INFO_NO_INDEX (1u << 22)
#define INFO_BASE(i) (((i) >> 23) & 15)
#define INFO_NO_BASE (1u << 27)
#define INFO_IDENTITY(i) (((i) >> 28) & 3)

enum { DT_SGDT, DT_SIDT, DT_LGDT, DT_LIDT };   /* table 28-10 */
enum { DT_SLDT, DT_STR, DT_LLDT, DT_LTR };     /* table 28-11 */

/* System descriptor types (SDM Vol. 3A, table 3-2), as in the access
 * rights of the VMCS (25.4.1), and what LLDT and LTR check. */
#define DESC_TYPE(d) (((d) >> 40) & 15)
#define DESC_S (1ull << 44)
#define DESC_P (1ull << 47)
#define DESC_G (1ull << 55)
#define TYPE_LDT 2
#define TYPE_TSS_AVAILABLE 9
#define TYPE_TSS_BUSY 11
#define SEG_AR_UNUSABLE (1u << 16)
#define SELECTOR_TI 4u

static bool long_mode(void)
{
	return vmread(GUEST_SEG_AR(SEG_CS)) & SEG_AR_LONG_MODE;
}

static uint64_t operand_address(const struct guest_regs *r, uint32_t info)
{
	static const uint64_t size_mask[] = { 0xffff, 0xffffffff, ~0ull };
	unsigned int seg = INFO_SEGMENT(info), size = INFO_ADDRESS_SIZE(info);
	uint64_t a = vmread(EXIT_QUALIFICATION); /* the displacement */

	if (!(info & INFO_NO_BASE))
		a += hvp_guest_gpr(r, INFO_BASE(info));
	if (!(info & INFO_NO_INDEX))
		a += hvp_guest_gpr(r, INFO_INDEX(info)) << INFO_SCALE(info);
	a &= size_mask[size < 3 ? size : 2];
	/* In 64-bit mode only FS and GS have a base (SDM Vol. 3A, 3.4.4). */
	if (!long_mode() || seg == SEG_FS || seg == SEG_GS)
		a += vmread(GUEST_SEG_BASE(seg));
	return long_mode() ? a : (uint32_t)a;
}

static enum hvp_status store(uint64_t gla, const void *src, size_t len)
{
	return hvp_guest_write_linear(vmread(GUEST_CR0), vmread(GUEST_CR3), gla,
				      src, len, hvp_guest_cpl());
}

/* The pseudo-descriptor: a 16-bit limit, then a 64-bit base in 64-bit
 * mode or a 32-bit one otherwise (SDM Vol. 2A, LGDT/LIDT, SGDT/SIDT). */
static size_t pseudo_descriptor_len(void)
{
	return long_mode() ? 10 : 6;
}

enum exit_action hvp_exit_gdtr_idtr(struct vcpu *v, struct guest_regs *r)
{
	uint32_t info = (uint32_t)vmread(EXIT_INSTRUCTION_INFO);
	unsigned int id = INFO_IDENTITY(info);
	bool idt = id == DT_SIDT || id == DT_LIDT;
	uint64_t gla = operand_address(r, info), base = 0;
	size_t len = pseudo_descriptor_len();
	uint8_t pd[10] = { 0 };
	uint16_t limit;

	if (id == DT_SGDT || id == DT_SIDT) {
		limit = (uint16_t)vmread(idt ? GUEST_IDTR_LIMIT : GUEST_GDTR_LIMIT);
		base = vmread(idt ? GUEST_IDTR_BASE : GUEST_GDTR_BASE);
		for (unsigned int i = 0; i < 2; i++)
			pd[i] = (uint8_t)(limit >> (8 * i));
		for (unsigned int i = 0; i < len - 2; i++)
			pd[2 + i] = (uint8_t)(base >> (8 * i));
		if (store(gla, pd, len) != HVP_OK)
			return hvp_inject_gp();
		return EXIT_SKIP_INSTRUCTION;
	}
	if (hvp_guest_read_linear(vmread(GUEST_CR0), vmread(GUEST_CR3), gla, pd,
				  len) != HVP_OK)
		return hvp_inject_gp();
	limit = (uint16_t)(pd[0] | pd[1] << 8);
	for (unsigned int i = 0; i < len - 2; i++)
		base |= (uint64_t)pd[2 + i] << (8 * i);
	/* A 16-bit operand loads 24 bits of base outside 64-bit mode. */
	if (!long_mode() && !(info & INFO_OPERAND_SIZE_32))
		base &= 0xffffff;
	if (v->pins.active &&
	    !(idt ? base == v->pins.idtr_base && limit == v->pins.idtr_limit :
		    base == v->pins.gdtr_base && limit == v->pins.gdtr_limit))
		return hvp_pin_refuse(v, idt ? HVP_PINNED_IDTR : HVP_PINNED_GDTR, base);
	/* Pinned and the same table, or a vCPU restarting (pin.c). */
	vmwrite(idt ? GUEST_IDTR_BASE : GUEST_GDTR_BASE, base);
	vmwrite(idt ? GUEST_IDTR_LIMIT : GUEST_GDTR_LIMIT, limit);
	return EXIT_SKIP_INSTRUCTION;
}

/* LLDT or LTR of selector sel (SDM Vol. 2A): the descriptor from the GDT,
 * checked as the CPU checks it, into the VMCS; a TSS is marked busy. */
static enum exit_action load_system_segment(uint16_t sel, bool tr)
{
	uint64_t gdt = vmread(GUEST_GDTR_BASE), cr0 = vmread(GUEST_CR0);
	uint64_t cr3 = vmread(GUEST_CR3), d[2];
	enum vmcs_segment seg = tr ? SEG_TR : SEG_LDTR;
	uint32_t limit;

	if (!tr && (sel & ~3u) == 0) {
		vmwrite(GUEST_SEG_SELECTOR(SEG_LDTR), sel);
		vmwrite(GUEST_SEG_AR(SEG_LDTR), SEG_AR_UNUSABLE);
		return EXIT_SKIP_INSTRUCTION;
	}
	if ((sel & ~3u) == 0 || (sel & SELECTOR_TI) ||
	    (sel | 7u) + 8u > vmread(GUEST_GDTR_LIMIT) ||
	    hvp_guest_read_linear(cr0, cr3, gdt + (sel & ~7u), d, sizeof(d)) != HVP_OK ||
	    (d[0] & DESC_S) ||
	    DESC_TYPE(d[0]) != (tr ? TYPE_TSS_AVAILABLE : TYPE_LDT)) {
		hvp_inject_exception(VECTOR_GP, true, sel & ~3u);
		return EXIT_RESUME;
	}
	if (!(d[0] & DESC_P)) {
		hvp_inject_exception(VECTOR_NP, true, sel & ~3u);
		return EXIT_RESUME;
	}
	if (tr) {
		uint8_t type_byte = (uint8_t)(d[0] >> 40) | (TYPE_TSS_BUSY - TYPE_TSS_AVAILABLE);

		/* The CPU's own write of the busy bit: a supervisor access. */
		if (hvp_guest_write_linear(cr0 & ~CR0_WP, cr3, gdt + (sel & ~7u) + 5,
					   &type_byte, 1, 0) != HVP_OK)
			return hvp_inject_gp();
		d[0] |= (uint64_t)(TYPE_TSS_BUSY - TYPE_TSS_AVAILABLE) << 40;
	}
	limit = (uint32_t)((d[0] & 0xffff) | ((d[0] >> 48) & 15) << 16);
	if (d[0] & DESC_G)
		limit = limit << 12 | 0xfff;
	vmwrite(GUEST_SEG_SELECTOR(seg), sel);
	vmwrite(GUEST_SEG_BASE(seg), ((d[0] >> 16) & 0xffffff) | ((d[0] >> 56) & 0xff) << 24 |
					     (d[1] & 0xffffffff) << 32);
	vmwrite(GUEST_SEG_LIMIT(seg), limit);
	vmwrite(GUEST_SEG_AR(seg), (uint32_t)(d[0] >> 40) & 0xf0ff);
	return EXIT_SKIP_INSTRUCTION;
}

enum exit_action hvp_exit_ldtr_tr(struct vcpu *v, struct guest_regs *r)
{
	uint32_t info = (uint32_t)vmread(EXIT_INSTRUCTION_INFO);
	unsigned int id = INFO_IDENTITY(info);
	bool in_register = info & INFO_REGISTER_OPERAND;
	uint64_t gla = in_register ? 0 : operand_address(r, info);
	uint16_t sel;

	if (id == DT_SLDT || id == DT_STR) {
		sel = (uint16_t)vmread(GUEST_SEG_SELECTOR(id == DT_STR ? SEG_TR : SEG_LDTR));
		/* A register gets the selector zero-extended (SDM Vol. 2B). */
		if (in_register)
			hvp_guest_set_gpr(r, INFO_REG1(info), sel);
		else if (store(gla, &sel, sizeof(sel)) != HVP_OK)
			return hvp_inject_gp();
		return EXIT_SKIP_INSTRUCTION;
	}
	if (in_register)
		sel = (uint16_t)hvp_guest_gpr(r, INFO_REG1(info));
	else if (hvp_guest_read_linear(vmread(GUEST_CR0), vmread(GUEST_CR3), gla,
				       &sel, sizeof(sel)) != HVP_OK)
		return hvp_inject_gp();
	return load_system_segment(sel, id == DT_LTR);
}
