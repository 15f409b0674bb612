// SPDX-License-Identifier: MIT
/*
 * hvp-vmcall: a hypercall from ring 3.  The hypervisor must refuse it
 * with HVP_E_CPL (3) in RAX, not act on it and not crash the guest.
 * Prints "status N".  Without a hypervisor, VMCALL raises #UD (SIGILL).
 */
#include <stdio.h>

int main(void)
{
	unsigned long rax = 0x13, rbx = 0, rcx = 0; /* HVP_HC_LOCK */

	__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx) : : "memory");
	printf("status %lu\n", rax);
	return 0;
}
