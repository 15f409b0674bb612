// SPDX-License-Identifier: MIT
/*
 * hvp-ksyms: a test probe, not a source of facts for `hvpatch build`
 * (which reads the kernel's vmlinux: docs/fleet.md).  The demo and the
 * fleet checks of the locked e2e boots (tests/e2e/fleet) compare kernel
 * text before and after a revert with it, and `make fleet-sample`
 * collects the running bytes of its sample.  Prints marker lines:
 *
 *   HVP-KSYM <address> <type> <name>   _stext, _etext, _text, _end, the
 *                                       per-CPU and init bounds, each symbol asked
 *                                       for and the one after each (so a
 *                                       function's size is known)
 *   HVP-KBYTES <name> <hex>             each function's running bytes, read
 *                                       through /proc/kcore (after boot-time
 *                                       patching: fentry NOPs, alternatives)
 *   HVP-KBUILDID <hex>                  the GNU build-id, /sys/kernel/notes
 *
 * Usage (as root): hvp-ksyms NAME,NAME,...
 * Boot with nokaslr is not needed: offsets from _stext are what matter.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WANTED 32
#define MAX_FUNCTION 65536

struct sym {
	unsigned long long addr;
	char type;
	char name[128];
};

static struct sym *all;
static size_t count;

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void load_kallsyms(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	size_t cap = 0;
	struct sym s;
	char line[512];

	if (!f) {
		perror("/proc/kallsyms");
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %127s", &s.addr, &s.type, s.name) != 3 ||
		    strchr(line, '['))  /* module symbols */
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 65536;
			all = realloc(all, cap * sizeof(*all));
		}
		all[count++] = s;
	}
	fclose(f);
	qsort(all, count, sizeof(*all), by_addr);
}

static const struct sym *find(const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(all[i].name, name) == 0)
			return &all[i];
	return NULL;
}

static const struct sym *next_after(const struct sym *s)
{
	for (const struct sym *n = s + 1; n < all + count; n++)
		if (n->addr > s->addr)
			return n;
	return NULL;
}

/* Reads kernel virtual memory through /proc/kcore's program headers. */
static int read_kcore(unsigned long long addr, unsigned char *buf, size_t len)
{
	int fd = open("/proc/kcore", O_RDONLY);
	Elf64_Ehdr eh;
	int ok = -1;

	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		goto out;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + (off_t)i * sizeof(ph)) != sizeof(ph))
			goto out;
		if (ph.p_type == PT_LOAD && addr >= ph.p_vaddr && addr + len <= ph.p_vaddr + ph.p_memsz) {
			ok = pread(fd, buf, len, (off_t)(ph.p_offset + addr - ph.p_vaddr)) == (ssize_t)len ? 0 : -1;
			break;
		}
	}
out:
	if (fd >= 0)
		close(fd);
	return ok;
}

static void print_sym(const struct sym *s)
{
	if (s)
		printf("HVP-KSYM %016llx %c %s\n", s->addr, s->type, s->name);
}

static void print_build_id(void)
{
	unsigned char notes[4096];
	int fd = open("/sys/kernel/notes", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, notes, sizeof(notes));
	size_t at = 0;

	if (fd >= 0)
		close(fd);
	while (n > 0 && at + 12 <= (size_t)n) {
		unsigned int namesz, descsz, type;

		memcpy(&namesz, notes + at, 4);
		memcpy(&descsz, notes + at + 4, 4);
		memcpy(&type, notes + at + 8, 4);
		at += 12;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && memcmp(notes + at, "GNU", 4) == 0) {
			printf("HVP-KBUILDID ");
			for (unsigned int i = 0; i < descsz; i++)
				printf("%02x", notes[at + 4 + i]);
			printf("\n");
			return;
		}
		at += ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
	}
	printf("HVP-KBUILDID none\n");
}

/* The text base, and the bounds `hvpatch build` classifies symbols by. */
static const char *const bounds[] = {
	"_stext", "_etext", "_text", "_end", "__per_cpu_start",
	"__per_cpu_end", "__init_begin", "__init_end",
};

int main(int argc, char **argv)
{
	static unsigned char bytes[MAX_FUNCTION];
	char *list, *name;

	if (argc != 2) {
		fprintf(stderr, "usage: hvp-ksyms NAME,NAME,...\n");
		return 1;
	}
	load_kallsyms();
	for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++)
		print_sym(find(bounds[i]));
	list = strdup(argv[1]);
	for (name = strtok(list, ","); name; name = strtok(NULL, ",")) {
		const struct sym *s = find(name), *n = s ? next_after(s) : NULL;

		if (!s) {
			printf("HVP-KSYM missing %s\n", name);
			continue;
		}
		print_sym(s);
		print_sym(n);
		if ((s->type == 'T' || s->type == 't') && n && n->addr - s->addr <= MAX_FUNCTION) {
			size_t len = (size_t)(n->addr - s->addr);

			if (read_kcore(s->addr, bytes, len) != 0) {
				printf("HVP-KBYTES %s unreadable\n", name);
				continue;
			}
			printf("HVP-KBYTES %s ", name);
			for (size_t i = 0; i < len; i++)
				printf("%02x", bytes[i]);
			printf("\n");
		}
	}
	print_build_id();
	return 0;
}
