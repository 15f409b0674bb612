// SPDX-License-Identifier: MIT
#include "firmware.h"

#include <efilib.h>

CHAR16 *fw_wide(const char *s)
{
	UINTN n = 0;
	CHAR16 *w;

	while (s[n])
		n++;
	w = AllocatePool((n + 1) * sizeof(CHAR16));
	if (!w)
		return NULL;
	for (UINTN i = 0; i <= n; i++)
		w[i] = (CHAR16)(unsigned char)s[i];
	return w;
}

bool fw_read_file(EFI_HANDLE device, const char *path, char **data, UINTN *size)
{
	EFI_FILE_HANDLE root = LibOpenRoot(device), file;
	EFI_FILE_INFO *info;
	CHAR16 *wide = fw_wide(path);
	EFI_STATUS st;
	bool ok = false;

	if (!root || !wide)
		goto out;
	st = uefi_call_wrapper(root->Open, 5, root, &file, wide, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		goto out;
	info = LibFileInfo(file);
	if (info) {
		*size = info->FileSize;
		*data = AllocatePool(*size + 1);
		if (*data) {
			st = uefi_call_wrapper(file->Read, 3, file, size, *data);
			ok = !EFI_ERROR(st);
			(*data)[ok ? *size : 0] = '\0';
		}
		FreePool(info);
	}
	uefi_call_wrapper(file->Close, 1, file);
out:
	if (wide)
		FreePool(wide);
	return ok;
}

uint64_t fw_physical_limit(void)
{
	UINTN entries, key, desc_size;
	UINT32 version;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&entries, &key, &desc_size, &version);
	uint64_t limit = 4ull << 30;

	for (UINTN i = 0; map && i < entries; i++) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)map + i * desc_size);
		uint64_t end = d->PhysicalStart + (d->NumberOfPages << 12);

		if (end > limit)
			limit = end;
	}
	if (map)
		FreePool(map);
	return (limit + (1ull << 30) - 1) & ~((1ull << 30) - 1);
}

/* Memory the OS may own or the firmware runs in: what a hypercall buffer
 * or guest code may occupy.  Not MMIO, not ACPI NVS, not reserved. */
/* gnu-efi 3.0.15 predates UEFI 2.5: EfiPersistentMemory is type 14. */
#define EFI_PERSISTENT_MEMORY 14

static bool is_ram_type(UINT32 type)
{
	return (type >= EfiLoaderCode && type <= EfiConventionalMemory) ||
	       type == EfiACPIReclaimMemory || type == EFI_PERSISTENT_MEMORY;
}

uint32_t fw_ram_ranges(struct hvp_boot_range *out, uint32_t max)
{
	UINTN entries, key, desc_size;
	UINT32 version;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&entries, &key, &desc_size, &version);
	uint32_t n = 0;

	for (UINTN i = 0; map && i < entries; i++) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)map + i * desc_size);
		uint64_t size = d->NumberOfPages << 12;

		if (!is_ram_type(d->Type))
			continue;
		/* The firmware sorts its map: merge what touches. */
		if (n && out[n - 1].base + out[n - 1].size == d->PhysicalStart)
			out[n - 1].size += size;
		else if (n < max)
			out[n++] = (struct hvp_boot_range){ d->PhysicalStart, size };
	}
	if (map)
		FreePool(map);
	return n;
}

void *fw_reserve(uint64_t bytes)
{
	EFI_PHYSICAL_ADDRESS addr = 0;
	EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
					  EfiReservedMemoryType,
					  (bytes + 4095) >> 12, &addr);

	return EFI_ERROR(st) ? NULL : (void *)addr;
}

/* ACPI 6.x, 5.2.5.3 (RSDP), 5.2.8 (XSDT), 5.2.9 (FADT). */
struct __attribute__((packed)) acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
};

struct __attribute__((packed)) acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_revision, creator, creator_revision;
};

#define FADT_PM1A_CNT_BLK 64 /* 32-bit port of PM1a_CNT_BLK */

uint16_t fw_pm1a_control_port(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	struct acpi_rsdp *rsdp = NULL;
	struct acpi_header *xsdt;

	if (EFI_ERROR(LibGetSystemConfigurationTable(&acpi20, (void **)&rsdp)) ||
	    !rsdp || rsdp->revision < 2 || !rsdp->xsdt)
		return 0;
	xsdt = (struct acpi_header *)rsdp->xsdt;
	for (uint32_t off = sizeof(*xsdt); off + 8 <= xsdt->length; off += 8) {
		struct acpi_header *t;
		uint64_t address;

		CopyMem(&address, (uint8_t *)xsdt + off, sizeof(address));
		t = (struct acpi_header *)address;
		if (t && CompareMem(t->signature, "FACP", 4) == 0 &&
		    t->length >= FADT_PM1A_CNT_BLK + 4) {
			uint32_t port;

			CopyMem(&port, (uint8_t *)t + FADT_PM1A_CNT_BLK, sizeof(port));
			return port <= 0xffff ? (uint16_t)port : 0;
		}
	}
	return 0;
}
