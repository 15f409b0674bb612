/* SPDX-License-Identifier: MIT */
/* What the loader asks of UEFI: files on its own volume, memory, ACPI. */
#ifndef HVPATCH_LOADER_FIRMWARE_H
#define HVPATCH_LOADER_FIRMWARE_H

#include <efi.h>
#include <stdbool.h>
#include <stdint.h>

#include "boot.h"

/* Reads an ASCII \path from the loader's volume into pool memory, NUL
 * terminated; false if it cannot. */
bool fw_read_file(EFI_HANDLE device, const char *path, char **data,
		  UINTN *size);
/* The highest address any memory-map entry reaches, at least 4 GiB. */
uint64_t fw_physical_limit(void);
/* Guest RAM ranges from the memory map, merged; returns how many. */
uint32_t fw_ram_ranges(struct hvp_boot_range *out, uint32_t max);
/* Pages of EfiReservedMemoryType memory: the OS will never own them. */
void *fw_reserve(uint64_t bytes);
/* The ACPI PM1a control port from the FADT, or 0. */
uint16_t fw_pm1a_control_port(void);
/* CHAR16 copy of an ASCII string, in pool memory. */
CHAR16 *fw_wide(const char *s);

#endif /* HVPATCH_LOADER_FIRMWARE_H */
