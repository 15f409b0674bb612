// SPDX-License-Identifier: MIT
/*
 * Fleet patch: /proc/loadavg names the CPU that printed it, read from the
 * per-CPU variable cpu_number (raw_smp_processor_id()): an ABSOLUTE
 * relocation, which KASLR does not move.
 */
struct seq_file;

extern int cpu_number;
void seq_printf(struct seq_file *m, const char *fmt, ...);

int loadavg_proc_show(struct seq_file *m, void *v)
{
	int cpu;

	asm("movl %%gs:%c1, %0" : "=r"(cpu) : "i"(&cpu_number));
	seq_printf(m, "hvpatch-fleet=loadavg cpu=%d\n", cpu);
	return 0;
}
