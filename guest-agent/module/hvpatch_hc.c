// SPDX-License-Identifier: GPL-2.0
/*
 * The only place that executes VMCALL (docs/hypercalls.md): RAX = call
 * number, RBX and RCX the arguments; RAX comes back as the status and RBX
 * as the result.  An exception-table entry turns a #UD from the VMCALL
 * (no hypervisor, or one that does not handle VMCALL) into an error
 * instead of an oops.
 */
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "hvpatch/abi.h"
#include "hvpatch_hc.h"

bool hvp_hc_detect(u32 *abi_version)
{
	static const char vendor[12] = "hvpatch";
	unsigned int regs[4], max;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
	cpuid(HVP_CPUID_VENDOR_LEAF, &max, &regs[0], &regs[1], &regs[2]);
	if (memcmp(regs, vendor, sizeof(vendor)) != 0)
		return false;
	*abi_version = 0;
	if (max >= HVP_CPUID_VERSION_LEAF)
		*abi_version = cpuid_eax(HVP_CPUID_VERSION_LEAF);
	return true;
}

long hvp_hc_call(u64 nr, u64 a1, u64 a2, u64 *result)
{
	u64 rax = nr, rbx = a1, rcx = a2;
	unsigned int faulted = 1;

	asm volatile("1:	vmcall\n"
		     "	xorl %[f], %[f]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : "+a"(rax), "+b"(rbx), "+c"(rcx), [f] "+r"(faulted)
		     :
		     : "memory", "cc");
	if (faulted)
		return -EOPNOTSUPP;
	if (result)
		*result = rbx;
	return (long)rax;
}
