/* SPDX-License-Identifier: MIT */
/*
 * hvp_vmexit_entry: HOST_RIP.  The CPU arrives here on every VM exit with
 * HOST_RSP, the top of this vCPU's stack, and the guest's general
 * registers still live.  They are saved as a struct guest_regs (the
 * offsets come from entry.h, whose C side asserts the struct matches),
 * hvp_handle_exit() runs, and VMRESUME returns to the guest with the
 * registers the handlers may have changed.  RSP is not saved: the guest's
 * is in the VMCS (SDM Vol. 3C, 28.5, loading host state).
 */
#include "arch/x86/entry.h"

	.text
	.globl hvp_vmexit_entry
hvp_vmexit_entry:
	sub $GUEST_REGS_SIZE, %rsp
	mov %rax, GUEST_REGS_RAX(%rsp)
	mov %rcx, GUEST_REGS_RCX(%rsp)
	mov %rdx, GUEST_REGS_RDX(%rsp)
	mov %rbx, GUEST_REGS_RBX(%rsp)
	movq $0, GUEST_REGS_RSP(%rsp)
	mov %rbp, GUEST_REGS_RBP(%rsp)
	mov %rsi, GUEST_REGS_RSI(%rsp)
	mov %rdi, GUEST_REGS_RDI(%rsp)
	mov %r8, GUEST_REGS_R8(%rsp)
	mov %r9, GUEST_REGS_R9(%rsp)
	mov %r10, GUEST_REGS_R10(%rsp)
	mov %r11, GUEST_REGS_R11(%rsp)
	mov %r12, GUEST_REGS_R12(%rsp)
	mov %r13, GUEST_REGS_R13(%rsp)
	mov %r14, GUEST_REGS_R14(%rsp)
	mov %r15, GUEST_REGS_R15(%rsp)
	mov %rsp, %rdi  /* struct guest_regs *, 16-byte aligned */
	call hvp_handle_exit
	mov GUEST_REGS_RAX(%rsp), %rax
	mov GUEST_REGS_RCX(%rsp), %rcx
	mov GUEST_REGS_RDX(%rsp), %rdx
	mov GUEST_REGS_RBX(%rsp), %rbx
	mov GUEST_REGS_RBP(%rsp), %rbp
	mov GUEST_REGS_RSI(%rsp), %rsi
	mov GUEST_REGS_RDI(%rsp), %rdi
	mov GUEST_REGS_R8(%rsp), %r8
	mov GUEST_REGS_R9(%rsp), %r9
	mov GUEST_REGS_R10(%rsp), %r10
	mov GUEST_REGS_R11(%rsp), %r11
	mov GUEST_REGS_R12(%rsp), %r12
	mov GUEST_REGS_R13(%rsp), %r13
	mov GUEST_REGS_R14(%rsp), %r14
	mov GUEST_REGS_R15(%rsp), %r15
	add $GUEST_REGS_SIZE, %rsp
	vmresume
	/* Only reached when VMRESUME failed. */
	and $-16, %rsp
	call hvp_vmresume_failed
	ud2

	.section .note.GNU-stack, "", @progbits
