/*
 * hvp-cpuid: guest-side probe for the test bed (static, runs in the
 * initramfs).  Prints one `key=value` per line so that a shell script can
 * read it with no parsing library:
 *
 *   hvp-cpuid            CPUID facts: the hypervisor leaf 0x40000000, VMX
 *                        (CPUID.1:ECX[5]) and hypervisor-present (ECX[31])
 *   hvp-cpuid mem ADDR   reads 16 bytes of physical memory at ADDR with
 *                        pread(/dev/mem) and prints them, or the errno
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_printable(const char *key, const unsigned char *b, size_t n)
{
	printf("%s=", key);
	for (size_t i = 0; i < n; i++)
		putchar(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.');
	putchar('\n');
}

static int probe_cpuid(void)
{
	unsigned int a, b, c, d;
	unsigned char vendor[12];

	__cpuid(1, a, b, c, d);
	printf("vmx=%u\n", (c >> 5) & 1);
	printf("hypervisor_bit=%u\n", (c >> 31) & 1);

	/* Executed unconditionally: on bare metal an out-of-range leaf
	 * returns the highest basic leaf's data, which will not spell the
	 * hvpatch vendor, so the string comparison in the caller decides. */
	__cpuid(0x40000000, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &c, 4);
	memcpy(vendor + 8, &d, 4);
	printf("leaf40000000_max=0x%08x\n", a);
	print_printable("leaf40000000_vendor", vendor, sizeof vendor);
	/* hvpatch's reserved physical range (include/hvpatch/abi.h). */
	if (a >= 0x40000002 && memcmp(vendor, "hvpatch", 7) == 0) {
		__cpuid(0x40000002, a, b, c, d);
		printf("reserved_base=0x%llx\n", (unsigned long long)b << 32 | a);
		printf("reserved_size=0x%llx\n", (unsigned long long)d << 32 | c);
	}
	return 0;
}

static int probe_mem(const char *addr_s)
{
	unsigned long long addr = strtoull(addr_s, NULL, 0);
	unsigned char buf[16];
	int fd = open("/dev/mem", O_RDONLY | O_SYNC);

	printf("mem_addr=0x%llx\n", addr);
	if (fd < 0) {
		printf("mem_open_errno=%d (%s)\n", errno, strerror(errno));
		return 0;
	}
	ssize_t n = pread(fd, buf, sizeof buf, (off_t)addr);
	if (n < 0) {
		printf("mem_read_errno=%d (%s)\n", errno, strerror(errno));
	} else {
		printf("mem_read_len=%zd\n", n);
		printf("mem_hex=");
		for (ssize_t i = 0; i < n; i++)
			printf("%02x", buf[i]);
		putchar('\n');
		print_printable("mem_text", buf, (size_t)n);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "mem") == 0)
		return probe_mem(argv[2]);
	if (argc == 1)
		return probe_cpuid();
	fprintf(stderr, "usage: hvp-cpuid [mem ADDR]\n");
	return 2;
}
