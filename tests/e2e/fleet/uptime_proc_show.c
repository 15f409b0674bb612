// SPDX-License-Identifier: MIT
/*
 * Fleet patch: /proc/uptime prints the seconds another kernel function,
 * ktime_get_seconds(), returns (a call relocated against the kernel).
 */
struct seq_file;

long long ktime_get_seconds(void);
void seq_printf(struct seq_file *m, const char *fmt, ...);

int uptime_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%lld hvpatch-fleet=uptime\n", ktime_get_seconds());
	return 0;
}
