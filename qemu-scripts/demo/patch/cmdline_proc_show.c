// SPDX-License-Identifier: MIT
/*
 * The demo's live patch: /proc/cmdline gains a marker, so that anyone can
 * see whether the patch is applied.  It replaces fs/proc/cmdline.c's
 *
 *	static int cmdline_proc_show(struct seq_file *m, void *v)
 *	{
 *		seq_puts(m, saved_command_line);
 *		seq_putc(m, '\n');
 *		return 0;
 *	}
 *
 * Built without the kernel's headers: the two declarations it needs are
 * below, and `hvpatch build` resolves them against the running kernel.
 */
struct seq_file;

extern char *saved_command_line;
void seq_puts(struct seq_file *m, const char *s);

int cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, saved_command_line);
	seq_puts(m, " hvpatch-demo=patched\n");
	return 0;
}
