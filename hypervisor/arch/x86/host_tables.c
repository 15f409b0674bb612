// SPDX-License-Identifier: MIT
#include "arch/x86/host_tables.h"
#include "arch/x86/entry.h"

#include "vmx/log.h"
#include "vmx/pool.h"

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_LARGE (1ull << 7)

uint64_t hvp_host_page_tables(uint64_t limit)
{
	uint64_t gigabytes = (limit + (1ull << 30) - 1) >> 30;
	uint64_t *pml4, *pdpt;

	if (gigabytes > 512)
		gigabytes = 512; /* one PDPT: the first 512 GiB */
	pml4 = hvp_pool_pages(1);
	pdpt = hvp_pool_pages(1);
	if (!pml4 || !pdpt)
		return 0;
	pml4[0] = (uint64_t)pdpt | PTE_PRESENT | PTE_WRITE;
	/* 2 MiB pages: every x86-64 CPU has them (1 GiB pages are optional). */
	for (uint64_t g = 0; g < gigabytes; g++) {
		uint64_t *pd = hvp_pool_pages(1);

		if (!pd)
			return 0;
		for (uint64_t i = 0; i < 512; i++)
			pd[i] = ((g << 30) + (i << 21)) | PTE_PRESENT | PTE_WRITE |
				PTE_LARGE;
		pdpt[g] = (uint64_t)pd | PTE_PRESENT | PTE_WRITE;
	}
	return (uint64_t)pml4;
}

struct idt_gate {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
} __attribute__((packed));

/* Entry stubs, 16 bytes apart, from idt.S. */
static struct idt_gate *idt;

bool hvp_host_idt_init(void)
{
	idt = hvp_pool_pages(1);
	if (!idt)
		return false;
	for (unsigned int v = 0; v < 32; v++) {
		uint64_t handler = (uint64_t)(hvp_exception_stubs + HVP_EXCEPTION_STUB_SIZE * v);

		idt[v] = (struct idt_gate){
			.offset_low = (uint16_t)handler,
			.selector = HOST_CS,
			.ist = v == 2 ? 1 : 0, /* NMI: IST1, never the interrupted stack */
			.type_attr = 0x8e,     /* present, DPL 0, 64-bit interrupt gate */
			.offset_mid = (uint16_t)(handler >> 16),
			.offset_high = (uint32_t)(handler >> 32),
		};
	}
	return true;
}

uint64_t hvp_host_idt_base(void)
{
	return (uint64_t)idt;
}

void hvp_host_gdt_init(struct vcpu *v)
{
	uint64_t tss = (uint64_t)&v->tss, limit = sizeof(v->tss) - 1;

	v->tss.ist[0] = (uint64_t)v->nmi_stack + NMI_STACK_SIZE;
	v->tss.iomap_base = sizeof(v->tss);
	v->gdt[0] = 0;
	v->gdt[1] = 0x00af9b000000ffffull; /* 64-bit code, DPL 0 */
	v->gdt[2] = 0x00cf93000000ffffull; /* data, DPL 0 */
	/* 64-bit TSS descriptor, type 9 (available), two slots. */
	v->gdt[3] = (limit & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ull << 40) |
		    ((limit >> 16 & 0xf) << 48) | ((tss >> 24 & 0xff) << 56);
	v->gdt[4] = tss >> 32;
}
