// SPDX-License-Identifier: GPL-2.0
/*
 * hvpatch.ko: the guest agent of the hvpatch hypervisor.
 *
 * At load it registers the kernel text, the read-only data and a patch
 * arena reserved in this module's own text, then locks them
 * (docs/hypercalls.md, "The protection life cycle").  The kernel does not
 * export _stext, _etext, __start_rodata, __end_rodata or the notes, so
 * /init passes them as parameters read from /proc/kallsyms; the module
 * checks that they are plausible before it registers anything.
 *
 * /dev/hvpatch turns ioctls (guest-agent/include/hvpatch_ioctl.h) into
 * hypercalls.  A hypervisor refusal is returned in the ioctl structure,
 * not as an errno, so that hvpatchctl can print its exact name.
 */
#define pr_fmt(fmt) "hvpatch: " fmt

#include <linux/capability.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hvpatch/abi.h"
#include "hvpatch_ioctl.h"
#include "hvpatch_hc.h"

#define HVP_ARENA_SIZE (64 * 1024)
#define HVP_NT_GNU_BUILD_ID 3 /* not in the kernel's headers */

/*
 * The patch arena: 64 KiB of int3 in this module's text, so it is mapped
 * executable and lies within rel32 reach of the kernel text.  The
 * hypervisor writes the replacement code here; the guest never does.
 */
asm(".pushsection .text.hvp_arena, \"ax\", @progbits\n"
    ".balign 4096\n"
    ".globl hvp_arena\n"
    "hvp_arena:\n"
    ".fill " __stringify(HVP_ARENA_SIZE) ", 1, 0xcc\n"
    ".globl hvp_arena_end\n"
    "hvp_arena_end:\n"
    ".popsection\n");
extern const u8 hvp_arena[], hvp_arena_end[];

static unsigned long stext, etext, start_rodata, end_rodata, start_notes, stop_notes;
static unsigned long image_start, image_end;
module_param(image_start, ulong, 0400);
MODULE_PARM_DESC(image_start, "address of _text: the kernel image, where patches may point");
module_param(image_end, ulong, 0400);
MODULE_PARM_DESC(image_end, "address of _end");
module_param(stext, ulong, 0400);
MODULE_PARM_DESC(stext, "address of _stext (from /proc/kallsyms)");
module_param(etext, ulong, 0400);
MODULE_PARM_DESC(etext, "address of _etext");
module_param(start_rodata, ulong, 0400);
MODULE_PARM_DESC(start_rodata, "address of __start_rodata");
module_param(end_rodata, ulong, 0400);
MODULE_PARM_DESC(end_rodata, "address of __end_rodata");
module_param(start_notes, ulong, 0400);
MODULE_PARM_DESC(start_notes, "address of __start_notes");
module_param(stop_notes, ulong, 0400);
MODULE_PARM_DESC(stop_notes, "address of __stop_notes");
static unsigned long start_jump_table, stop_jump_table;
module_param(start_jump_table, ulong, 0400);
MODULE_PARM_DESC(start_jump_table,
		 "address of __start___jump_table: lets the hypervisor switch static keys after lock");
module_param(stop_jump_table, ulong, 0400);
MODULE_PARM_DESC(stop_jump_table, "address of __stop___jump_table");
static bool lock = true;
module_param(lock, bool, 0400);
MODULE_PARM_DESC(lock, "register and lock at load (default 1; 0 for tests)");

enum hvp_agent_state {
	HVP_AGENT_NO_HYPERVISOR, /* no hvpatch CPUID leaf */
	HVP_AGENT_NO_HYPERCALLS, /* hvpatch leaf, but VMCALL faults */
	HVP_AGENT_READY,
};
static enum hvp_agent_state state;
static DEFINE_MUTEX(hvp_lock);


static const char *sname(long s)
{
	return s >= 0 ? hvp_status_name(s) : "HVP_E_?";
}

static const char *stext_of(long s)
{
	return s >= 0 ? hvp_status_text(s) : "unknown status";
}

/* One hypercall, logged: every call at info level, every refusal at
 * warning level.  Returns the status (>= 0) or -EOPNOTSUPP. */
static long hvp_call(u64 nr, u64 a1, u64 a2, u64 *result)
{
	const char *what = hvp_hypercall_name(nr) ?: "unknown call";
	u64 rbx = 0;
	long s = hvp_hc_call(nr, a1, a2, &rbx);

	if (s < 0)
		pr_err("%s: VMCALL faulted: the hypervisor does not handle hypercalls\n", what);
	else if (s != HVP_OK)
		pr_warn("%s: REFUSED: %s: %s\n", what, sname(s), stext_of(s));
	else if (result)
		pr_info("%s: ok (result %llu)\n", what, rbx);
	else
		pr_info("%s: ok\n", what);
	if (result)
		*result = rbx;
	return s;
}

/* ---------------------------------------------------------------- */
/* Registration and lock at load                                    */
/* ---------------------------------------------------------------- */

/* The kernel's NT_GNU_BUILD_ID note inside [start_notes, stop_notes). */
static const struct elf64_note *find_build_id(void)
{
	unsigned long p = start_notes;

	while (p + sizeof(struct elf64_note) <= stop_notes) {
		const struct elf64_note *n = (const void *)p;
		unsigned long name = p + sizeof(*n);
		unsigned long desc = name + ALIGN(n->n_namesz, 4);
		unsigned long next = desc + ALIGN(n->n_descsz, 4);

		if (next > stop_notes || next <= p)
			break;
		if (n->n_type == HVP_NT_GNU_BUILD_ID && n->n_namesz == 4 &&
		    memcmp((const void *)name, "GNU", 4) == 0 && n->n_descsz > 0 &&
		    n->n_descsz <= HVP_BUILD_ID_MAX)
			return n;
		p = next;
	}
	return NULL;
}

/*
 * The parameters come from /proc/kallsyms through /init; reject anything
 * that cannot be the running kernel's layout: ordering, alignment, and
 * exported symbols that must fall inside the ranges (_printk in the text,
 * the const array hex_asc in the read-only data).
 */
static int check_params(void)
{
	unsigned long printk_addr = (unsigned long)&_printk;
	unsigned long hex_addr = (unsigned long)hex_asc;

	if (!stext || !etext || !start_rodata || !end_rodata || !start_notes || !stop_notes ||
	    !image_start || !image_end) {
		pr_err("lock=1 needs stext= etext= start_rodata= end_rodata= start_notes= stop_notes= image_start= image_end= (from /proc/kallsyms)\n");
		return -EINVAL;
	}
	if (!PAGE_ALIGNED(stext) || !PAGE_ALIGNED(start_rodata) || etext <= stext ||
	    end_rodata <= start_rodata || start_rodata < etext) {
		pr_err("implausible kernel layout: text %lx-%lx rodata %lx-%lx\n",
		       stext, etext, start_rodata, end_rodata);
		return -EINVAL;
	}
	if (printk_addr < stext || printk_addr >= etext || hex_addr < start_rodata ||
	    hex_addr >= end_rodata) {
		pr_err("parameters do not match this kernel: _printk %lx in text %lx-%lx? hex_asc %lx in rodata %lx-%lx?\n",
		       printk_addr, stext, etext, hex_addr, start_rodata, end_rodata);
		return -EINVAL;
	}
	if (stop_notes <= start_notes || start_notes < start_rodata || stop_notes > end_rodata) {
		pr_err("notes %lx-%lx not inside rodata %lx-%lx\n", start_notes, stop_notes,
		       start_rodata, end_rodata);
		return -EINVAL;
	}
	return 0;
}

static bool registered_any;

/*
 * Static keys switch by rewriting kernel text, which lock freezes; the
 * hypervisor performs those writes itself for the sites listed in the
 * kernel's __jump_table (docs/hypercalls.md).  Without the table the
 * kernel is still protected, but the first static-key switch after lock
 * (a sysctl such as kernel.sched_schedstats) oopses in text_poke().
 */
static void register_jump_table(void)
{
	/* The hypervisor checks the range (inside rodata, whole entries)
	 * and names what it refuses. */
	if (!start_jump_table || !stop_jump_table ||
	    hvp_call(HVP_HC_REGISTER_JUMP_TABLE, start_jump_table,
		     stop_jump_table - start_jump_table, NULL) != HVP_OK)
		pr_warn("no jump table registered: static keys cannot be switched after lock\n");
}

static int register_and_lock(void)
{
	unsigned long text_size = PAGE_ALIGN(etext - stext);
	unsigned long ro_size = PAGE_ALIGN(end_rodata - start_rodata);
	unsigned long arena = (unsigned long)hvp_arena;
	unsigned long arena_size = hvp_arena_end - hvp_arena;
	const struct elf64_note *note;
	const u8 *id;
	long s;

	if (!PAGE_ALIGNED(arena) || arena_size != HVP_ARENA_SIZE) {
		pr_err("arena %lx (+%lu) is not page aligned\n", arena, arena_size);
		return -EINVAL;
	}
	note = find_build_id();
	if (!note) {
		pr_err("no GNU build-id note in %lx-%lx\n", start_notes, stop_notes);
		return -EINVAL;
	}
	id = (const u8 *)note + sizeof(*note) + 4;
	pr_info("text %lx +%lx, rodata %lx +%lx, arena %lx +%lx, build-id %*phN (note at %px)\n",
		stext, text_size, start_rodata, ro_size, arena, arena_size, note->n_descsz, id,
		note);

	registered_any = true;
	s = hvp_call(HVP_HC_REGISTER_TEXT, stext, text_size, NULL);
	if (s == HVP_OK)
		s = hvp_call(HVP_HC_REGISTER_RODATA, start_rodata, ro_size, NULL);
	if (s == HVP_OK)
		register_jump_table();
	if (s == HVP_OK)
		s = hvp_call(HVP_HC_REGISTER_ARENA, arena, arena_size, NULL);
	/* The hypervisor checks that the image holds text and rodata. */
	if (s == HVP_OK)
		s = hvp_call(HVP_HC_REGISTER_IMAGE, image_start,
			     PAGE_ALIGN(image_end - image_start), NULL);
	if (s == HVP_OK)
		s = hvp_call(HVP_HC_LOCK, (unsigned long)note, 0, NULL);
	if (s != HVP_OK) {
		pr_err("NOT locked: kernel text is NOT protected\n");
		return s < 0 ? s : -EIO;
	}
	pr_info("locked: kernel text, rodata and arena are protected\n");
	return 0;
}

/* ---------------------------------------------------------------- */
/* /dev/hvpatch                                                     */
/* ---------------------------------------------------------------- */

static long ioc_apply(struct hvpatch_ioc_apply __user *uarg)
{
	struct hvpatch_ioc_apply a;
	struct page *desc_page, *pages[HVP_MAX_BUNDLE_SIZE / PAGE_SIZE] = { NULL };
	struct hvp_page_list *desc;
	unsigned int i, n;
	u64 id = 0;
	long s, ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.len == 0 || a.len > HVP_MAX_BUNDLE_SIZE || a.reserved) {
		pr_warn("apply: bad length %u (1..%u) or reserved field\n", a.len,
			HVP_MAX_BUNDLE_SIZE);
		return -EINVAL;
	}
	n = DIV_ROUND_UP(a.len, PAGE_SIZE);
	desc_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!desc_page)
		return -ENOMEM;
	desc = page_address(desc_page);
	desc->length = a.len;
	desc->page_count = n;
	for (i = 0; i < n; i++) {
		size_t chunk = min_t(size_t, PAGE_SIZE, a.len - i * PAGE_SIZE);

		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!pages[i]) {
			ret = -ENOMEM;
			goto out;
		}
		if (copy_from_user(page_address(pages[i]),
				   u64_to_user_ptr(a.buf + (u64)i * PAGE_SIZE), chunk)) {
			ret = -EFAULT;
			goto out;
		}
		desc->pages[i] = page_to_phys(pages[i]);
	}
	pr_info("apply: %u bytes in %u pages, page list at %llx\n", a.len, n,
		(u64)page_to_phys(desc_page));
	s = hvp_call(HVP_HC_APPLY, page_to_phys(desc_page), 0, &id);
	if (s < 0) {
		ret = -ENODEV;
		goto out;
	}
	a.status = s;
	a.patch_id = s == HVP_OK ? (u32)id : 0;
	if (s == HVP_OK)
		pr_info("apply: patch id %u\n", a.patch_id);
	if (copy_to_user(uarg, &a, sizeof(a)))
		ret = -EFAULT;
out:
	for (i = 0; i < n; i++)
		if (pages[i])
			__free_page(pages[i]);
	__free_page(desc_page);
	return ret;
}

static long ioc_revert(struct hvpatch_ioc_revert __user *uarg)
{
	struct hvpatch_ioc_revert r;
	long s;

	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	pr_info("revert: patch id %u\n", r.patch_id);
	s = hvp_call(HVP_HC_REVERT, r.patch_id, 0, NULL);
	if (s < 0)
		return -ENODEV;
	r.status = s;
	return copy_to_user(uarg, &r, sizeof(r)) ? -EFAULT : 0;
}

/* STATUS, LIST, AUDIT, COUNTERS, HVLOG: a fresh zeroed page as the out
 * page. */
static long ioc_page(u64 nr, struct hvpatch_ioc_page __user *uarg)
{
	struct page *out;
	u64 arg, result = 0;
	u32 reserved;
	long s, ret = 0;

	if (get_user(arg, &uarg->arg) || get_user(reserved, &uarg->reserved))
		return -EFAULT;
	if (reserved)
		return -EINVAL;
	if (!(hvp_hypercall_flags(nr) & HVP_HC_F_RCX))
		arg = 0;
	out = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!out)
		return -ENOMEM;
	s = hvp_call(nr, page_to_phys(out), arg, &result);
	if (s < 0) {
		ret = -ENODEV;
	} else if (put_user(result, &uarg->result) || put_user((u32)s, &uarg->status) ||
		   copy_to_user(uarg->page, page_address(out), PAGE_SIZE)) {
		ret = -EFAULT;
	}
	__free_page(out);
	return ret;
}

static long hvp_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *u = (void __user *)arg;
	long ret;

	if (state != HVP_AGENT_READY) {
		pr_warn_ratelimited("ioctl %#x refused: %s\n", cmd,
				    state == HVP_AGENT_NO_HYPERVISOR ?
					    "no hvpatch hypervisor (UNPROTECTED)" :
					    "the hypervisor does not handle hypercalls");
		return -ENODEV;
	}
	if (!capable(CAP_SYS_ADMIN)) {
		pr_warn_ratelimited("ioctl %#x refused: caller lacks CAP_SYS_ADMIN\n", cmd);
		return -EPERM;
	}
	mutex_lock(&hvp_lock);
	switch (cmd) {
	case HVPATCH_IOC_APPLY:
		ret = ioc_apply(u);
		break;
	case HVPATCH_IOC_REVERT:
		ret = ioc_revert(u);
		break;
	case HVPATCH_IOC_STATUS:
		ret = ioc_page(HVP_HC_STATUS, u);
		break;
	case HVPATCH_IOC_LIST:
		ret = ioc_page(HVP_HC_LIST, u);
		break;
	case HVPATCH_IOC_AUDIT:
		ret = ioc_page(HVP_HC_AUDIT_READ, u);
		break;
	case HVPATCH_IOC_COUNTERS:
		ret = ioc_page(HVP_HC_COUNTERS, u);
		break;
	case HVPATCH_IOC_HVLOG:
		ret = ioc_page(HVP_HC_LOG_READ, u);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	mutex_unlock(&hvp_lock);
	return ret;
}

static const struct file_operations hvp_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = hvp_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice hvp_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hvpatch",
	.fops = &hvp_fops,
	.mode = 0600,
};

static int __init hvp_init(void)
{
	u32 abi = 0;
	u64 version = 0;
	int ret;

	if (!hvp_hc_detect(&abi)) {
		state = HVP_AGENT_NO_HYPERVISOR;
		pr_warn("no hvpatch hypervisor (CPUID leaf 0x40000000): this kernel runs UNPROTECTED\n");
	} else if (hvp_call(HVP_HC_VERSION, 0, 0, &version) != HVP_OK) {
		state = HVP_AGENT_NO_HYPERCALLS;
		pr_err("hvpatch hypervisor (ABI %u in CPUID) answers no hypercalls: this kernel runs UNPROTECTED\n",
		       abi);
	} else {
		state = HVP_AGENT_READY;
		pr_info("hvpatch hypervisor found: ABI %llu (CPUID %u, module %u)\n", version, abi,
			HVP_ABI_VERSION);
		if (version != HVP_ABI_VERSION)
			pr_warn("ABI version mismatch: hypervisor %llu, module %u\n", version,
				HVP_ABI_VERSION);
	}

	if (state == HVP_AGENT_READY && lock) {
		ret = check_params();
		if (ret)
			return ret;
		ret = register_and_lock();
		/* A registered arena is live to the hypervisor: this module's
		 * text must never be freed. */
		if (registered_any)
			__module_get(THIS_MODULE);
		if (ret)
			pr_err("continuing without protection; see the refusal above\n");
	} else if (state == HVP_AGENT_READY) {
		pr_warn("lock=0: nothing registered, kernel text NOT protected\n");
	}

	ret = misc_register(&hvp_misc);
	if (ret) {
		pr_err("misc_register failed: %d\n", ret);
		return registered_any ? 0 : ret;
	}
	pr_info("/dev/hvpatch ready (%s)\n",
		state == HVP_AGENT_READY ? "hypercalls available" : "unprotected, ioctls return ENODEV");
	return 0;
}

static void __exit hvp_exit(void)
{
	misc_deregister(&hvp_misc);
	pr_info("unloaded\n");
}

module_init(hvp_init);
module_exit(hvp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvpatch guest agent: lock kernel text, apply signed live patches");
