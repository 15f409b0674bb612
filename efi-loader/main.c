// SPDX-License-Identifier: MIT
/*
 * hvpatch.efi: read the configuration, check VT-x, load the hypervisor
 * into reserved memory, virtualize every CPU, then start the next boot
 * stage as the guest.  When VT-x cannot be used, the configured policy
 * decides: fail-closed stops the boot and says why, fail-open boots
 * unprotected with a loud warning.
 */
#include <efi.h>
#include <efilib.h>

#include "arch/x86/vmx_caps.h"
#include "config.h"
#include "cpus.h"
#include "elf_image.h"
#include "firmware.h"
#include "loader_log.h"
#include "pem.h"
#include "reserve.h"

#define CONFIG_PATH "\\EFI\\hvpatch\\hvpatch.conf"
#define FAIL_CLOSED_PAUSE_US (10u * 1000u * 1000u)

extern const uint8_t hvp_image_start[], hvp_image_end[];

static void load_config(EFI_HANDLE device, struct hvp_loader_config *cfg)
{
	char *text;
	UINTN size;

	if (!fw_read_file(device, CONFIG_PATH, &text, &size)) {
		hvp_config_defaults(cfg);
		loader_log(HVP_LOG_WARN, "no %s: using safe defaults\n", CONFIG_PATH);
		return;
	}
	hvp_config_parse(cfg, text, size);
	FreePool(text);
	for (unsigned int i = 0; i < cfg->problem_count; i++)
		loader_log(HVP_LOG_WARN, "config: %s\n", cfg->problems[i]);
}

static void enrol_keys(EFI_HANDLE device, const struct hvp_loader_config *cfg,
		       struct hvp_boot_info *info)
{
	for (unsigned int i = 0; i < cfg->key_count && i < HVP_BOOT_MAX_KEYS; i++) {
		char *pem;
		UINTN size;
		size_t der_len;

		if (!fw_read_file(device, cfg->keys[i], &pem, &size)) {
			loader_log(HVP_LOG_ERROR, "key %s: cannot read it, not enrolled\n",
				   cfg->keys[i]);
			continue;
		}
		der_len = hvp_pem_public_key(pem, size, info->key_der[info->key_count],
					     HVP_BOOT_KEY_DER_MAX);
		FreePool(pem);
		if (!der_len) {
			loader_log(HVP_LOG_ERROR, "key %s: no PEM PUBLIC KEY block, not enrolled\n",
				   cfg->keys[i]);
			continue;
		}
		info->key_der_len[info->key_count++] = (uint16_t)der_len;
		loader_log(HVP_LOG_INFO, "key %s: %zu bytes of DER, handed to the hypervisor\n",
			   cfg->keys[i], der_len);
	}
}

static EFI_STATUS start_next_stage(EFI_HANDLE image, EFI_HANDLE device,
				   const struct hvp_loader_config *cfg)
{
	CHAR16 *path = fw_wide(cfg->next_stage), *options = fw_wide(cfg->next_stage_options);
	EFI_DEVICE_PATH *dp = FileDevicePath(device, path);
	EFI_LOADED_IMAGE *loaded;
	EFI_HANDLE next;
	EFI_STATUS st;

	loader_log(HVP_LOG_INFO, "starting next stage %s %s\n", cfg->next_stage,
		   cfg->next_stage_options);
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, dp, NULL, 0, &next);
	if (EFI_ERROR(st)) {
		loader_log(HVP_LOG_ERROR, "cannot load %s (status 0x%llx)\n", cfg->next_stage,
			   (unsigned long long)st);
		return st;
	}
	uefi_call_wrapper(BS->HandleProtocol, 3, next, &LoadedImageProtocol, (void **)&loaded);
	loaded->LoadOptions = options;
	loaded->LoadOptionsSize = (UINT32)(StrLen(options) + 1) * sizeof(CHAR16);
	st = uefi_call_wrapper(BS->StartImage, 3, next, NULL, NULL);
	loader_log(HVP_LOG_ERROR, "next stage returned (status 0x%llx)\n",
		   (unsigned long long)st);
	return st;
}

/* VT-x is missing or unusable: the policy decides. */
static EFI_STATUS without_vtx(EFI_HANDLE image, EFI_HANDLE device,
			      const struct hvp_loader_config *cfg, const char *reason)
{
	loader_log(HVP_LOG_ERROR, "VT-x unavailable: %s\n", reason);
	if (cfg->policy == HVP_POLICY_FAIL_OPEN) {
		loader_log(HVP_LOG_WARN,
			   "WARNING: booting UNPROTECTED (policy fail-open): kernel text is NOT locked, patches are NOT verified\n");
		return start_next_stage(image, device, cfg);
	}
	loader_log(HVP_LOG_ERROR,
		   "policy fail-closed: not booting. Enable VT-x in the firmware setup, or set policy = fail-open in %s\n",
		   CONFIG_PATH);
	uefi_call_wrapper(BS->Stall, 1, FAIL_CLOSED_PAUSE_US);
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_ABORTED, 0, NULL);
	return EFI_ABORTED;
}

/* Loads the hypervisor and returns its entry points, or NULL. */
static const struct hvp_entry_points *load_hypervisor(EFI_HANDLE device,
						      const struct hvp_loader_config *cfg,
						      uint32_t cpus)
{
	size_t elf_len = (size_t)(hvp_image_end - hvp_image_start);
	uint64_t image_size = hvp_elf_image_size(hvp_image_start, elf_len);
	uint64_t phys_limit = fw_physical_limit();
	struct hvp_reserve plan;
	uint64_t region_size;
	uint8_t *region;
	struct hvp_boot_info *info;
	const char *error = "";
	uint64_t entry;

	hvp_reserve_plan(&plan, sizeof(*info), image_size, phys_limit, cpus);
	region_size = plan.total;
	region = fw_reserve(region_size);
	if (!region || !image_size) {
		loader_log(HVP_LOG_ERROR, "cannot reserve %llu KiB for the hypervisor\n",
			   (unsigned long long)(region_size >> 10));
		return NULL;
	}
	/* The boot information first: its magic marks the region's start. */
	info = (struct hvp_boot_info *)region;
	entry = hvp_elf_image_load(hvp_image_start, elf_len, region + plan.info, &error);
	if (!entry) {
		loader_log(HVP_LOG_ERROR, "hypervisor image: %s\n", error);
		return NULL;
	}
	SetMem(info, sizeof(*info), 0);
	CopyMem(info->magic, HVP_RESERVED_MAGIC, sizeof(info->magic));
	info->region_base = (uint64_t)region;
	info->region_size = region_size;
	info->image_size = image_size;
	info->pool_base = (uint64_t)region + plan.info + plan.image;
	info->cpu_count = cpus;
	info->log_level = cfg->log_level;
	info->phys_limit = phys_limit;
	info->pm1a_control_port = fw_pm1a_control_port();
	info->kernel_exec = (uint16_t)cfg->kernel_exec;
	/* After the reservation, so the region is no longer listed as RAM. */
	info->range_count = fw_ram_ranges(info->ram, HVP_BOOT_MAX_RANGES);
	enrol_keys(device, cfg, info);
	/* The guest test reads this line to find memory it must not see. */
	loader_log(HVP_LOG_INFO, "reserved 0x%llx-0x%llx (%llu KiB) for the hypervisor, PM1a port 0x%x\n",
		   (unsigned long long)region, (unsigned long long)(region + region_size - 1),
		   (unsigned long long)(region_size >> 10), info->pm1a_control_port);
	loader_log(HVP_LOG_INFO, "reserved KiB by part: boot info %llu, image %llu, page tables %llu, %u CPU(s) %llu, EPT headroom %llu\n",
		   (unsigned long long)(plan.info >> 10), (unsigned long long)(plan.image >> 10),
		   (unsigned long long)(plan.tables >> 10), cpus,
		   (unsigned long long)(plan.cpus >> 10),
		   (unsigned long long)(plan.headroom >> 10));
	return ((hvp_setup_fn)entry)(info);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
	struct hvp_loader_config cfg;
	const struct hvp_entry_points *entry;
	EFI_LOADED_IMAGE *self;
	struct hvp_vmx_caps caps;
	const char *reason;
	uint32_t cpus, done;

	InitializeLib(image, system_table);
	loader_log_init(HVP_LOG_INFO);
	loader_log(HVP_LOG_INFO, "loader start\n");
	uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&self);
	load_config(self->DeviceHandle, &cfg);
	loader_log_init(cfg.log_level);
	loader_log(HVP_LOG_INFO, "config: policy %s, log level %s, kernel_exec %s, next stage %s, %u key(s)\n",
		   hvp_policy_name(cfg.policy), hvp_log_level_name(cfg.log_level),
		   hvp_kernel_exec_name(cfg.kernel_exec), cfg.next_stage, cfg.key_count);

	cpus = cpus_count();
	hvp_vmx_read_caps(&caps);
	loader_log(HVP_LOG_INFO, "%u CPU(s); VMX %s, feature control 0x%llx, secondary 0x%llx, EPT/VPID 0x%llx\n",
		   cpus, caps.cpuid_vmx ? "present" : "absent",
		   (unsigned long long)caps.feature_control,
		   (unsigned long long)(caps.procbased2 >> 32),
		   (unsigned long long)caps.ept_vpid);
	if (hvp_vmx_check(&caps, &reason) != HVP_VMX_USABLE)
		return without_vtx(image, self->DeviceHandle, &cfg, reason);
	if (cpus > HVP_BOOT_MAX_CPUS)
		return without_vtx(image, self->DeviceHandle, &cfg,
				   "more CPUs than the hypervisor supports");

	entry = load_hypervisor(self->DeviceHandle, &cfg, cpus);
	if (!entry)
		return without_vtx(image, self->DeviceHandle, &cfg,
				   "the hypervisor could not be set up (see above)");
	done = cpus_virtualize_all(entry, cpus);
	if (done != cpus) {
		/* Some CPUs are guests, some not: no safe way back. */
		loader_log(HVP_LOG_ERROR, "only %u of %u CPUs virtualized: stopping\n", done, cpus);
		for (;;)
			uefi_call_wrapper(BS->Stall, 1, 1000000);
	}
	loader_log(HVP_LOG_INFO, "all %u CPUs virtualized; protection is active\n", cpus);
	return start_next_stage(image, self->DeviceHandle, &cfg);
}
