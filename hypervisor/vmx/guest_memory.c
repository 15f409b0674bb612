// SPDX-License-Identifier: MIT
#include "vmx/guest_memory.h"

#include "arch/x86/regs.h"
#include "vmx/hv.h"
#include "vmx/patch_host.h"

/* Guest RAM, as the firmware's memory map gave it: never the hypervisor's
 * region, MMIO or anything unmapped. */
static bool is_guest_ram(uint64_t gpa, size_t len)
{
	uint64_t end = gpa + len, hv_start = hv.boot->region_base;
	uint64_t hv_end = hv_start + hv.boot->region_size;

	if (end < gpa || (gpa < hv_end && end > hv_start))
		return false;
	for (uint32_t i = 0; i < hv.boot->range_count; i++) {
		const struct hvp_boot_range *r = &hv.boot->ram[i];

		if (gpa >= r->base && end <= r->base + r->size)
			return true;
	}
	return false;
}

enum hvp_status hvp_guest_read(uint64_t gpa, void *dst, size_t len)
{
	if (!is_guest_ram(gpa, len))
		return HVP_E_BAD_POINTER;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)dst)[i] = ((const volatile uint8_t *)gpa)[i];
	return HVP_OK;
}

enum hvp_status hvp_guest_write(uint64_t gpa, const void *src, size_t len)
{
	if (!is_guest_ram(gpa, len))
		return HVP_E_BAD_POINTER;
	for (size_t i = 0; i < len; i++)
		((volatile uint8_t *)gpa)[i] = ((const uint8_t *)src)[i];
	return HVP_OK;
}

static enum hvp_status read_gpa(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	return hvp_guest_read(gpa, dst, len);
}

const struct hvp_guest_reader hvp_guest_reader = { .read_gpa = read_gpa };

enum hvp_status hvp_guest_read_linear(uint64_t cr0, uint64_t cr3, uint64_t gla,
				      void *dst, size_t len)
{
	while (len) {
		size_t chunk = 4096 - (gla & 4095);
		struct hvp_gva_translation t = { .gpa = gla };
		enum hvp_status st = HVP_OK;

		if (chunk > len)
			chunk = len;
		if (cr0 & CR0_PG)
			st = hvp_guest_walk(&hvp_guest_reader, cr3, gla, &t);
		if (st == HVP_OK)
			st = hvp_guest_read(t.gpa, dst, chunk);
		if (st != HVP_OK)
			return st;
		gla += chunk;
		dst = (uint8_t *)dst + chunk;
		len -= chunk;
	}
	return HVP_OK;
}

/* The guest-physical address a store to gla may go to, or false. */
static bool store_target(uint64_t cr0, uint64_t cr3, uint64_t gla,
			 unsigned int cpl, uint64_t *gpa)
{
	struct hvp_gva_translation t = { .gpa = gla, .writable = true, .user = true };
	enum hvp_region_kind kind;

	if ((cr0 & CR0_PG) && hvp_guest_walk(&hvp_guest_reader, cr3, gla, &t) != HVP_OK)
		return false;
	if ((cpl == 3 && !t.user) ||
	    (!t.writable && (cpl == 3 || (cr0 & CR0_WP))) ||
	    hvp_engine_protects(&hv_engine, t.gpa, &kind))
		return false;
	*gpa = t.gpa;
	return true;
}

enum hvp_status hvp_guest_write_linear(uint64_t cr0, uint64_t cr3, uint64_t gla,
				       const void *src, size_t len,
				       unsigned int cpl)
{
	uint64_t gpa;

	for (uint64_t at = gla; at < gla + len; at = (at | 4095) + 1)
		if (!store_target(cr0, cr3, at, cpl, &gpa) ||
		    !is_guest_ram(gpa, 1))
			return HVP_E_BAD_POINTER;
	while (len) {
		size_t chunk = 4096 - (gla & 4095);

		if (chunk > len)
			chunk = len;
		store_target(cr0, cr3, gla, cpl, &gpa);
		if (hvp_guest_write(gpa, src, chunk) != HVP_OK)
			return HVP_E_BAD_POINTER;
		gla += chunk;
		src = (const uint8_t *)src + chunk;
		len -= chunk;
	}
	return HVP_OK;
}
