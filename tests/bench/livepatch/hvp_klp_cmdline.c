// SPDX-License-Identifier: GPL-2.0
/*
 * The alternative a Linux user would pick for the demo's patch: a kernel
 * livepatch (CONFIG_LIVEPATCH, ftrace-based) making the same change to
 * cmdline_proc_show as qemu-scripts/demo/patch/cmdline_proc_show.c, for
 * `make bench-guest` to time side by side with hvpatch.
 *
 * saved_command_line is not exported to modules, and a livepatch module
 * built without klp-convert cannot relocate against it, so its address
 * comes as a parameter from /proc/kallsyms, as the agent's do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static unsigned long saved_command_line_addr;
module_param(saved_command_line_addr, ulong, 0400);
MODULE_PARM_DESC(saved_command_line_addr, "address of saved_command_line (from /proc/kallsyms)");
static bool same_body;
module_param(same_body, bool, 0400);
MODULE_PARM_DESC(same_body, "replace the function by an unchanged copy (the redirection's own cost)");

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, *(char **)saved_command_line_addr);
	seq_puts(m, " hvpatch-demo=patched\n");
	return 0;
}

/* tests/bench/patch/cmdline_same.c's body, for same_body=1. */
static int livepatch_cmdline_same(struct seq_file *m, void *v)
{
	seq_puts(m, *(char **)saved_command_line_addr);
	seq_putc(m, '\n');
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show },
	{}
};

static struct klp_object objs[] = {
	{ .funcs = funcs }, /* NULL name: vmlinux */
	{}
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init hvp_klp_init(void)
{
	if (!saved_command_line_addr) {
		pr_err("saved_command_line_addr= is required\n");
		return -EINVAL;
	}
	if (same_body)
		funcs[0].new_func = livepatch_cmdline_same;
	return klp_enable_patch(&patch);
}

static void __exit hvp_klp_exit(void)
{
}

module_init(hvp_klp_init);
module_exit(hvp_klp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("cmdline marker as a kernel livepatch (hvpatch benchmark)");
