// SPDX-License-Identifier: MIT
/*
 * Mode-based execute control on the host model (patch/kernel_exec.h):
 * the simulated guest of engine_fixture.c with platform.mbec switched on,
 * module text in Linux's module area, start-up code learned below 1 MiB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fixture.h"
#include "patch/report.h"

#define R HVP_EPT_READ
#define W HVP_EPT_WRITE
#define XS HVP_EPT_EXEC
#define XU HVP_EPT_EXEC_USER

/* Module text (3 pages), a module data page and a user page in the
 * module area; the start-up page a CPU runs before lock. */
#define MOD_TEXT_GVA (HVP_MODULES_START + 0x100000ull)
#define MOD_TEXT_GPA 0x1600000ull
#define MOD_TEXT_SIZE 0x3000ull
#define MOD_DATA_GVA (MOD_TEXT_GVA + MOD_TEXT_SIZE)
#define MOD_DATA_GPA (MOD_TEXT_GPA + MOD_TEXT_SIZE)
#define MOD_USER_GVA (MOD_TEXT_GVA + 0x200000ull)
#define MOD_USER_GPA 0x1800000ull
#define STARTUP_GPA 0x9a000ull
#define OTHER_GPA 0x2400000ull /* ordinary RAM, a 2 MiB leaf of its own */

static unsigned int perms(struct fixture *f, uint64_t gpa)
{
	struct hvp_ept_mapping m;

	assert_int_equal(hvp_ept_lookup(&f->ept, gpa, &m), HVP_OK);
	assert_true(m.present);
	return m.perms;
}

static uint64_t page_size(struct fixture *f, uint64_t gpa)
{
	struct hvp_ept_mapping m;

	assert_int_equal(hvp_ept_lookup(&f->ept, gpa, &m), HVP_OK);
	return m.page_size;
}

static bool fetch(struct fixture *f, uint64_t gpa)
{
	struct hvp_fetch ft = { .gpa = gpa, .rip = 0xffffffffc0201234ull,
				.cr3 = f->cr3, .cpl = 0 };

	return hvp_kernel_exec_fetch(f->engine, &ft);
}

/* The newest audit event. */
static struct hvp_audit_event last_event(struct fixture *f)
{
	struct hvp_audit_event ev[HVP_AUDIT_ENTRIES];
	uint32_t n = hvp_engine_audit_read(f->engine, 0, ev, HVP_AUDIT_ENTRIES);

	assert_true(n > 0);
	return ev[n - 1];
}

static unsigned int count_lines(const struct fixture *f, const char *what)
{
	unsigned int n = 0;

	for (const char *at = f->log; (at = strstr(at, what)); at++)
		n++;
	return n;
}

/* The guest up to lock: module mappings, MBEC as asked, the mode set and
 * one start-up page learned. */
static struct fixture *boot(bool mbec, enum hvp_kernel_exec_mode mode)
{
	struct fixture *f = calloc(1, sizeof(*f));

	fx_init(f, false);
	f->platform.mbec = mbec;
	sim_map(&f->m, f->cr3, MOD_TEXT_GVA, MOD_TEXT_GPA, MOD_TEXT_SIZE, 4096, 0);
	sim_map(&f->m, f->cr3, MOD_DATA_GVA, MOD_DATA_GPA, 4096, 4096,
		SIM_PTE_WRITE | SIM_PTE_NX);
	sim_map(&f->m, f->cr3, MOD_USER_GVA, MOD_USER_GPA, 4096, 4096, SIM_PTE_USER);
	assert_int_equal(hvp_kernel_exec_start(f->engine, mode), HVP_OK);
	if (mbec)
		assert_true(fetch(f, STARTUP_GPA + 0x10));
	return f;
}

static void done(struct fixture *f)
{
	fx_destroy(f);
	free(f);
}

static void before_lock_everything_runs_but_low_ram(void **state)
{
	struct fixture *f = boot(true, HVP_KERNEL_EXEC_APPROVED);

	assert_int_equal(perms(f, OTHER_GPA), R | W | XS | XU);
	assert_int_equal(page_size(f, OTHER_GPA), HVP_EPT_PAGE_2M);
	assert_int_equal(perms(f, FX_TEXT_GPA), R | W | XS | XU);
	assert_int_equal(perms(f, 0x50000), R | W | XU);
	assert_int_equal(perms(f, STARTUP_GPA), R | W | XS | XU);
	assert_int_equal(f->engine->kernel_exec.startup_count, 1);
	assert_non_null(strstr(f->log, "start-up code at gpa 0x9a010"));
	done(f);
}

static void lock_gives_each_kind_its_rights(void **state)
{
	struct fixture *f = boot(true, HVP_KERNEL_EXEC_APPROVED);
	uint32_t splits;
	struct hvp_status_info st = { 0 };

	splits = f->ept.splits;
	assert_int_equal(fx_lock(f), HVP_OK);
	assert_int_equal(perms(f, FX_TEXT_GPA), R | XS);
	assert_int_equal(perms(f, FX_ARENA_GPA), R | XS);
	assert_int_equal(perms(f, FX_RODATA_GPA), R | XU);
	for (uint64_t off = 0; off < MOD_TEXT_SIZE; off += 4096)
		assert_int_equal(perms(f, MOD_TEXT_GPA + off), R | XS);
	assert_int_equal(f->engine->kernel_exec.module_count, 3);
	assert_int_equal(perms(f, MOD_DATA_GPA), R | W | XU);
	assert_int_equal(perms(f, MOD_USER_GPA), R | W | XU);
	assert_int_equal(perms(f, STARTUP_GPA), R | XS);
	assert_int_equal(perms(f, 0x50000), R | W | XU);
	assert_int_equal(perms(f, OTHER_GPA), R | W | XU);
	assert_int_equal(page_size(f, OTHER_GPA), HVP_EPT_PAGE_2M);
	/* One split per 2 MiB holding protected pages: text, rodata, arena,
	 * module text (the translation's own pages aside). */
	assert_true(f->ept.splits - splits <= 8);
	hvp_engine_report_status(f->engine, &st);
	assert_int_equal(st.flags, HVP_STATUS_LOCKED | HVP_STATUS_MBEC);
	assert_non_null(strstr(f->log, "3 pages of module text and 1 of start-up code"));
	done(f);
}

/* Without MBEC: lock's rights as ever, no module text, no policy. */
static void without_mbec_nothing_changes(void **state)
{
	struct fixture *f = boot(false, HVP_KERNEL_EXEC_APPROVED);
	struct sim_snapshot snap;
	struct hvp_status_info st = { 0 };

	sim_snapshot(&f->m, &snap);
	assert_int_equal(hvp_kernel_exec_start(f->engine, HVP_KERNEL_EXEC_ANY), HVP_OK);
	assert_true(sim_unchanged(&f->m, &snap));
	sim_snapshot_free(&snap);
	assert_false(fetch(f, 0x50000));
	assert_int_equal(fx_lock(f), HVP_OK);
	assert_int_equal(perms(f, FX_TEXT_GPA), R | XS);
	assert_int_equal(perms(f, FX_RODATA_GPA), R | XS);
	assert_int_equal(perms(f, FX_ARENA_GPA), R | XS);
	assert_int_equal(perms(f, MOD_TEXT_GPA), R | W | XS);
	assert_int_equal(perms(f, OTHER_GPA), R | W | XS);
	assert_int_equal(perms(f, 0x50000), R | W | XS);
	assert_int_equal(f->engine->kernel_exec.module_count, 0);
	assert_false(fetch(f, OTHER_GPA));
	assert_false(hvp_kernel_exec_blocked_write(f->engine, MOD_TEXT_GPA));
	assert_int_equal(f->engine->counters.blocked_execs, 0);
	assert_int_equal(f->engine->counters.new_kernel_code, 0);
	hvp_engine_report_status(f->engine, &st);
	assert_int_equal(st.flags, HVP_STATUS_LOCKED | HVP_STATUS_KERNEL_EXEC_ANY);
	done(f);
}

static void approved_refuses_other_kernel_code(void **state)
{
	struct fixture *f = boot(true, HVP_KERNEL_EXEC_APPROVED);
	struct hvp_audit_event ev;
	struct hvp_counters c = { 0 };

	assert_int_equal(fx_lock(f), HVP_OK);
	assert_false(fetch(f, OTHER_GPA + 0x123));
	assert_false(fetch(f, 0x50000)); /* never learned */
	assert_int_equal(perms(f, OTHER_GPA), R | W | XU);
	assert_int_equal(perms(f, 0x50000), R | W | XU);
	ev = last_event(f);
	assert_int_equal(ev.type, HVP_AUDIT_BLOCKED_EXEC);
	assert_int_equal(ev.sequence, 0x50000);
	assert_int_equal(ev.detail, 0); /* CPL */
	hvp_engine_report_counters(f->engine, &c);
	assert_int_equal(c.blocked_execs, 2);
	assert_int_equal(c.new_kernel_code, 0);
	assert_non_null(strstr(f->log, "refused kernel fetch from a page not approved at lock: gpa 0x2400123, guest rip 0xffffffffc0201234"));
	/* Approved code needs no decision: a raced grant just runs. */
	assert_true(fetch(f, MOD_TEXT_GPA));
	assert_int_equal(f->engine->counters.blocked_execs, 2);
	done(f);
}

static void any_allows_logs_and_rate_limits(void **state)
{
	struct fixture *f = boot(true, HVP_KERNEL_EXEC_ANY);
	struct hvp_status_info st = { 0 };
	uint32_t splits;

	assert_int_equal(fx_lock(f), HVP_OK);
	/* Module text runs without an event, and stays writable. */
	assert_int_equal(perms(f, MOD_TEXT_GPA), R | W | XS);
	splits = f->ept.splits;
	f->log_len = 0;
	f->log[0] = '\0';
	/* 20 leaves: 2 MiB ones from 36 MiB up, and 4 KiB ones below 1 MiB. */
	for (uint64_t i = 0; i < 4; i++)
		assert_true(fetch(f, OTHER_GPA + i * HVP_EPT_PAGE_2M + 0x40));
	for (uint64_t i = 0; i < 16; i++)
		assert_true(fetch(f, 0x10000 + i * 4096));
	assert_int_equal(perms(f, OTHER_GPA + 0x1ff000), R | W | XS | XU);
	assert_int_equal(page_size(f, OTHER_GPA), HVP_EPT_PAGE_2M);
	assert_int_equal(perms(f, 0x10000), R | W | XS | XU);
	assert_int_equal(perms(f, 0x50000), R | W | XU);
	assert_int_equal(f->ept.splits, splits);
	/* Granted: the next fetch there is no event. */
	assert_true(fetch(f, OTHER_GPA + 0x1000));
	assert_int_equal(f->engine->counters.new_kernel_code, 20);
	assert_int_equal(last_event(f).type, HVP_AUDIT_NEW_KERNEL_CODE);
	assert_int_equal(last_event(f).detail, 4);
	/* Lines for the 1st to 8th and the 16th. */
	assert_int_equal(count_lines(f, "new kernel code allowed"), 9);
	assert_non_null(strstr(f->log, "(16 so far)"));
	hvp_engine_report_status(f->engine, &st);
	assert_int_equal(st.flags, HVP_STATUS_LOCKED | HVP_STATUS_MBEC |
					   HVP_STATUS_KERNEL_EXEC_ANY);
	done(f);
}

static void start_up_learning_is_bounded_and_frozen_at_lock(void **state)
{
	struct fixture *f = boot(true, HVP_KERNEL_EXEC_APPROVED);
	const uint64_t first = 0x20000;

	for (uint64_t i = 0; i < HVP_STARTUP_CODE_PAGES; i++)
		assert_true(fetch(f, first + i * 4096));
	assert_int_equal(f->engine->kernel_exec.startup_count, HVP_STARTUP_CODE_PAGES);
	assert_int_equal(f->engine->kernel_exec.startup_missed, 1);
	assert_non_null(strstr(f->log, "beyond the 16 pages recorded"));
	/* Ran anyway: before lock nothing is refused. */
	assert_int_equal(perms(f, first + 15 * 4096), R | W | XS | XU);
	assert_int_equal(fx_lock(f), HVP_OK);
	assert_non_null(strstr(f->log, "1 start-up pages ran before lock beyond"));
	assert_int_equal(perms(f, STARTUP_GPA), R | XS);
	assert_int_equal(perms(f, first), R | XS);
	assert_int_equal(perms(f, first + 15 * 4096), R | W | XU);
	assert_false(fetch(f, first + 15 * 4096));
	assert_false(fetch(f, 0x70000));
	assert_int_equal(f->engine->kernel_exec.startup_count, HVP_STARTUP_CODE_PAGES);
	done(f);
}

static void writes_to_approved_code_are_blocked(void **state)
{
	struct fixture *f = boot(true, HVP_KERNEL_EXEC_APPROVED);
	struct hvp_audit_event ev;

	assert_false(hvp_kernel_exec_blocked_write(f->engine, MOD_TEXT_GPA));
	assert_int_equal(fx_lock(f), HVP_OK);
	assert_true(hvp_kernel_exec_blocked_write(f->engine, MOD_TEXT_GPA + 0x1008));
	ev = last_event(f);
	assert_int_equal(ev.type, HVP_AUDIT_BLOCKED_WRITE);
	assert_int_equal(ev.sequence, MOD_TEXT_GPA + 0x1008);
	assert_int_equal(ev.detail, HVP_BLOCKED_WRITE_APPROVED_CODE);
	assert_true(hvp_kernel_exec_blocked_write(f->engine, STARTUP_GPA + 4));
	assert_false(hvp_kernel_exec_blocked_write(f->engine, MOD_DATA_GPA));
	assert_false(hvp_kernel_exec_blocked_write(f->engine, OTHER_GPA));
	assert_int_equal(f->engine->counters.blocked_writes, 2);
	done(f);
}

/* The pre-lock rights, after a lock that failed. */
static void assert_open(struct fixture *f)
{
	assert_false(f->engine->locked);
	assert_int_equal(f->engine->kernel_exec.module_count, 0);
	assert_int_equal(perms(f, FX_TEXT_GPA), R | W | XS | XU);
	assert_int_equal(perms(f, FX_RODATA_GPA), R | W | XS | XU);
	assert_int_equal(perms(f, MOD_TEXT_GPA), R | W | XS | XU);
	assert_int_equal(perms(f, OTHER_GPA), R | W | XS | XU);
	assert_int_equal(perms(f, STARTUP_GPA), R | W | XS | XU);
	assert_int_equal(perms(f, 0x50000), R | W | XU);
}

static void module_text_past_the_bound_refuses_lock(void **state)
{
	struct fixture *f = boot(true, HVP_KERNEL_EXEC_APPROVED);

	/* 9 * 512 pages of 2 MiB-mapped module text. */
	sim_map(&f->m, f->cr3, HVP_MODULES_START + 0x1000000ull, 0x1800000ull,
		9 * HVP_EPT_PAGE_2M, HVP_EPT_PAGE_2M, 0);
	assert_int_equal(fx_lock(f), HVP_E_TOO_LARGE);
	assert_non_null(strstr(f->log, "more than 4096 pages of module text"));
	assert_int_equal(f->engine->counters.refusals[HVP_E_TOO_LARGE], 1);
	assert_open(f);
	done(f);
}

/* Each allocation of lock failing in turn: everything back as before. */
static void failed_lock_restores_execute(void **state)
{
	for (int n = 0;; n++) {
		struct fixture *f = boot(true, HVP_KERNEL_EXEC_APPROVED);
		enum hvp_status status;

		f->m.allocs_until_failure = n;
		status = fx_lock(f);
		if (status == HVP_OK) {
			assert_true(n > 2);
			done(f);
			break;
		}
		assert_int_equal(status, HVP_E_NO_MEMORY);
		assert_open(f);
		done(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(before_lock_everything_runs_but_low_ram),
		cmocka_unit_test(lock_gives_each_kind_its_rights),
		cmocka_unit_test(without_mbec_nothing_changes),
		cmocka_unit_test(approved_refuses_other_kernel_code),
		cmocka_unit_test(any_allows_logs_and_rate_limits),
		cmocka_unit_test(start_up_learning_is_bounded_and_frozen_at_lock),
		cmocka_unit_test(writes_to_approved_code_are_blocked),
		cmocka_unit_test(module_text_past_the_bound_refuses_lock),
		cmocka_unit_test(failed_lock_restores_execute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
