// SPDX-License-Identifier: MIT
/*
 * The loader's portable parts: hvpatch.conf parsing, PEM public keys,
 * loading the hypervisor's PIE image and sizing the reserved region.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <elf.h>

#include "config.h"
#include "elf_image.h"
#include "pem.h"
#include "reserve.h"
#include "vmx/vcpu.h"

static struct hvp_loader_config parse(const char *text)
{
	struct hvp_loader_config cfg;

	hvp_config_parse(&cfg, text, strlen(text));
	return cfg;
}

static void config_defaults_are_safe(void **state)
{
	struct hvp_loader_config cfg = parse("");

	assert_int_equal(cfg.policy, HVP_POLICY_FAIL_CLOSED);
	assert_int_equal(cfg.log_level, HVP_LOG_INFO);
	assert_int_equal(cfg.kernel_exec, HVP_KERNEL_EXEC_APPROVED);
	assert_string_equal(cfg.next_stage, HVP_DEFAULT_NEXT_STAGE);
	assert_int_equal(cfg.key_count, 0);
	assert_int_equal(cfg.problem_count, 0);
}

static void config_every_setting(void **state)
{
	struct hvp_loader_config cfg = parse(
		"\xef\xbb\xbf# hvpatch\r\n"
		"next_stage = \\vmlinuz\r\n"
		"  next_stage_options=console=ttyS0,115200 initrd=\\initrd.img  \n"
		"policy = fail-open\n"
		"log_level\t=\tdebug\n"
		"kernel_exec = any\n"
		"key = \\EFI\\hvpatch\\keys\\a.pem\n"
		"key = \\EFI\\hvpatch\\keys\\b.pem\n");

	assert_string_equal(cfg.next_stage, "\\vmlinuz");
	assert_string_equal(cfg.next_stage_options, "console=ttyS0,115200 initrd=\\initrd.img");
	assert_int_equal(cfg.policy, HVP_POLICY_FAIL_OPEN);
	assert_int_equal(cfg.log_level, HVP_LOG_DEBUG);
	assert_int_equal(cfg.kernel_exec, HVP_KERNEL_EXEC_ANY);
	assert_int_equal(cfg.key_count, 2);
	assert_string_equal(cfg.keys[1], "\\EFI\\hvpatch\\keys\\b.pem");
	assert_int_equal(cfg.problem_count, 0);
}

static void config_bad_lines_are_reported_and_skipped(void **state)
{
	struct hvp_loader_config cfg = parse(
		"policy = fail-open\n"
		"policy = maybe\n"        /* bad value: back to the safe default */
		"frobnicate = 1\n"
		"just words\n"
		"next_stage = vmlinuz\n"  /* not a \\path */
		"log_level = loud\n"
		"kernel_exec = any\n"
		"kernel_exec = all\n");  /* bad value: back to the safe default */

	assert_int_equal(cfg.policy, HVP_POLICY_FAIL_CLOSED);
	assert_string_equal(cfg.next_stage, HVP_DEFAULT_NEXT_STAGE);
	assert_int_equal(cfg.log_level, HVP_LOG_INFO);
	assert_int_equal(cfg.kernel_exec, HVP_KERNEL_EXEC_APPROVED);
	assert_int_equal(cfg.problem_count, 6);
	assert_string_equal(cfg.problems[0],
			    "line 2: policy must be fail-closed or fail-open; keeping fail-closed 'maybe'");
	assert_non_null(strstr(cfg.problems[1], "line 3: unknown setting"));
	assert_non_null(strstr(cfg.problems[2], "line 4: not 'key = value'"));
	assert_non_null(strstr(cfg.problems[3], "line 5: next_stage"));
	assert_non_null(strstr(cfg.problems[4], "line 6: unknown log_level"));
	assert_string_equal(cfg.problems[5],
			    "line 8: kernel_exec must be approved or any; keeping approved 'all'");
}

static void config_limits(void **state)
{
	char text[4096] = "", line[128];
	struct hvp_loader_config cfg;
	char long_path[400];

	for (int i = 0; i < HVP_CONFIG_MAX_KEYS + 2; i++) {
		snprintf(line, sizeof(line), "key = \\k%d.pem\n", i);
		strcat(text, line);
	}
	memset(long_path, 'a', sizeof(long_path));
	long_path[0] = '\\';
	long_path[sizeof(long_path) - 1] = '\0';
	strcat(text, "next_stage = ");
	strcat(text, long_path);
	strcat(text, "\n");
	cfg = parse(text);
	assert_int_equal(cfg.key_count, HVP_CONFIG_MAX_KEYS);
	assert_string_equal(cfg.next_stage, HVP_DEFAULT_NEXT_STAGE);
	assert_int_equal(cfg.problem_count, 3);
	/* Problem lines stay bounded and terminated. */
	assert_true(strlen(cfg.problems[2]) < HVP_CONFIG_PROBLEM_LEN);
}

/* Reads a file the build made (key pairs from hvpatch keygen, the
 * hypervisor image). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*len + 1);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static const char *data_dir;

static char *data_file(const char *name, size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	return slurp(path, len);
}

static void pem_matches_der(void **state)
{
	size_t pem_len, der_len;
	char *pem = data_file("pub.pem", &pem_len);
	char *der = data_file("pub.der", &der_len);
	uint8_t out[256];

	assert_int_equal(hvp_pem_public_key(pem, pem_len, out, sizeof(out)), der_len);
	assert_memory_equal(out, der, der_len);
	/* Too small a buffer, a missing END line, a stray character. */
	assert_int_equal(hvp_pem_public_key(pem, pem_len, out, der_len - 1), 0);
	assert_int_equal(hvp_pem_public_key(pem, pem_len - 30, out, sizeof(out)), 0);
	pem[40] = '*';
	assert_int_equal(hvp_pem_public_key(pem, pem_len, out, sizeof(out)), 0);
	assert_int_equal(hvp_pem_public_key("no key here", 11, out, sizeof(out)), 0);
	free(pem);
	free(der);
}

static void elf_image_loads_and_relocates(void **state)
{
	size_t len;
	const char *image_path = getenv("HVP_IMAGE");
	uint8_t *elf, *dest;
	const char *error = NULL;
	uint64_t size, entry;

	assert_non_null(image_path);
	elf = (uint8_t *)slurp(image_path, &len);
	size = hvp_elf_image_size(elf, len);
	assert_true(size > 4096 && size % 4096 == 0);
	dest = aligned_alloc(4096, size);
	memset(dest, 0xcc, size);
	entry = hvp_elf_image_load(elf, len, dest, &error);
	assert_non_null((void *)(uintptr_t)entry);
	assert_true(entry > (uint64_t)dest && entry < (uint64_t)dest + size);
	/* Every relocation now holds dest + addend. */
	{
		const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
		const Elf64_Shdr *sh = (const Elf64_Shdr *)(elf + eh->e_shoff);
		unsigned int relocated = 0;

		for (unsigned int i = 0; i < eh->e_shnum; i++) {
			const Elf64_Rela *r = (const Elf64_Rela *)(elf + sh[i].sh_offset);

			if (sh[i].sh_type != SHT_RELA)
				continue;
			for (size_t n = 0; n < sh[i].sh_size / sizeof(*r); n++, relocated++)
				assert_int_equal(*(uint64_t *)(dest + r[n].r_offset),
						 (uint64_t)dest + (uint64_t)r[n].r_addend);
		}
		assert_true(relocated > 10);
	}
	free(dest);

	/* Damaged headers are refused, never followed. */
	elf[4] = 1; /* ELFCLASS32 */
	assert_int_equal(hvp_elf_image_size(elf, len), 0);
	elf[4] = 2;
	assert_int_equal(hvp_elf_image_size(elf, 63), 0);
	((uint64_t *)elf)[4] = len; /* e_phoff past the end */
	assert_int_equal(hvp_elf_image_size(elf, len), 0);
	assert_int_equal(hvp_elf_image_load(elf, len, NULL, &error), 0);
	assert_non_null(error);
	free(elf);
}


/* What new_vcpu() (hypervisor/vmx/setup.c) takes from the pool per CPU. */
static uint64_t vcpu_pool_bytes(void)
{
	uint64_t struct_pages = (sizeof(struct vcpu) + 4095) / 4096;

	return (struct_pages + 1 /* VMXON */ + 1 /* VMCS */ + 1 /* MSR bitmap */ +
		2 /* I/O bitmaps */) * 4096 + HOST_STACK_SIZE + NMI_STACK_SIZE;
}

static void reserve_parts_add_up(void **state)
{
	struct hvp_reserve r;

	hvp_reserve_plan(&r, 3000, 1249280 + 1, 4ull << 30, 2);
	assert_int_equal(r.info, 4096);
	assert_int_equal(r.image, 1249280 + 4096);
	/* Host: PML4, PDPT, 4 PDs, IDT; EPT: PML4, PDPT, 4 PDs. */
	assert_int_equal(r.tables, 13 * 4096);
	assert_int_equal(r.cpus, 2 * HVP_RESERVE_PER_CPU);
	assert_int_equal(r.total, r.info + r.image + r.tables + r.cpus + r.headroom);
	assert_int_equal(r.total % 4096, 0);
}

static void reserve_fits_what_the_hypervisor_allocates(void **state)
{
	struct hvp_reserve small, large;

	assert_true(vcpu_pool_bytes() <= HVP_RESERVE_PER_CPU);
	/* Issue 11: at most 4 MiB with 2 CPUs and 4 GiB, as in the Bochs runs. */
	hvp_reserve_plan(&small, 4096, 1249280, 4ull << 30, 2);
	assert_true(small.total <= 4ull << 20);
	/* One more GiB of address space costs one host and one EPT directory. */
	hvp_reserve_plan(&large, 4096, 1249280, 5ull << 30, 2);
	assert_int_equal(large.tables - small.tables, 2 * 4096);
	/* 1 TiB: a second EPT PDPT.  The estimate errs high: the host map
	 * stops at 512 GiB (host_tables.c), the estimate does not. */
	hvp_reserve_plan(&large, 4096, 1249280, 1ull << 40, 2);
	assert_int_equal(large.tables, (2 + 1024 + 1 + 1 + 2 + 1024) * 4096ull);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_defaults_are_safe),
		cmocka_unit_test(config_every_setting),
		cmocka_unit_test(config_bad_lines_are_reported_and_skipped),
		cmocka_unit_test(config_limits),
		cmocka_unit_test(pem_matches_der),
		cmocka_unit_test(elf_image_loads_and_relocates),
		cmocka_unit_test(reserve_parts_add_up),
		cmocka_unit_test(reserve_fits_what_the_hypervisor_allocates),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_loader CRYPTO_VECTORS_DIR (HVP_IMAGE=hvpatch.elf)\n");
		return 1;
	}
	data_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
