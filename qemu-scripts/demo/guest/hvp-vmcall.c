// SPDX-License-Identifier: MIT
/*
 * hvp-vmcall [COUNT]: hypercalls from ring 3.  The hypervisor must refuse
 * each with HVP_E_CPL (3) in RAX, not act on it and not crash the guest.
 * Prints "status N" for one call; for COUNT calls (a flood that tries to
 * push earlier events out of the hypervisor's logs), "status N xCOUNT"
 * when every call got the same status, else "mixed statuses".  Without a
 * hypervisor, VMCALL raises #UD (SIGILL).
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long vmcall_lock(void)
{
	unsigned long rax = 0x13, rbx = 0, rcx = 0; /* HVP_HC_LOCK */

	__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx) : : "memory");
	return rax;
}

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	unsigned long first = vmcall_lock();

	for (unsigned long i = 1; i < count; i++) {
		if (vmcall_lock() != first) {
			printf("mixed statuses\n");
			return 1;
		}
	}
	if (count > 1)
		printf("status %lu x%lu\n", first, count);
	else
		printf("status %lu\n", first);
	return 0;
}
