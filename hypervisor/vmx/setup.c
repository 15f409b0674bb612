// SPDX-License-Identifier: MIT
/*
 * Bring-up: hvp_setup() builds what all vCPUs share, once, on the BSP;
 * prepare_cpu() enters VMX operation on one CPU and fills its VMCS.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/host_tables.h"
#include "arch/x86/msr.h"
#include "arch/x86/regs.h"
#include "arch/x86/vmcs_setup.h"
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "mm/ept_identity.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"
#include "vmx/pool.h"

struct hv hv;

static void read_mtrrs(struct hvp_mtrr_state *m)
{
	uint64_t cap = rdmsr(MSR_IA32_MTRRCAP), def = rdmsr(MSR_IA32_MTRR_DEF_TYPE);
	static const uint32_t fixed_msrs[11] = {
		MSR_IA32_MTRR_FIX64K_00000, MSR_IA32_MTRR_FIX16K_80000,
		MSR_IA32_MTRR_FIX16K_A0000, MSR_IA32_MTRR_FIX4K_C0000,
		MSR_IA32_MTRR_FIX4K_C0000 + 1, MSR_IA32_MTRR_FIX4K_C0000 + 2,
		MSR_IA32_MTRR_FIX4K_C0000 + 3, MSR_IA32_MTRR_FIX4K_C0000 + 4,
		MSR_IA32_MTRR_FIX4K_C0000 + 5, MSR_IA32_MTRR_FIX4K_C0000 + 6,
		MSR_IA32_MTRR_FIX4K_C0000 + 7,
	};
	unsigned int phys_bits =
		CPUID_ADDRESS_SIZES_PHYS_BITS(cpuid(CPUID_LEAF_ADDRESS_SIZES, 0).eax);

	/* SDM Vol. 3A, 13.11.2.1, IA32_MTRR_DEF_TYPE; 13.11.1, MTRRCAP. */
	*m = (struct hvp_mtrr_state){
		.enabled = def & MTRR_DEF_TYPE_E,
		.fixed_enabled = (def & MTRR_DEF_TYPE_FE) && (cap & MTRRCAP_FIX),
		.default_type = MTRR_DEF_TYPE_TYPE(def),
		.variable_count = MTRRCAP_VCNT(cap),
		.phys_mask = (1ull << (phys_bits ? phys_bits : 36)) - 1,
	};
	if (m->variable_count > HVP_MTRR_MAX_VARIABLE)
		m->variable_count = HVP_MTRR_MAX_VARIABLE;
	for (unsigned int i = 0; m->fixed_enabled && i < 11; i++)
		m->fixed[i] = rdmsr(fixed_msrs[i]);
	for (unsigned int i = 0; i < m->variable_count; i++) {
		m->variable[i].base = rdmsr(MSR_IA32_MTRR_PHYSBASE0 + 2 * i);
		m->variable[i].mask = rdmsr(MSR_IA32_MTRR_PHYSBASE0 + 2 * i + 1);
	}
}

static struct vcpu *new_vcpu(uint32_t index)
{
	struct vcpu *v = hvp_pool_pages((sizeof(*v) + 4095) / 4096);

	if (!v)
		return NULL;
	v->self = v;
	v->index = index;
	v->vmxon = hvp_pool_pages(1);
	v->vmcs = hvp_pool_pages(1);
	v->msr_bitmap = hvp_pool_pages(1);
	v->io_bitmaps = hvp_pool_pages(2);
	v->stack = hvp_pool_pages(HOST_STACK_SIZE / 4096);
	v->nmi_stack = hvp_pool_pages(NMI_STACK_SIZE / 4096);
	if (!v->vmxon || !v->vmcs || !v->msr_bitmap || !v->io_bitmaps ||
	    !v->stack || !v->nmi_stack)
		return NULL;
	return v;
}

/* Enters VMX operation (SDM Vol. 3C, 24.7-24.8) and makes this vCPU's
 * VMCS current and filled in. */
static int prepare_cpu(uint32_t index)
{
	struct vcpu *v = index < hv.vcpu_count ? hv.vcpus[index] : NULL;
	uint32_t revision = VMX_BASIC_REVISION(hv.caps.basic);
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (!v)
		return HVP_BOOT_NO_MEMORY;
	if (!(cpuid(1, 0).ecx & CPUID_1_ECX_VMX))
		return HVP_BOOT_NO_VMX;
	if (!(fc & FEATURE_CONTROL_LOCKED))
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCKED |
						       FEATURE_CONTROL_VMX_OUTSIDE_SMX);
	write_cr0((read_cr0() | hv.cr0_fixed0) & hv.cr0_fixed1);
	write_cr4((read_cr4() | hv.cr4_fixed0 | CR4_VMXE) & hv.cr4_fixed1);
	hvp_apic_register_cpu(v);
	*(uint32_t *)v->vmxon = revision;
	*(uint32_t *)v->vmcs = revision;
	if (!vmxon((uint64_t)v->vmxon)) {
		hvp_error("cpu %u: VMXON failed\n", index);
		return HVP_BOOT_VMXON_FAILED;
	}
	if (!vmclear((uint64_t)v->vmcs) || !vmptrld((uint64_t)v->vmcs) ||
	    !hvp_vmcs_setup(v)) {
		hvp_error("cpu %u: VMCS set-up failed\n", index);
		vmxoff();
		write_cr4(read_cr4() & ~CR4_VMXE);
		return HVP_BOOT_VMCS_FAILED;
	}
	invept(INVEPT_ALL_CONTEXTS, 0);
	hvp_info("cpu %u: VMCS ready, launching\n", index);
	return HVP_BOOT_OK;
}

static void launch_failed(uint32_t index)
{
	hvp_error("cpu %u: VMLAUNCH failed, VM-instruction error %llu\n", index,
		  (unsigned long long)vmread(VM_INSTRUCTION_ERROR));
	vmxoff();
	write_cr4(read_cr4() & ~CR4_VMXE);
}

static const struct hvp_entry_points entry_points = {
	.prepare_cpu = prepare_cpu,
	.launch_failed = launch_failed,
};

const struct hvp_entry_points *hvp_setup(struct hvp_boot_info *info)
{
	struct hvp_mtrr_state mtrr;
	const char *reason;

	hv.boot = info;
	hvp_log_init((enum hvp_log_level)info->log_level);
	hvp_vmx_read_caps(&hv.caps);
	if (hvp_vmx_check(&hv.caps, &reason) != HVP_VMX_USABLE) {
		hvp_error("VT-x cannot be used: %s\n", reason);
		return NULL;
	}
	/* Checked before use, as every optional control (SDM Vol. 3D, A.3.3). */
	hv.mbec = hvp_vmx_allows(hv.caps.procbased2, VMX_PROC2_MODE_BASED_EPT_EXEC);
	hv.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	hv.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	hv.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	hv.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	hvp_pool_init(info->pool_base, info->region_base + info->region_size);

	read_mtrrs(&mtrr);
	hv.zero_page_hpa = (uint64_t)(uintptr_t)hvp_pool_pages(1);
	hv.host_cr3 = hvp_host_page_tables(info->phys_limit);
	if (!hv.zero_page_hpa || !hv.host_cr3 || !hvp_host_idt_init() ||
	    hvp_ept_init(&hv.ept, &hvp_pool_alloc) != HVP_OK ||
	    hvp_ept_identity_map(&hv.ept, &mtrr, info->phys_limit,
				 info->region_base, info->region_size) != HVP_OK ||
	    !hvp_apic_setup()) {
		hvp_error("out of reserved memory building page tables\n");
		return NULL;
	}
	if (!hvp_patch_host_init())
		return NULL;
	hv.vcpu_count = info->cpu_count;
	for (uint32_t i = 0; i < hv.vcpu_count; i++)
		if (!(hv.vcpus[i] = new_vcpu(i))) {
			hvp_error("out of reserved memory for cpu %u\n", i);
			return NULL;
		}
	hvp_info("VMX: basic 0x%llx procbased2 0x%llx ept/vpid 0x%llx misc 0x%llx%s\n",
		 (unsigned long long)hv.caps.basic,
		 (unsigned long long)hv.caps.procbased2,
		 (unsigned long long)hv.caps.ept_vpid,
		 (unsigned long long)hv.caps.misc,
		 hv.caps.misc & VMX_MISC_WAIT_FOR_SIPI ? "" :
		 " (no wait-for-SIPI state: APs cannot be restarted)");
	hvp_info("MTRRs: %s, default type %u, %u variable ranges\n",
		 mtrr.enabled ? "on" : "off", mtrr.default_type, mtrr.variable_count);
	hvp_info("EPT: identity map of 0x%llx bytes, %u table pages, hypervisor 0x%llx-0x%llx unmapped\n",
		 (unsigned long long)info->phys_limit, hv.ept.table_pages,
		 (unsigned long long)info->region_base,
		 (unsigned long long)(info->region_base + info->region_size - 1));
	hvp_info("reserved memory: %llu KiB (image %llu KiB, pool %llu KiB, %llu KiB used)\n",
		 (unsigned long long)(info->region_size >> 10),
		 (unsigned long long)(info->image_size >> 10),
		 (unsigned long long)(hvp_pool_size() >> 10),
		 (unsigned long long)(hvp_pool_used() >> 10));
	return &entry_points;
}
