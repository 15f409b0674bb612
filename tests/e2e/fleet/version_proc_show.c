// SPDX-License-Identifier: MIT
/*
 * Fleet patch: /proc/version gains a line.  fs/proc/version.c's old
 * function loads the address of linux_proc_banner with `mov $sym`, a field
 * KASLR relocates (SLIDE).  The patch refers to a kernel global
 * (linux_banner) and to its own string constant.
 */
struct seq_file;

extern const char linux_banner[];
void seq_puts(struct seq_file *m, const char *s);

int version_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, linux_banner);
	seq_puts(m, "hvpatch-fleet=version\n");
	return 0;
}
