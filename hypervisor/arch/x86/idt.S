/* SPDX-License-Identifier: MIT */
/*
 * Exception entry in VMX root.  An exception here is a hypervisor bug:
 * hvp_host_exception() logs it and stops the CPU.  The NMI is the one
 * expected event: it may arrive while a CPU is in VMX root (with NMI
 * exiting on, guest NMIs become VM exits instead), and is handed back to
 * the guest at the next VM entry (hvp_host_nmi()).
 */
#include "arch/x86/entry.h"

/* Each stub takes one 16-byte slot, which host_tables.c indexes. */
.if HVP_EXCEPTION_STUB_SIZE != 16
.error "HVP_EXCEPTION_STUB_SIZE must match the .p2align 4 below"
.endif

	.text
	.globl hvp_exception_stubs
	.p2align 4
hvp_exception_stubs:
	vector = 0
	.rept 32
	.p2align 4
	/* Vectors 8, 10-14, 17, 21 push an error code; push 0 for the rest. */
	.if vector != 8 && (vector < 10 || vector > 14) && vector != 17 && vector != 21
	pushq $0
	.endif
	pushq $vector
	jmp exception_common
	vector = vector + 1
	.endr

exception_common:
	cmpq $2, (%rsp)
	je nmi
	mov %rsp, %rdi          /* vector, error code, then the CPU's frame */
	and $-16, %rsp
	call hvp_host_exception /* does not return */
	ud2

nmi:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	call hvp_host_nmi
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp           /* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
