/* SPDX-License-Identifier: MIT */
/*
 * hvp_vmexit_entry: HOST_RIP.  The CPU arrives here on every VM exit with
 * HOST_RSP, the top of this vCPU's stack.  The guest's general registers
 * are saved as a struct guest_regs, hvp_handle_exit() runs, and VMRESUME
 * returns to the guest with the registers it may have changed.
 */
	.text
	.globl hvp_vmexit_entry
hvp_vmexit_entry:
	push %r15
	push %r14
	push %r13
	push %r12
	push %r11
	push %r10
	push %r9
	push %r8
	push %rdi
	push %rsi
	push %rbp
	push $0         /* rsp: the guest's is in the VMCS */
	push %rbx
	push %rdx
	push %rcx
	push %rax
	mov %rsp, %rdi  /* struct guest_regs *, 16-byte aligned */
	call hvp_handle_exit
	pop %rax
	pop %rcx
	pop %rdx
	pop %rbx
	add $8, %rsp
	pop %rbp
	pop %rsi
	pop %rdi
	pop %r8
	pop %r9
	pop %r10
	pop %r11
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	vmresume
	/* Only reached when VMRESUME failed. */
	and $-16, %rsp
	call hvp_vmresume_failed
	ud2

	.section .note.GNU-stack, "", @progbits
