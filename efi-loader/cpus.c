// SPDX-License-Identifier: MIT
/*
 * Every processor runs under the hypervisor, or none is trusted: a CPU
 * left outside could write the kernel's text freely.  The APs go first,
 * in parallel, through EFI_MP_SERVICES; the BSP goes last, because once
 * it is a guest it can no longer reach the hypervisor's memory.
 */
#include "cpus.h"

#include <efi.h>
#include <efilib.h>

#include "arch/x86/cpu.h"
#include "hvpatch/abi.h"
#include "loader_log.h"
#include "mp_services.h"

extern int hvp_launch_this_cpu(void);

static EFI_MP_SERVICES_PROTOCOL *mp_services(void)
{
	EFI_GUID guid = EFI_MP_SERVICES_PROTOCOL_GUID;
	EFI_MP_SERVICES_PROTOCOL *mp = NULL;

	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &guid, NULL, (void **)&mp)))
		return NULL;
	return mp;
}

uint32_t cpus_count(void)
{
	EFI_MP_SERVICES_PROTOCOL *mp = mp_services();
	UINTN count = 1, enabled = 1;

	if (mp && EFI_ERROR(uefi_call_wrapper(mp->GetNumberOfProcessors, 3, mp,
					      &count, &enabled)))
		enabled = 1;
	return (uint32_t)enabled;
}

struct launch {
	struct hvp_entry_points entry;
	EFI_MP_SERVICES_PROTOCOL *mp;
	volatile uint32_t virtualized;
};

/* True when CPUID answers with the hypervisor's leaf: this CPU is a guest. */
static bool cpu_is_guest(void)
{
	struct cpuid_regs r = cpuid(HVP_CPUID_VENDOR_LEAF, 0);

	return r.ebx == 0x61707668 && r.ecx == 0x00686374; /* "hvpatch" */
}

static void virtualize_this_cpu(struct launch *l, uint32_t index, bool is_ap)
{
	int status = l->entry.prepare_cpu(index);

	if (status == HVP_BOOT_OK && hvp_launch_this_cpu() != 0) {
		l->entry.launch_failed(index);
		status = HVP_BOOT_LAUNCH_FAILED;
	}
	if (status != HVP_BOOT_OK || !cpu_is_guest()) {
		if (is_ap)
			loader_log_ap("cpu %u NOT virtualized (status %d)\n", index, status);
		else
			loader_log(HVP_LOG_ERROR, "cpu %u NOT virtualized (status %d)\n",
				   index, status);
		return;
	}
	__atomic_add_fetch(&l->virtualized, 1, __ATOMIC_SEQ_CST);
	if (is_ap)
		loader_log_ap("cpu %u virtualized\n", index);
	else
		loader_log(HVP_LOG_INFO, "cpu %u virtualized\n", index);
}

static VOID EFIAPI ap_procedure(VOID *argument)
{
	struct launch *l = argument;
	UINTN me = 0;

	uefi_call_wrapper(l->mp->WhoAmI, 2, l->mp, &me);
	virtualize_this_cpu(l, (uint32_t)me, true);
}

uint32_t cpus_virtualize_all(const struct hvp_entry_points *entry, uint32_t count)
{
	struct launch l = { .entry = *entry, .mp = mp_services() };
	UINTN bsp = 0;

	if (count > 1 && l.mp) {
		EFI_STATUS st = uefi_call_wrapper(l.mp->StartupAllAPs, 7, l.mp, ap_procedure,
						  FALSE, NULL, 0, &l, NULL);

		if (EFI_ERROR(st))
			loader_log(HVP_LOG_ERROR, "starting the APs failed: status 0x%llx\n", (unsigned long long)st);
		uefi_call_wrapper(l.mp->WhoAmI, 2, l.mp, &bsp);
	}
	virtualize_this_cpu(&l, (uint32_t)bsp, false);
	return l.virtualized;
}
