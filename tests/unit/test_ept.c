// SPDX-License-Identifier: MIT
/* The EPT model on simulated hypervisor pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mm/ept_identity.h"
#include "sim/sim_memory.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

struct fixture {
	struct sim_machine m;
	struct hvp_ept ept;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	sim_init(&f->m, 16 * MiB, 64);
	assert_int_equal(hvp_ept_init(&f->ept, &f->m.alloc), HVP_OK);
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

static struct hvp_ept_mapping lookup(struct fixture *f, uint64_t gpa)
{
	struct hvp_ept_mapping m;

	assert_int_equal(hvp_ept_lookup(&f->ept, gpa, &m), HVP_OK);
	return m;
}

static void identity_map_uses_large_leaves(void **state)
{
	struct fixture *f = *state;
	struct hvp_ept_mapping m;

	assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 8 * MiB + 0x3000,
				     HVP_EPT_RWX, HVP_MT_WB), HVP_OK);
	m = lookup(f, 0x123456);
	assert_true(m.present);
	assert_int_equal(m.page_size, HVP_EPT_PAGE_2M);
	assert_int_equal(m.hpa, 0x123456);
	assert_int_equal(m.mem_type, HVP_MT_WB);
	m = lookup(f, 8 * MiB + 0x2abc);
	assert_int_equal(m.page_size, HVP_EPT_PAGE_4K);
	assert_int_equal(m.hpa, 8 * MiB + 0x2abc);
	assert_false(lookup(f, 8 * MiB + 0x3000).present);
	/* PML4 + PDPT + PD + one PT for the 4 KiB tail. */
	assert_int_equal(f->ept.table_pages, 4);
}

static void four_gib_costs_six_tables(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 4 * GiB, HVP_EPT_RWX,
				     HVP_MT_WB), HVP_OK);
	assert_int_equal(f->ept.table_pages, 6); /* PML4, PDPT, 4 PDs */
	assert_int_equal(lookup(f, 4 * GiB - 1).hpa, 4 * GiB - 1);
}

static void set_perms_splits_once(void **state)
{
	struct fixture *f = *state;
	struct hvp_ept_mapping m;

	assert_int_equal(hvp_ept_map(&f->ept, 2 * MiB, 2 * MiB, 2 * MiB,
				     HVP_EPT_RWX, HVP_MT_WT), HVP_OK);
	assert_int_equal(hvp_ept_set_perms(&f->ept, 2 * MiB + 0x5000, 0x1000,
					   HVP_EPT_READ | HVP_EPT_EXEC), HVP_OK);
	assert_int_equal(f->ept.splits, 1);
	m = lookup(f, 2 * MiB + 0x5010);
	assert_int_equal(m.page_size, HVP_EPT_PAGE_4K);
	assert_int_equal(m.perms, HVP_EPT_READ | HVP_EPT_EXEC);
	assert_int_equal(m.hpa, 2 * MiB + 0x5010);
	for (uint64_t page = 0; page < 512; page++) {
		if (page == 5)
			continue;
		m = lookup(f, 2 * MiB + page * 0x1000);
		assert_int_equal(m.perms, HVP_EPT_RWX);
		assert_int_equal(m.mem_type, HVP_MT_WT);
		assert_int_equal(m.hpa, 2 * MiB + page * 0x1000);
	}
	assert_int_equal(hvp_ept_set_perms(&f->ept, 2 * MiB + 0x9000, 0x1000,
					   HVP_EPT_READ), HVP_OK);
	assert_int_equal(f->ept.splits, 1);
}

static void whole_large_leaf_changes_in_place(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 4 * MiB, HVP_EPT_RWX,
				     HVP_MT_WB), HVP_OK);
	assert_int_equal(hvp_ept_set_perms(&f->ept, 2 * MiB, 2 * MiB,
					   HVP_EPT_READ), HVP_OK);
	assert_int_equal(f->ept.splits, 0);
	assert_int_equal(lookup(f, 3 * MiB).perms, HVP_EPT_READ);
	assert_int_equal(lookup(f, 1 * MiB).perms, HVP_EPT_RWX);
}

static void unmap_part_of_large_leaf(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 2 * MiB, HVP_EPT_RWX,
				     HVP_MT_WB), HVP_OK);
	assert_int_equal(hvp_ept_unmap(&f->ept, 0x3000, 0x1000), HVP_OK);
	assert_false(lookup(f, 0x3000).present);
	assert_true(lookup(f, 0x2000).present);
	assert_true(lookup(f, 0x4000).present);
}

static void bad_arguments_are_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(hvp_ept_map(&f->ept, 0x800, 0, 0x1000, HVP_EPT_RWX,
				     HVP_MT_WB), HVP_E_INVALID);
	assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 0, HVP_EPT_RWX,
				     HVP_MT_WB), HVP_E_INVALID);
	assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 0x1000, HVP_EPT_WRITE,
				     HVP_MT_WB), HVP_E_INVALID);
	assert_int_equal(hvp_ept_map(&f->ept, 0xfffffffffffff000ull, 0, 0x2000,
				     HVP_EPT_RWX, HVP_MT_WB), HVP_E_INVALID);
	assert_int_equal(hvp_ept_set_perms(&f->ept, 0x1000, 0x1000,
					   HVP_EPT_READ), HVP_E_NOT_MAPPED);
	assert_int_equal(f->ept.table_pages, 1);
}

/* Fails the 1st, 2nd, ... allocation of a change: nothing translates
 * differently afterwards, and the change works once memory is there. */
static void allocation_failure_changes_nothing(void **state)
{
	struct fixture *f = *state;
	const uint64_t gpa = GiB + 0x1000;
	int n;

	assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 2 * MiB, HVP_EPT_RWX,
				     HVP_MT_WB), HVP_OK);
	for (n = 0;; n++) {
		enum hvp_status status;

		f->m.allocs_until_failure = n;
		status = hvp_ept_map(&f->ept, gpa, 0x5000, 0x2000,
				     HVP_EPT_READ, HVP_MT_UC);
		if (status == HVP_OK)
			break;
		assert_int_equal(status, HVP_E_NO_MEMORY);
		assert_false(lookup(f, gpa).present);
		assert_false(lookup(f, gpa + 0x1000).present);
		assert_int_equal(lookup(f, 0x1000).perms, HVP_EPT_RWX);
	}
	assert_true(n >= 1);
	assert_int_equal(lookup(f, gpa + 0x1000).hpa, 0x6000);
	assert_int_equal(lookup(f, gpa).mem_type, HVP_MT_UC);

	f->m.allocs_until_failure = 0; /* the split needs one page */
	assert_int_equal(hvp_ept_set_perms(&f->ept, 0x3000, 0x1000,
					   HVP_EPT_READ), HVP_E_NO_MEMORY);
	assert_int_equal(lookup(f, 0x3000).perms, HVP_EPT_RWX);
	assert_int_equal(lookup(f, 0x3000).page_size, HVP_EPT_PAGE_2M);
}

static void eptp_format(void **state)
{
	struct fixture *f = *state;
	uint64_t eptp = hvp_ept_pointer(&f->ept);

	assert_int_equal(eptp & 0x7, HVP_MT_WB);
	assert_int_equal((eptp >> 3) & 0x7, 3); /* 4-level walk */
	assert_int_equal(eptp & (1 << 6), 0);   /* no A/D flags */
	assert_int_equal(eptp & ~0xfffull, f->ept.pml4_hpa);
}

/*
 * The hypervisor's boot-time map: 4 GiB identity-mapped with MTRR types
 * (WB, the 3-4 GiB hole UC, VGA memory UC in the fixed ranges), and the
 * hypervisor's own region, not 2 MiB aligned, left out.
 */
static void identity_map_follows_mtrrs_and_hides_the_hypervisor(void **state)
{
	struct fixture *f = *state;
	struct hvp_mtrr_state mtrr = {
		.enabled = true, .fixed_enabled = true, .default_type = HVP_MT_WB,
		.variable_count = 1, .phys_mask = (1ull << 39) - 1,
	};
	const uint64_t hidden = 0x1dd18000, hidden_size = 0x43a000;
	struct hvp_ept_mapping m;

	for (int i = 0; i < 11; i++)
		mtrr.fixed[i] = 0x0606060606060606ull;
	mtrr.fixed[2] = 0; /* A0000-BFFFF UC */
	mtrr.variable[0].base = 3 * GiB | HVP_MT_UC;
	mtrr.variable[0].mask = (~(GiB - 1) & mtrr.phys_mask) | (1u << 11);
	assert_int_equal(hvp_ept_identity_map(&f->ept, &mtrr, 4 * GiB, hidden, hidden_size),
			 HVP_OK);

	m = lookup(f, 0x5000);
	assert_true(m.present);
	assert_int_equal(m.mem_type, HVP_MT_WB);
	assert_int_equal(m.page_size, HVP_EPT_PAGE_4K); /* the mixed first 2 MiB */
	assert_int_equal(lookup(f, 0xa0000).mem_type, HVP_MT_UC);
	m = lookup(f, 2 * GiB + 12345);
	assert_int_equal(m.hpa, 2 * GiB + 12345);
	assert_int_equal(m.perms, HVP_EPT_RWX);
	assert_int_equal(m.page_size, HVP_EPT_PAGE_2M);
	assert_int_equal(lookup(f, 3 * GiB).mem_type, HVP_MT_UC);
	assert_int_equal(lookup(f, 4 * GiB - 1).mem_type, HVP_MT_UC);
	/* Every page of the region is absent; its neighbours are not. */
	for (uint64_t gpa = hidden; gpa < hidden + hidden_size; gpa += 4096)
		assert_false(lookup(f, gpa).present);
	assert_true(lookup(f, hidden - 1).present);
	assert_true(lookup(f, hidden + hidden_size).present);
}


/* The raw leaf that maps gpa: the bits the CPU reads. */
static uint64_t raw_leaf(struct fixture *f, uint64_t gpa)
{
	uint64_t *table = f->ept.pml4, entry = 0;

	for (int level = 3; level >= 0; level--) {
		entry = table[(gpa >> (12 + 9 * level)) & 511];
		if (level == 0 || (level == 1 && (entry & (1ull << 7))))
			break;
		table = f->m.alloc.phys_to_virt(f->m.alloc.ctx,
						entry & 0x000ffffffffff000ull);
	}
	return entry;
}

/* SDM Vol. 3C, "Format of an EPT Page-Table Entry that Maps a 4-KByte
 * Page": read bit 0, write bit 1, (supervisor) execute bit 2, user
 * execute bit 10. */
#define RAW_RIGHTS ((1ull << 0) | (1ull << 1) | (1ull << 2) | (1ull << 10))

static uint64_t raw_rights(unsigned int perms)
{
	return (perms & HVP_EPT_READ ? 1ull << 0 : 0) |
	       (perms & HVP_EPT_WRITE ? 1ull << 1 : 0) |
	       (perms & HVP_EPT_EXEC ? 1ull << 2 : 0) |
	       (perms & HVP_EPT_EXEC_USER ? 1ull << 10 : 0);
}

/* Every valid combination, on a 2 MiB leaf and a 4 KiB one: the right
 * entry bits, and lookup reports them back. */
static void rights_encode_to_sdm_bits(void **state)
{
	struct fixture *f = *state;

	for (unsigned int perms = 1; perms <= HVP_EPT_ALL; perms++) {
		bool valid = !((perms & (HVP_EPT_WRITE | HVP_EPT_EXEC_USER)) &&
			       !(perms & HVP_EPT_READ));

		assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 2 * MiB, perms,
					     HVP_MT_WB),
				 valid ? HVP_OK : HVP_E_INVALID);
		assert_int_equal(hvp_ept_map(&f->ept, 4 * MiB, 4 * MiB, 0x1000,
					     perms, HVP_MT_WB),
				 valid ? HVP_OK : HVP_E_INVALID);
		if (!valid)
			continue;
		assert_int_equal(raw_leaf(f, 0x1000) & RAW_RIGHTS, raw_rights(perms));
		assert_int_equal(raw_leaf(f, 4 * MiB) & RAW_RIGHTS, raw_rights(perms));
		assert_int_equal(lookup(f, 0x1000).page_size, HVP_EPT_PAGE_2M);
		assert_int_equal(lookup(f, 0x1000).perms, perms);
		assert_int_equal(lookup(f, 4 * MiB).perms, perms);
		/* set_perms writes the same bits. */
		assert_int_equal(hvp_ept_set_perms(&f->ept, 0, 2 * MiB, HVP_EPT_READ), HVP_OK);
		assert_int_equal(hvp_ept_set_perms(&f->ept, 0, 2 * MiB, perms), HVP_OK);
		assert_int_equal(raw_leaf(f, 0x1000) & RAW_RIGHTS, raw_rights(perms));
	}
	/* Tables allow everything, bit 10 included: leaves decide. */
	assert_int_equal(f->ept.pml4[0] & RAW_RIGHTS, RAW_RIGHTS);
	assert_int_equal(f->ept.splits, 0);
}

static void split_keeps_user_execute(void **state)
{
	struct fixture *f = *state;
	const unsigned int rx_user = HVP_EPT_READ | HVP_EPT_EXEC_USER;

	assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 2 * MiB, rx_user, HVP_MT_WB),
			 HVP_OK);
	assert_int_equal(hvp_ept_set_perms(&f->ept, 0x5000, 0x1000, HVP_EPT_RWX),
			 HVP_OK);
	assert_int_equal(f->ept.splits, 1);
	assert_int_equal(raw_leaf(f, 0x5000) & RAW_RIGHTS, raw_rights(HVP_EPT_RWX));
	for (uint64_t page = 0; page < 512; page++)
		if (page != 5)
			assert_int_equal(raw_leaf(f, page * 0x1000) & RAW_RIGHTS,
					 raw_rights(rx_user));
}

/* update_perms: a mask over the whole space, holes skipped, whole leaves
 * kept whole, nothing invalid written. */
static void update_perms_masks_every_mapped_page(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(hvp_ept_map(&f->ept, 0, 0, 4 * MiB, HVP_EPT_ALL, HVP_MT_WB),
			 HVP_OK);
	assert_int_equal(hvp_ept_map(&f->ept, GiB, GiB, 0x3000, HVP_EPT_RWX,
				     HVP_MT_UC), HVP_OK);
	assert_int_equal(hvp_ept_set_perms(&f->ept, 0x7000, 0x1000, HVP_EPT_READ),
			 HVP_OK);
	assert_int_equal(f->ept.splits, 1);
	assert_int_equal(hvp_ept_update_perms(&f->ept, 0, HVP_EPT_MAX_GPA,
					      HVP_EPT_EXEC, 0), HVP_OK);
	assert_int_equal(f->ept.splits, 1);
	assert_int_equal(lookup(f, 3 * MiB).perms,
			 HVP_EPT_READ | HVP_EPT_WRITE | HVP_EPT_EXEC_USER);
	assert_int_equal(lookup(f, 3 * MiB).page_size, HVP_EPT_PAGE_2M);
	assert_int_equal(lookup(f, 0x7000).perms, HVP_EPT_READ);
	assert_int_equal(lookup(f, GiB + 0x2000).perms,
			 HVP_EPT_READ | HVP_EPT_WRITE);
	assert_false(lookup(f, GiB + 0x3000).present);
	/* Part of a 2 MiB leaf: split; and nothing may lose read alone. */
	assert_int_equal(hvp_ept_update_perms(&f->ept, 2 * MiB, 0x1000, 0,
					      HVP_EPT_EXEC), HVP_OK);
	assert_int_equal(f->ept.splits, 2);
	assert_int_equal(lookup(f, 2 * MiB).perms, HVP_EPT_ALL);
	assert_int_equal(lookup(f, 2 * MiB + 0x1000).perms,
			 HVP_EPT_READ | HVP_EPT_WRITE | HVP_EPT_EXEC_USER);
	assert_int_equal(hvp_ept_update_perms(&f->ept, 0, 4 * MiB, HVP_EPT_READ, 0),
			 HVP_E_INVALID);
	assert_int_equal(lookup(f, 3 * MiB).perms,
			 HVP_EPT_READ | HVP_EPT_WRITE | HVP_EPT_EXEC_USER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(identity_map_uses_large_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(four_gib_costs_six_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(set_perms_splits_once, setup, teardown),
		cmocka_unit_test_setup_teardown(whole_large_leaf_changes_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(unmap_part_of_large_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(allocation_failure_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(eptp_format, setup, teardown),
		cmocka_unit_test_setup_teardown(identity_map_follows_mtrrs_and_hides_the_hypervisor,
						setup, teardown),
		cmocka_unit_test_setup_teardown(rights_encode_to_sdm_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(split_keeps_user_execute, setup, teardown),
		cmocka_unit_test_setup_teardown(update_perms_masks_every_mapped_page,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
