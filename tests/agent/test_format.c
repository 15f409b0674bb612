// SPDX-License-Identifier: MIT
/*
 * hvpatchctl's output (hvpctl_format.c): status names and texts come from
 * HVP_STATUS_LIST, refusals read "REFUSED: <NAME>: <text>", JSON escapes
 * and exact lines for each command.  The whole-program JSON is checked by
 * mock-cli-test.sh with python3's parser.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hvpctl.h"

/* Runs a printer into a string; the caller frees it. */
#define CAPTURE(buf, call)                                                     \
	do {                                                                   \
		size_t len_;                                                   \
		FILE *f = open_memstream(&(buf), &len_);                       \
		assert_non_null(f);                                            \
		call;                                                          \
		fclose(f);                                                     \
	} while (0)

static void test_status_names_follow_the_abi_list(void **state)
{
	static const struct {
		const char *name;
		unsigned int value;
		const char *text;
	} list[] = {
#define X(n, v, t) { #n, v, t },
		HVP_STATUS_LIST(X)
#undef X
	};

	assert_int_equal(sizeof(list) / sizeof(list[0]), HVP_STATUS_COUNT);
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		assert_string_equal(hvpctl_status_name(list[i].value), list[i].name);
		assert_string_equal(hvpctl_status_text(list[i].value), list[i].text);
	}
	assert_string_equal(hvpctl_status_name(HVP_E_BAD_SIGNATURE), "HVP_E_BAD_SIGNATURE");
	assert_string_equal(hvpctl_status_name(HVP_STATUS_COUNT), "HVP_E_UNKNOWN_STATUS");
	assert_string_equal(hvpctl_status_name(0xffffffffu), "HVP_E_UNKNOWN_STATUS");
	assert_string_equal(hvpctl_status_text(999), "unknown status code");
}

static void test_refusal_line(void **state)
{
	char *out;

	CAPTURE(out, hvpctl_print_refusal(f, "apply", HVP_E_UNKNOWN_KEY, false));
	assert_string_equal(out, "REFUSED: HVP_E_UNKNOWN_KEY: signing key is not enrolled\n");
	free(out);
	CAPTURE(out, hvpctl_print_refusal(f, "apply", HVP_E_REPLAY, true));
	assert_string_equal(out, "{\"command\": \"apply\", \"ok\": false, \"refused\": true, "
				 "\"code\": 15, \"status\": \"HVP_E_REPLAY\", "
				 "\"message\": \"sequence number not newer than the last one\"}\n");
	free(out);
	CAPTURE(out, hvpctl_print_refusal(f, "revert", 77, false));
	assert_string_equal(out, "REFUSED: HVP_E_UNKNOWN_STATUS: unknown status code\n");
	free(out);
}

static void test_json_string_escapes(void **state)
{
	char *out;

	CAPTURE(out, hvpctl_json_string(f, "a\"b\\c\nd\te\x01" "f\x7f"));
	assert_string_equal(out, "a\\\"b\\\\c\\nd\\te\\u0001f\\u007f");
	free(out);
}

static void test_errno_messages(void **state)
{
	char *out;

	assert_string_equal(hvpctl_errno_message(-ENODEV),
			    "no hvpatch hypervisor (this kernel runs unprotected)");
	assert_non_null(strstr(hvpctl_errno_message(-ENOENT), "is hvpatch.ko loaded?"));
	assert_null(hvpctl_errno_message(-EXDEV));
	CAPTURE(out, hvpctl_print_error_json(f, "status", -ENODEV));
	assert_string_equal(out, "{\"command\": \"status\", \"ok\": false, \"refused\": false, "
				 "\"errno\": 19, \"error\": \"no hvpatch hypervisor "
				 "(this kernel runs unprotected)\"}\n");
	free(out);
}

static struct hvp_status_info sample_status(void)
{
	struct hvp_status_info st = {
		.abi_version = 1, .flags = HVP_STATUS_LOCKED, .cpu_count = 2, .key_count = 1,
		.applied_count = 0, .build_id_len = 3, .build_id = { 0xde, 0xad, 0x01, 0xff },
		.reserved_base = 0x7e000000, .reserved_size = 0x1000000,
		.region_gva = { 0xffffffff81000000ull, 0xffffffff82000000ull, 0xffffffffc0001000ull },
		.region_size = { 0x1000, 0x2000, 0x10000 },
		.arena_used = 5, .applies = 1, .reverts = 2, .refusals = 3, .blocked_writes = 4,
		.last_hold_cycles = 18446744073709551615ull,
	};
	return st;
}

static void test_status_text(void **state)
{
	struct hvp_status_info st = sample_status();
	char *out;

	CAPTURE(out, hvpctl_print_status(f, &st, false));
	assert_string_equal(out,
			    "protection: LOCKED\n"
			    "kernel exec: no MBEC on this CPU: new kernel code can still run\n"
			    "abi version: 1\n"
			    "cpus: 2, enrolled keys: 1, applied patches: 0\n"
			    "build-id: dead01\n"
			    "text    0xffffffff81000000 +0x1000\n"
			    "rodata  0xffffffff82000000 +0x2000\n"
			    "arena   0xffffffffc0001000 +0x10000 (5 bytes used)\n"
			    "hypervisor memory: 0x7e000000 +0x1000000\n"
			    "applies 1, reverts 2, refusals 3, blocked writes 4, last hold "
			    "18446744073709551615 cycles\n");
	free(out);
	st.flags = 0;
	st.build_id_len = 200; /* a bad length must not read past build_id */
	CAPTURE(out, hvpctl_print_status(f, &st, false));
	assert_non_null(strstr(out, "protection: NOT LOCKED"));
	assert_non_null(strstr(out, "\nkernel exec: no MBEC on this CPU: new kernel code can still run\n"));
	{
		char want[96] = "build-id: dead01ff";

		for (int i = 4; i < HVP_BUILD_ID_MAX; i++)
			strcat(want, "00");
		strcat(want, "\n");
		assert_non_null(strstr(out, want));
	}
	free(out);
	st.flags = HVP_STATUS_LOCKED | HVP_STATUS_MBEC;
	CAPTURE(out, hvpctl_print_status(f, &st, false));
	assert_non_null(strstr(out, "\nkernel exec: MBEC in force, approved code only\n"));
	free(out);
	st.flags |= HVP_STATUS_KERNEL_EXEC_ANY;
	CAPTURE(out, hvpctl_print_status(f, &st, false));
	assert_non_null(strstr(out, "\nkernel exec: MBEC in force, new kernel code allowed and "
				    "logged (kernel_exec any)\n"));
	free(out);
}

static void test_status_json(void **state)
{
	struct hvp_status_info st = sample_status();
	char *out;

	CAPTURE(out, hvpctl_print_status(f, &st, true));
	assert_string_equal(out,
			    "{\"command\": \"status\", \"ok\": true, \"abi_version\": 1, "
			    "\"locked\": true, \"flags\": 1, \"mbec\": false, "
			    "\"kernel_exec\": \"approved\", \"kernel_exec_text\": "
			    "\"no MBEC on this CPU: new kernel code can still run\", "
			    "\"cpu_count\": 2, \"key_count\": 1, "
			    "\"applied_count\": 0, \"build_id\": \"dead01\", "
			    "\"reserved_base\": \"0x7e000000\", \"reserved_size\": 16777216, "
			    "\"regions\": [{\"name\": \"text\", \"gva\": \"0xffffffff81000000\", \"size\": 4096}, "
			    "{\"name\": \"rodata\", \"gva\": \"0xffffffff82000000\", \"size\": 8192}, "
			    "{\"name\": \"arena\", \"gva\": \"0xffffffffc0001000\", \"size\": 65536}], "
			    "\"arena_used\": 5, \"applies\": 1, \"reverts\": 2, \"refusals\": 3, "
			    "\"blocked_writes\": 4, \"last_hold_cycles\": 18446744073709551615}\n");
	free(out);
	st.flags = HVP_STATUS_LOCKED | HVP_STATUS_MBEC | HVP_STATUS_KERNEL_EXEC_ANY;
	CAPTURE(out, hvpctl_print_status(f, &st, true));
	assert_non_null(strstr(out, "\"flags\": 7, \"mbec\": true, \"kernel_exec\": \"any\", "));
	free(out);
}

static void test_counters_only_nonzero(void **state)
{
	static struct hvp_counters c;
	char *out;

	CAPTURE(out, hvpctl_print_counters(f, &c, false));
	assert_string_equal(out, "refusals:\n  none\nvm exits:\n  none\n"
				 "blocked writes: 0 to protected memory, 0 to control registers, "
				 "0 to pinned IDTR, GDTR, MSRs, breakpoints\n"
				 "static-key switch steps done by the hypervisor: 0\n"
				 "INT3s at switching static-key sites run by the hypervisor: 0\n"
				 "kernel fetches outside approved code (MBEC): 0 refused, 0 pages allowed\n");
	free(out);
	CAPTURE(out, hvpctl_print_counters(f, &c, true));
	assert_string_equal(out, "{\"command\": \"counters\", \"ok\": true, \"refusals\": {}, "
				 "\"exits\": {}, \"blocked_writes\": 0, \"blocked_cr_writes\": 0, "
				 "\"blocked_control_writes\": 0, \"jump_label_writes\": 0, "
				 "\"jump_label_int3\": 0, \"blocked_execs\": 0, \"new_kernel_code\": 0}\n");
	free(out);

	c.refusals[HVP_E_PREIMAGE] = 2;
	c.refusals[HVP_E_RELOC_OUTSIDE_IMAGE] = 1;
	c.exits[10] = 7;
	c.exits[79] = 1;
	c.blocked_cr_writes = 9;
	c.blocked_control_writes = 4;
	c.jump_label_writes = 12;
	c.jump_label_int3 = 5;
	c.blocked_execs = 3;
	c.new_kernel_code = 2;
	CAPTURE(out, hvpctl_print_counters(f, &c, false));
	assert_string_equal(out,
			    "refusals:\n"
			    "  HVP_E_PREIMAGE                  2  bytes at the patch site do not match\n"
			    "  HVP_E_RELOC_OUTSIDE_IMAGE          1  relocation target outside the kernel image\n"
			    "vm exits:\n"
			    "   10 CPUID                                   7\n"
			    "   79 ?                                       1\n"
			    "blocked writes: 0 to protected memory, 9 to control registers, "
			    "4 to pinned IDTR, GDTR, MSRs, breakpoints\n"
			    "static-key switch steps done by the hypervisor: 12\n"
			    "INT3s at switching static-key sites run by the hypervisor: 5\n"
			    "kernel fetches outside approved code (MBEC): 3 refused, 2 pages allowed\n");
	free(out);
	CAPTURE(out, hvpctl_print_counters(f, &c, true));
	assert_string_equal(out, "{\"command\": \"counters\", \"ok\": true, \"refusals\": "
				 "{\"HVP_E_PREIMAGE\": 2, \"HVP_E_RELOC_OUTSIDE_IMAGE\": 1}, \"exits\": "
				 "{\"10\": 7, \"79\": 1}, \"blocked_writes\": 0, \"blocked_cr_writes\": 9, "
				 "\"blocked_control_writes\": 4, \"jump_label_writes\": 12, "
				 "\"jump_label_int3\": 5, \"blocked_execs\": 3, \"new_kernel_code\": 2}\n");
	free(out);
}

static void test_audit(void **state)
{
	struct hvp_audit_event ev[2] = {
		{ .serial = 1, .timestamp = 100, .sequence = 0, .type = HVP_AUDIT_LOCK,
		  .status = HVP_OK, .patch_id = 0, .detail = 4096 },
		{ .serial = 2, .timestamp = 200, .sequence = 9, .type = HVP_AUDIT_REFUSAL,
		  .status = HVP_E_WRONG_BUILD, .patch_id = 0, .detail = 0 },
	};
	static struct hvp_counters drops;
	char *out;

	CAPTURE(out, hvpctl_print_audit(f, ev, 2, &drops, false));
	assert_null(strstr(out, "dropped"));
	assert_non_null(strstr(out, "\n1      100                  LOCK          HVP_OK"));
	assert_non_null(strstr(out, "\n2      200                  REFUSAL       HVP_E_WRONG_BUILD      0      0x9"));
	free(out);
	CAPTURE(out, hvpctl_print_audit(f, ev, 0, &drops, false));
	assert_string_equal(out, "audit log is empty\n");
	free(out);
	CAPTURE(out, hvpctl_print_audit(f, ev, 2, &drops, true));
	assert_string_equal(out, "{\"command\": \"log\", \"ok\": true, \"events\": ["
				 "{\"serial\": 1, \"tsc\": 100, \"type\": \"LOCK\", \"status\": \"HVP_OK\", "
				 "\"patch_id\": 0, \"sequence\": 0, \"detail\": 4096}, "
				 "{\"serial\": 2, \"tsc\": 200, \"type\": \"REFUSAL\", \"status\": "
				 "\"HVP_E_WRONG_BUILD\", \"patch_id\": 0, \"sequence\": 9, \"detail\": 0}], "
				 "\"dropped\": {\"overwritten\": 0, \"floodable_overwritten\": 0, "
				 "\"unrecorded\": {}}}\n");
	free(out);

	/* What the reader cannot see is said, by kind. */
	drops.unrecorded[HVP_E_CPL] = 9982;
	drops.unrecorded[HVP_E_UNKNOWN_CALL] = 3;
	drops.audit_floodable_overwritten = 7;
	CAPTURE(out, hvpctl_print_audit(f, ev, 0, &drops, false));
	assert_string_equal(out,
			    "[dropped: 3 HVP_E_UNKNOWN_CALL refusals were counted but not recorded (rate limit)]\n"
			    "[dropped: 9982 HVP_E_CPL refusals were counted but not recorded (rate limit)]\n"
			    "[dropped: 0 events and 7 rate-limited refusals were overwritten in the audit ring]\n"
			    "audit log is empty\n");
	free(out);
	CAPTURE(out, hvpctl_print_audit(f, ev, 0, &drops, true));
	assert_string_equal(out, "{\"command\": \"log\", \"ok\": true, \"events\": [], "
				 "\"dropped\": {\"overwritten\": 0, \"floodable_overwritten\": 7, "
				 "\"unrecorded\": {\"HVP_E_UNKNOWN_CALL\": 3, \"HVP_E_CPL\": 9982}}}\n");
	free(out);
	CAPTURE(out, hvpctl_print_hvlog(f, "a\n", 2, 0, 0, 2, &drops, false));
	assert_string_equal(out,
			    "[dropped: 3 HVP_E_UNKNOWN_CALL refusals were counted but not recorded (rate limit)]\n"
			    "[dropped: 9982 HVP_E_CPL refusals were counted but not recorded (rate limit)]\n"
			    "a\n");
	free(out);
	CAPTURE(out, hvpctl_print_hvlog(f, "a\n", 2, 0, 0, 2, &drops, true));
	assert_string_equal(out, "{\"command\": \"hvlog\", \"ok\": true, \"start\": 0, "
				 "\"end\": 2, \"dropped\": 0, \"unrecorded\": "
				 "{\"HVP_E_UNKNOWN_CALL\": 3, \"HVP_E_CPL\": 9982}, \"text\": \"a\\n\"}\n");
	free(out);
	assert_string_equal(hvpctl_audit_type_name(0), "UNKNOWN");
	assert_string_equal(hvpctl_audit_type_name(HVP_AUDIT_BLOCKED_WRITE), "BLOCKED_WRITE");
	assert_string_equal(hvpctl_audit_type_name(HVP_AUDIT_BLOCKED_MAPPING), "BLOCKED_MAPPING");
	assert_string_equal(hvpctl_audit_type_name(HVP_AUDIT_BLOCKED_CONTROL), "BLOCKED_CONTROL");
	assert_string_equal(hvpctl_audit_type_name(HVP_AUDIT_BLOCKED_EXEC), "BLOCKED_EXEC");
	assert_string_equal(hvpctl_audit_type_name(HVP_AUDIT_NEW_KERNEL_CODE), "NEW_KERNEL_CODE");
}

static void test_list(void **state)
{
	struct hvp_patch_info p = { .id = 4, .site_count = 2, .sequence = 10,
				    .arena_gva = 0xffffffffc0002000ull };
	char *out;

	memset(p.key_id, 0xab, sizeof(p.key_id));
	CAPTURE(out, hvpctl_print_list(f, &p, 0, false));
	assert_string_equal(out, "no patches applied\n");
	free(out);
	CAPTURE(out, hvpctl_print_list(f, &p, 1, false));
	assert_non_null(strstr(out, "\n4      2      10         0xffffffffc0002000 abababababababab...\n"));
	free(out);
	CAPTURE(out, hvpctl_print_list(f, &p, 0, true));
	assert_string_equal(out, "{\"command\": \"list\", \"ok\": true, \"patches\": []}\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names_follow_the_abi_list),
		cmocka_unit_test(test_refusal_line),
		cmocka_unit_test(test_json_string_escapes),
		cmocka_unit_test(test_errno_messages),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_status_json),
		cmocka_unit_test(test_counters_only_nonzero),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_list),
	};
	return cmocka_run_group_tests_name("hvpatchctl", tests, NULL, NULL);
}
