// SPDX-License-Identifier: MIT
/* The guest page walker on real 4-level tables in simulated guest RAM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/sim_memory.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define KTEXT 0xffffffff81000000ull

struct fixture {
	struct sim_machine m;
	uint64_t cr3;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	sim_init(&f->m, 32 * MiB, 4);
	f->cr3 = sim_new_cr3(&f->m);
	sim_map(&f->m, f->cr3, KTEXT, 0x200000, 0x3000, 0x1000, 0);
	sim_map(&f->m, f->cr3, 0xffff888000000000ull, 0, 4 * MiB, 2 * MiB,
		SIM_PTE_WRITE | SIM_PTE_NX);
	sim_map(&f->m, f->cr3, 0x40000000ull, 0, GiB, GiB, SIM_PTE_USER);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sim_destroy(&f->m);
	test_free(f);
	return 0;
}

static enum hvp_status walk(struct fixture *f, uint64_t gva,
			    struct hvp_gva_translation *t)
{
	return hvp_guest_walk(&f->m.reader, f->cr3 | 0x5 /* PCID bits */, gva, t);
}

static void translates_each_page_size(void **state)
{
	struct fixture *f = *state;
	struct hvp_gva_translation t;

	assert_int_equal(walk(f, KTEXT + 0x1234, &t), HVP_OK);
	assert_int_equal(t.gpa, 0x201234);
	assert_int_equal(t.page_size, 0x1000);
	assert_false(t.writable);
	assert_true(t.executable);

	assert_int_equal(walk(f, 0xffff888000000000ull + 3 * MiB + 7, &t), HVP_OK);
	assert_int_equal(t.gpa, 3 * MiB + 7);
	assert_int_equal(t.page_size, 2 * MiB);
	assert_true(t.writable);
	assert_false(t.executable);
	assert_false(t.user);

	assert_int_equal(walk(f, 0x40000000ull + 0x12345678, &t), HVP_OK);
	assert_int_equal(t.gpa, 0x12345678);
	assert_int_equal(t.page_size, GiB);
	assert_true(t.user);
}

static void not_present_at_each_level(void **state)
{
	struct fixture *f = *state;
	struct hvp_gva_translation t;

	for (int level = 3; level >= 0; level--) {
		uint64_t *pte = sim_pte(&f->m, f->cr3, KTEXT, level);
		uint64_t saved = *pte;

		*pte &= ~1ull;
		assert_int_equal(walk(f, KTEXT, &t), HVP_E_NOT_MAPPED);
		*pte = saved;
		assert_int_equal(walk(f, KTEXT, &t), HVP_OK);
	}
	assert_int_equal(walk(f, KTEXT + 0x3000, &t), HVP_E_NOT_MAPPED);
}

static void reserved_bits_fault(void **state)
{
	struct fixture *f = *state;
	struct hvp_gva_translation t;
	uint64_t *pde = sim_pte(&f->m, f->cr3, KTEXT, 1);
	uint64_t saved = *pde;

	*pde |= 1ull << 52;
	assert_int_equal(walk(f, KTEXT, &t), HVP_E_NOT_MAPPED);
	*pde = saved;

	/* A 2 MiB leaf with bit 13 set (reserved; bit 12 is PAT). */
	pde = sim_pte(&f->m, f->cr3, 0xffff888000000000ull, 1);
	*pde |= 1ull << 13;
	assert_int_equal(walk(f, 0xffff888000000000ull, &t), HVP_E_NOT_MAPPED);
	*pde &= ~(1ull << 13);
	*pde |= 1ull << 12; /* PAT: legal, and not part of the address */
	assert_int_equal(walk(f, 0xffff888000000000ull + 5, &t), HVP_OK);
	assert_int_equal(t.gpa, 5);

	*sim_pte(&f->m, f->cr3, KTEXT, 3) |= 0x80; /* PS in a PML4E */
	assert_int_equal(walk(f, KTEXT, &t), HVP_E_NOT_MAPPED);
}

static void rights_accumulate(void **state)
{
	struct fixture *f = *state;
	struct hvp_gva_translation t;
	uint64_t gva = 0xffff888000000000ull;

	*sim_pte(&f->m, f->cr3, gva, 2) &= ~2ull; /* clear R/W in the PDPTE */
	assert_int_equal(walk(f, gva, &t), HVP_OK);
	assert_false(t.writable);
	*sim_pte(&f->m, f->cr3, KTEXT, 3) |= 1ull << 63; /* XD in the PML4E */
	assert_int_equal(walk(f, KTEXT, &t), HVP_OK);
	assert_false(t.executable);
}

static void bad_addresses(void **state)
{
	struct fixture *f = *state;
	struct hvp_gva_translation t;

	assert_int_equal(walk(f, 0x0000800000000000ull, &t), HVP_E_NOT_MAPPED);
	assert_int_equal(walk(f, 0xfff0000000000000ull, &t), HVP_E_NOT_MAPPED);
	/* A page-table pointer outside guest RAM. */
	*sim_pte(&f->m, f->cr3, KTEXT, 1) =
		(SIM_HV_BASE & 0x000ffffffffff000ull) | 3;
	assert_int_equal(walk(f, KTEXT, &t), HVP_E_BAD_POINTER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(translates_each_page_size, setup, teardown),
		cmocka_unit_test_setup_teardown(not_present_at_each_level, setup, teardown),
		cmocka_unit_test_setup_teardown(reserved_bits_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(rights_accumulate, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_addresses, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
