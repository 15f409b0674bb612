/* SPDX-License-Identifier: MIT */
/*
 * hvp_launch_this_cpu: turns the calling code into the guest.  The
 * hypervisor's prepare_cpu() has left a current VMCS filled in except for
 * the guest's RSP and RIP; this points them at our own stack and at label
 * 1 below, then VMLAUNCHes.  The caller carries on at label 1, now in VMX
 * non-root operation, and sees 0.  If VMLAUNCH fails, it returns 1 (SDM
 * Vol. 3C, 31.3, VMLAUNCH/VMRESUME).
 *
 * It lives in the loader, not the hypervisor, because a virtualized CPU
 * can no longer fetch from hypervisor memory: label 1 must be guest code.
 */
#define GUEST_RSP 0x681c
#define GUEST_RIP 0x681e

	.text
	.globl hvp_launch_this_cpu
hvp_launch_this_cpu:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov $GUEST_RSP, %eax
	vmwrite %rsp, %rax
	mov $GUEST_RIP, %eax
	lea 1f(%rip), %rdx
	vmwrite %rdx, %rax
	vmlaunch
	mov $1, %eax
	jmp 2f
1:	xor %eax, %eax
2:	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

	.section .note.GNU-stack, "", @progbits
