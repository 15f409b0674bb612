// SPDX-License-Identifier: MIT
/*
 * hvp-bench: the guest's stopwatch for `make bench-guest`.  Times are the
 * guest's own CLOCK_MONOTONIC, which under Bochs is emulated time: what a
 * guest on a real machine would see, scaled by the emulator's speed.
 *
 *   hvp-bench change MARKER present|absent [FILE=VALUE] -- CMD [ARG...]
 *	runs CMD, then reads /proc/cmdline until MARKER is present (absent),
 *	then, with FILE=VALUE, reads FILE until it holds VALUE or is gone (a
 *	livepatch transition: a disabled patch's directory goes when done).  Prints "cmd_us= behaviour_us= settled_us=", all from
 *	the start of CMD.
 *   hvp-bench reads MS           /proc/cmdline reads per second, over MS ms
 *   hvp-bench syscalls N         N getppid() system calls
 *   hvp-bench ctxsw N            N pipe round trips between two processes,
 *                                both on CPU 0: context switches, not IPIs
 *   hvp-bench forkexec N         N fork + exec + wait of a program that exits
 *   hvp-bench pagefault N        N first touches of fresh anonymous pages
 * The workloads print "ns=" for the whole run.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_LIMIT_NS (120ull * 1000000000ull)

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* The whole of a small file, NUL-terminated; length or -1. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

static bool cmdline_has(const char *marker)
{
	char buf[4096];

	if (slurp("/proc/cmdline", buf, sizeof(buf)) < 0)
		die("/proc/cmdline");
	return strstr(buf, marker) != NULL;
}

static bool file_settled(const char *path, const char *value)
{
	char buf[256];

	if (slurp(path, buf, sizeof(buf)) < 0)
		return true;
	buf[strcspn(buf, "\n")] = 0;
	return strcmp(buf, value) == 0;
}

static int run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int change(int argc, char **argv)
{
	const char *marker = argv[0], *file = NULL, *value = NULL;
	bool want = strcmp(argv[1], "present") == 0;
	uint64_t t0, t_cmd, t_seen, t_settled;
	int i = 2, status;

	if (i < argc && strcmp(argv[i], "--") != 0) {
		char *eq = strchr(argv[i], '=');

		if (!eq)
			return fprintf(stderr, "hvp-bench: FILE=VALUE expected\n"), 2;
		*eq = 0;
		file = argv[i++];
		value = eq + 1;
	}
	if (i >= argc - 1 || strcmp(argv[i], "--") != 0)
		return fprintf(stderr, "hvp-bench: -- CMD expected\n"), 2;
	t0 = now_ns();
	status = run(argv + i + 1);
	t_cmd = now_ns();
	if (status)
		return fprintf(stderr, "hvp-bench: %s exited %d\n", argv[i + 1], status), 1;
	while (cmdline_has(marker) != want)
		if (now_ns() - t0 > POLL_LIMIT_NS)
			return fprintf(stderr, "hvp-bench: /proc/cmdline never changed\n"), 1;
	t_seen = now_ns();
	while (file && !file_settled(file, value)) {
		if (now_ns() - t0 > POLL_LIMIT_NS)
			return fprintf(stderr, "hvp-bench: %s never held %s\n", file, value), 1;
		usleep(1000);
	}
	t_settled = now_ns();
	printf("cmd_us=%llu behaviour_us=%llu settled_us=%llu\n",
	       (unsigned long long)(t_cmd - t0) / 1000,
	       (unsigned long long)(t_seen - t0) / 1000,
	       (unsigned long long)(t_settled - t0) / 1000);
	return 0;
}

static int reads(unsigned long ms)
{
	uint64_t t0 = now_ns(), end = t0 + ms * 1000000ull, n = 0, t;
	char buf[4096];

	do {
		if (slurp("/proc/cmdline", buf, sizeof(buf)) < 0)
			die("/proc/cmdline");
		n++;
	} while ((t = now_ns()) < end);
	printf("reads_per_s=%llu\n", (unsigned long long)(n * 1000000000ull / (t - t0)));
	return 0;
}

static void syscalls(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void ctxsw(unsigned long n)
{
	int ping[2], pong[2];
	char c = 0;
	cpu_set_t cpu0;
	pid_t pid;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
		die("sched_setaffinity");
	if (pipe(ping) || pipe(pong))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		while (read(ping[0], &c, 1) == 1 && c)
			if (write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	for (unsigned long i = 0; i < n; i++) {
		c = 1;
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			die("ping-pong");
	}
	c = 0;
	if (write(ping[1], &c, 1) != 1)
		die("ping-pong");
	waitpid(pid, NULL, 0);
}

static void forkexec(unsigned long n)
{
	char *argv[] = { "/proc/self/exe", "noop", NULL };

	for (unsigned long i = 0; i < n; i++)
		if (run(argv))
			die("exec");
}

static void pagefault(unsigned long n)
{
	long page = sysconf(_SC_PAGESIZE);
	const unsigned long batch = 256;

	for (unsigned long done = 0; done < n; done += batch) {
		char *p = mmap(NULL, batch * page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		for (unsigned long i = 0; i < batch; i++)
			p[i * page] = 1;
		munmap(p, batch * page);
	}
}

static const struct {
	const char *name;
	void (*run)(unsigned long n);
} workloads[] = {
	{ "syscalls", syscalls }, { "ctxsw", ctxsw },
	{ "forkexec", forkexec }, { "pagefault", pagefault },
};

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "noop") == 0)
		return 0;
	if (argc >= 5 && strcmp(argv[1], "change") == 0)
		return change(argc - 2, argv + 2);
	if (argc == 3 && strcmp(argv[1], "reads") == 0)
		return reads(strtoul(argv[2], NULL, 0));
	for (size_t w = 0; argc == 3 && w < sizeof(workloads) / sizeof(workloads[0]); w++) {
		if (strcmp(argv[1], workloads[w].name) == 0) {
			uint64_t t0 = now_ns();

			workloads[w].run(strtoul(argv[2], NULL, 0));
			printf("ns=%llu\n", (unsigned long long)(now_ns() - t0));
			return 0;
		}
	}
	fprintf(stderr, "usage: hvp-bench change|reads|syscalls|ctxsw|forkexec|pagefault ...\n");
	return 2;
}
