// SPDX-License-Identifier: MIT
/*
 * Fleet patch: /proc/<pid>/cpu_resctrl_groups gains a line.  The old
 * function (arch/x86/kernel/cpu/resctrl) starts with
 * static_branch_unlikely(&rdt_enable_key): a static-key site, which the
 * bundle carries as a ONE_OF field (its NOP and its JMP).
 */
struct seq_file;
struct pid_namespace;
struct pid;
struct task_struct;

void seq_puts(struct seq_file *m, const char *s);

int proc_resctrl_show(struct seq_file *s, struct pid_namespace *ns,
		      struct pid *pid, struct task_struct *tsk)
{
	seq_puts(s, "res:\nmon:\nhvpatch-fleet=resctrl\n");
	return 0;
}
