/* SPDX-License-Identifier: MIT */
/*
 * Where C meets assembly: the frame the VM-exit stub saves (entry.S), the
 * stubs' symbols, and the C functions the stubs call.  entry.S addresses
 * every register by the GUEST_REGS_* offsets below, and the C side
 * asserts that struct guest_regs has them, so the two cannot drift apart.
 */
#ifndef HVPATCH_X86_ENTRY_H
#define HVPATCH_X86_ENTRY_H

/*
 * The order is the general-purpose register encoding (SDM Vol. 2A,
 * 2.1.5, table 2-2; the same numbers name the register in exit
 * qualifications, SDM Vol. 3C, 28.2.1, tables 28-3 and 28-14), so
 * register n of a qualification is slot n of the frame.  Slot 4 (RSP) is
 * a placeholder: the guest's RSP lives in the VMCS.
 */
#define GUEST_REGS_RAX 0
#define GUEST_REGS_RCX 8
#define GUEST_REGS_RDX 16
#define GUEST_REGS_RBX 24
#define GUEST_REGS_RSP 32
#define GUEST_REGS_RBP 40
#define GUEST_REGS_RSI 48
#define GUEST_REGS_RDI 56
#define GUEST_REGS_R8 64
#define GUEST_REGS_R9 72
#define GUEST_REGS_R10 80
#define GUEST_REGS_R11 88
#define GUEST_REGS_R12 96
#define GUEST_REGS_R13 104
#define GUEST_REGS_R14 112
#define GUEST_REGS_R15 120
/* A multiple of 16: HOST_RSP is 16-byte aligned, and so stays the
 * stack at the call into C (System V ABI). */
#define GUEST_REGS_SIZE 128

/* idt.S's exception stubs, one per vector in vector order. */
#define HVP_EXCEPTION_STUB_SIZE 16

#define GPR_RSP 4 /* the encoding of RSP, whose value is in the VMCS */
#define GPR_COUNT 16

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct guest_regs {
	uint64_t rax, rcx, rdx, rbx, rsp_unused, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

#define GUEST_REGS_ASSERT(field, offset)                                      \
	_Static_assert(offsetof(struct guest_regs, field) == (offset),        \
		       "entry.S saves " #field " at " #offset)
GUEST_REGS_ASSERT(rax, GUEST_REGS_RAX);
GUEST_REGS_ASSERT(rcx, GUEST_REGS_RCX);
GUEST_REGS_ASSERT(rdx, GUEST_REGS_RDX);
GUEST_REGS_ASSERT(rbx, GUEST_REGS_RBX);
GUEST_REGS_ASSERT(rsp_unused, GUEST_REGS_RSP);
GUEST_REGS_ASSERT(rbp, GUEST_REGS_RBP);
GUEST_REGS_ASSERT(rsi, GUEST_REGS_RSI);
GUEST_REGS_ASSERT(rdi, GUEST_REGS_RDI);
GUEST_REGS_ASSERT(r8, GUEST_REGS_R8);
GUEST_REGS_ASSERT(r9, GUEST_REGS_R9);
GUEST_REGS_ASSERT(r10, GUEST_REGS_R10);
GUEST_REGS_ASSERT(r11, GUEST_REGS_R11);
GUEST_REGS_ASSERT(r12, GUEST_REGS_R12);
GUEST_REGS_ASSERT(r13, GUEST_REGS_R13);
GUEST_REGS_ASSERT(r14, GUEST_REGS_R14);
GUEST_REGS_ASSERT(r15, GUEST_REGS_R15);
_Static_assert(sizeof(struct guest_regs) == GUEST_REGS_SIZE &&
	       GUEST_REGS_SIZE == GPR_COUNT * 8 && GUEST_REGS_SIZE % 16 == 0,
	       "one slot per register, and the stack stays 16-byte aligned");
#undef GUEST_REGS_ASSERT

/* entry.S: HOST_RIP, where every VM exit lands. */
void hvp_vmexit_entry(void);
/* idt.S: 32 exception stubs, HVP_EXCEPTION_STUB_SIZE bytes each. */
extern const uint8_t hvp_exception_stubs[];

/* Called from entry.S, with the frame it saved. */
void hvp_handle_exit(struct guest_regs *r);
/* Called from entry.S when VMRESUME falls through. */
__attribute__((noreturn)) void hvp_vmresume_failed(void);
/* Called from idt.S: vector, error code, then the CPU's frame. */
__attribute__((noreturn)) void hvp_host_exception(const uint64_t *frame);
/* Called from idt.S on an NMI in VMX root, caller-saved registers saved. */
void hvp_host_nmi(void);
#endif /* __ASSEMBLER__ */

#endif /* HVPATCH_X86_ENTRY_H */
