/* SPDX-License-Identifier: MIT */
/*
 * The loader-to-hypervisor hand-off.  The loader reserves one region:
 * a struct hvp_boot_info in its first page, the hypervisor image next,
 * then a pool of pages for the hypervisor's tables.  It calls the image's entry point, hvp_setup(), once on the BSP.
 * Then on every processor, the BSP last, it calls prepare_cpu() (VMXON,
 * and a VMCS that describes the CPU as it is) and launches the guest with
 * its own stub, which must live in the loader: from the moment a CPU is
 * virtualized it runs as a guest, and the reserved region, hypervisor
 * code included, is no longer mapped for it (EPT).
 */
#ifndef HVPATCH_BOOT_H
#define HVPATCH_BOOT_H

#include <stdint.h>

#define HVP_BOOT_MAX_CPUS 64u
#define HVP_BOOT_MAX_KEYS 8u
#define HVP_BOOT_KEY_DER_MAX 128u
#define HVP_BOOT_MAX_RANGES 128u
/* At the start of the reserved region, so a guest test can look for it. */
#define HVP_RESERVED_MAGIC "HVPATCH-RESERVED"

struct hvp_boot_range {
	uint64_t base, size; /* guest-physical RAM, from the UEFI memory map */
};

struct hvp_boot_info {
	char magic[16];            /* HVP_RESERVED_MAGIC */
	uint64_t region_base;      /* the whole reserved region: image, */
	uint64_t region_size;      /* this struct, stacks, tables, pools */
	uint64_t image_size;
	uint64_t pool_base;        /* pages from here to the region's end */
	uint32_t cpu_count;
	uint32_t log_level;        /* enum hvp_log_level */
	uint64_t phys_limit;       /* EPT identity-maps [0, phys_limit) */
	uint16_t pm1a_control_port; /* from the FADT; 0 if none */
	uint16_t kernel_exec;       /* enum hvp_kernel_exec_mode */
	uint16_t reserved[2];
	uint32_t range_count;
	uint32_t key_count;
	struct hvp_boot_range ram[HVP_BOOT_MAX_RANGES];
	uint16_t key_der_len[HVP_BOOT_MAX_KEYS];
	uint8_t key_der[HVP_BOOT_MAX_KEYS][HVP_BOOT_KEY_DER_MAX];
};

/* Return codes of the entry points. */
enum hvp_boot_status {
	HVP_BOOT_OK = 0,
	HVP_BOOT_NO_MEMORY,
	HVP_BOOT_NO_VMX,
	HVP_BOOT_VMXON_FAILED,
	HVP_BOOT_VMCS_FAILED,
	HVP_BOOT_LAUNCH_FAILED,
};

struct hvp_entry_points {
	/* VMXON and a current VMCS on this CPU; enum hvp_boot_status. */
	int (*prepare_cpu)(uint32_t cpu_index);
	/* After a failed VMLAUNCH: logs why and leaves VMX operation. */
	void (*launch_failed)(uint32_t cpu_index);
};

/* The image's ELF entry point. */
typedef const struct hvp_entry_points *(*hvp_setup_fn)(struct hvp_boot_info *info);
/* The image's ELF entry point (the linker's -e), of type hvp_setup_fn. */
const struct hvp_entry_points *hvp_setup(struct hvp_boot_info *info);

#endif /* HVPATCH_BOOT_H */
