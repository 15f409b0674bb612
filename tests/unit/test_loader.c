// SPDX-License-Identifier: MIT
/*
 * The loader's portable parts: hvpatch.conf parsing, PEM public keys and
 * loading the hypervisor's PIE image.
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
		"key = \\EFI\\hvpatch\\keys\\a.pem\n"
		"key = \\EFI\\hvpatch\\keys\\b.pem\n");

	assert_string_equal(cfg.next_stage, "\\vmlinuz");
	assert_string_equal(cfg.next_stage_options, "console=ttyS0,115200 initrd=\\initrd.img");
	assert_int_equal(cfg.policy, HVP_POLICY_FAIL_OPEN);
	assert_int_equal(cfg.log_level, HVP_LOG_DEBUG);
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
		"log_level = loud\n");

	assert_int_equal(cfg.policy, HVP_POLICY_FAIL_CLOSED);
	assert_string_equal(cfg.next_stage, HVP_DEFAULT_NEXT_STAGE);
	assert_int_equal(cfg.log_level, HVP_LOG_INFO);
	assert_int_equal(cfg.problem_count, 5);
	assert_string_equal(cfg.problems[0],
			    "line 2: policy must be fail-closed or fail-open; keeping fail-closed 'maybe'");
	assert_non_null(strstr(cfg.problems[1], "line 3: unknown setting"));
	assert_non_null(strstr(cfg.problems[2], "line 4: not 'key = value'"));
	assert_non_null(strstr(cfg.problems[3], "line 5: next_stage"));
	assert_non_null(strstr(cfg.problems[4], "line 6: unknown log_level"));
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

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_defaults_are_safe),
		cmocka_unit_test(config_every_setting),
		cmocka_unit_test(config_bad_lines_are_reported_and_skipped),
		cmocka_unit_test(config_limits),
		cmocka_unit_test(pem_matches_der),
		cmocka_unit_test(elf_image_loads_and_relocates),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_loader CRYPTO_VECTORS_DIR (HVP_IMAGE=hvpatch.elf)\n");
		return 1;
	}
	data_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
