/* SPDX-License-Identifier: MIT */
/* State shared by every vCPU, set up once by hvp_setup() on the BSP. */
#ifndef HVPATCH_VMX_HV_H
#define HVPATCH_VMX_HV_H

#include <stdint.h>

#include "arch/x86/vmx_caps.h"
#include "boot.h"
#include "mm/ept.h"
#include "vmx/vcpu.h"

struct hv {
	struct hvp_boot_info *boot;
	struct hvp_vmx_caps caps;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t host_cr3;
	struct hvp_ept ept;
	/* A zeroed pool page, never written: what reads of the hypervisor's
	 * memory see (exit_hvmem.c). */
	uint64_t zero_page_hpa;
	/* Mode-based execute control for EPT is on in every VMCS. */
	bool mbec;
	uint32_t vcpu_count;
	/* After lock: CR0.WP, CR4.SMEP and CR4.SMAP may not be cleared. */
	volatile bool cr_pinning;
	uint64_t blocked_cr_writes;
	struct vcpu *vcpus[HVP_BOOT_MAX_CPUS];
};

extern struct hv hv;

#endif /* HVPATCH_VMX_HV_H */
