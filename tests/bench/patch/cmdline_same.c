// SPDX-License-Identifier: MIT
/*
 * cmdline_proc_show exactly as fs/proc/cmdline.c has it, for `make
 * bench-guest`: applied as a patch it changes only how the function is
 * reached, so what it adds to a read of /proc/cmdline is the redirection
 * alone (a JMP under hvpatch, ftrace and the livepatch handler under
 * livepatch), without the demo patch's longer output.
 */
struct seq_file;

extern char *saved_command_line;
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);

int cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, saved_command_line);
	seq_putc(m, '\n');
	return 0;
}
