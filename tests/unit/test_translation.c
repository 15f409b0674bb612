// SPDX-License-Identifier: MIT
/*
 * Translation pinning against the simulated guest: the page-table write
 * decoder and its semantics, emulated writes to every entry of every
 * guarded page at every width (MOV, XCHG, CMPXCHG; pinned and not), the
 * CPU's A/D updates, and the cache of verified PML4 pages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fixture.h"
#include "mm/pt_write.h"
#include "patch/translation.h"

#define ADDR_BIT (1ull << 20)  /* moves an entry's address by 1 MiB */

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	fx_init(f, true);
	assert_int_equal(hvp_translation_pin(f->engine, f->cr3), HVP_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fx_destroy(f);
	test_free(f);
	return 0;
}

static uint64_t gpa_of(struct fixture *f, const uint64_t *entry)
{
	return (uint64_t)((const uint8_t *)entry - f->m.ram);
}

static uint64_t *entry_at(struct fixture *f, uint64_t gpa)
{
	return (uint64_t *)(f->m.ram + gpa);
}

/* --- Decoder -------------------------------------------------------- */

struct decode_case {
	uint8_t bytes[16];
	size_t len;
	enum hvp_store_op op;
	uint8_t width, reg, length;
	bool immediate;
	uint64_t imm;
};

static void decodes_linux_page_table_stores(void **state)
{
	static const struct decode_case cases[] = {
		/* mov %rsi,(%rdi): native_set_pte */
		{ { 0x48, 0x89, 0x37 }, 3, HVP_STORE_MOV, 8, 6, 3, false, 0 },
		/* mov %r9,0x18(%rax,%rdx,8) */
		{ { 0x4c, 0x89, 0x4c, 0xd0, 0x18 }, 5, HVP_STORE_MOV, 8, 9, 5, false, 0 },
		/* movq $0x0,(%rdi): pte_clear */
		{ { 0x48, 0xc7, 0x07, 0, 0, 0, 0 }, 7, HVP_STORE_MOV, 8, 0, 7, true, 0 },
		/* movq $-1,0x100(%rbx): sign-extended */
		{ { 0x48, 0xc7, 0x83, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff }, 11,
		  HVP_STORE_MOV, 8, 0, 11, true, ~0ull },
		/* movl $0x80000000,(%rdi): 32-bit, not extended */
		{ { 0xc7, 0x07, 0, 0, 0, 0x80 }, 6, HVP_STORE_MOV, 4, 0, 6, true,
		  0x80000000ull },
		/* xchg %rax,(%rdi): ptep_get_and_clear */
		{ { 0x48, 0x87, 0x07 }, 3, HVP_STORE_XCHG, 8, 0, 3, false, 0 },
		/* lock xchg %r12,(%rbp): with a disp8 of 0 */
		{ { 0xf0, 0x4c, 0x87, 0x65, 0x00 }, 5, HVP_STORE_XCHG, 8, 12, 5, false, 0 },
		/* lock cmpxchg %rdx,(%rdi): try_cmpxchg64 */
		{ { 0xf0, 0x48, 0x0f, 0xb1, 0x17 }, 5, HVP_STORE_CMPXCHG, 8, 2, 5, false, 0 },
		/* lock cmpxchg %ecx,%gs:0x10(%rsp) */
		{ { 0x65, 0xf0, 0x0f, 0xb1, 0x4c, 0x24, 0x10 }, 7, HVP_STORE_CMPXCHG,
		  4, 1, 7, false, 0 },
		/* mov %rax,0x12345678(%rip) */
		{ { 0x48, 0x89, 0x05, 0x78, 0x56, 0x34, 0x12 }, 7, HVP_STORE_MOV, 8,
		  0, 7, false, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct decode_case *c = &cases[i];
		struct hvp_store_insn insn;

		assert_true(hvp_decode_store(c->bytes, 15, &insn));
		assert_int_equal(insn.op, c->op);
		assert_int_equal(insn.width, c->width);
		assert_int_equal(insn.length, c->length);
		assert_int_equal(insn.immediate, c->immediate);
		if (c->immediate)
			assert_int_equal(insn.imm, c->imm);
		else
			assert_int_equal(insn.reg, c->reg);
		/* Any shorter buffer is truncated: refused. */
		for (size_t n = 0; n < c->len; n++)
			assert_false(hvp_decode_store(c->bytes, n, &insn));
	}
}

static void refuses_other_instructions(void **state)
{
	static const uint8_t refused[][8] = {
		{ 0x66, 0x89, 0x07 },             /* 16-bit store */
		{ 0xf0, 0x48, 0x89, 0x07 },       /* LOCK MOV is #UD */
		{ 0x48, 0x89, 0xc7 },             /* register destination */
		{ 0x48, 0xc7, 0x0f, 0, 0, 0, 0 }, /* C7 /1 */
		{ 0x88, 0x07 },                   /* byte store */
		{ 0xf3, 0x48, 0xab },             /* rep stosq */
		{ 0xf0, 0x48, 0x0f, 0xb3, 0x07 }, /* lock btr */
		{ 0xf0, 0x48, 0x09, 0x07 },       /* lock or */
		{ 0x0f, 0xb0, 0x07 },             /* cmpxchg m8 */
	};
	struct hvp_store_insn insn;

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_false(hvp_decode_store(refused[i], 8, &insn));
}

/* The host CPU's own CMP flags, the reference for the emulation. */
static uint64_t host_cmp_flags(uint64_t a, uint64_t b, unsigned int width)
{
	uint64_t flags;

	if (width == 8)
		__asm__("cmp %2, %1; pushfq; pop %0" : "=r"(flags) : "r"(a), "r"(b) : "cc");
	else
		__asm__("cmp %2, %1; pushfq; pop %0"
			: "=r"(flags) : "r"((uint32_t)a), "r"((uint32_t)b) : "cc");
	return flags & HVP_RFLAGS_ARITH;
}

static void cmpxchg_flags_match_the_cpu(void **state)
{
	static const uint64_t values[] = {
		0, 1, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
		~0ull, 0x8000000000000063ull, 0x1234567890abcdefull,
	};
	const size_t n = sizeof(values) / sizeof(values[0]);

	(void)state;
	for (unsigned int width = 4; width <= 8; width += 4)
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++) {
				struct hvp_store_insn insn = { .op = HVP_STORE_CMPXCHG,
							    .width = (uint8_t)width };
				struct hvp_pt_result r;

				hvp_pt_execute(&insn, 0, values[j], 0x55, values[i], &r);
				assert_int_equal(r.rflags,
						 host_cmp_flags(values[i], values[j], width));
			}
}

/* --- Emulated writes to guarded pages ------------------------------- */

/* The guarded pages, found by walking the fixture's tables. */
static unsigned int guarded_pages(struct fixture *f, uint64_t *pages)
{
	static const uint64_t gvas[] = { FX_TEXT_GVA, FX_RODATA_GVA, FX_ARENA_GVA };
	unsigned int n = 0;

	for (size_t i = 0; i < 3; i++)
		for (int level = 2; level >= 0; level--) {
			uint64_t page = gpa_of(f, sim_pte(&f->m, f->cr3, gvas[i], level)) &
					~0xfffull;
			bool seen = false;

			for (unsigned int k = 0; k < n; k++)
				seen |= pages[k] == page;
			if (!seen)
				pages[n++] = page;
		}
	return n;
}

static bool pinned_in_fixture(struct fixture *f, uint64_t entry_gpa)
{
	static const uint64_t regions[][2] = {
		{ FX_TEXT_GVA, FX_TEXT_SIZE }, { FX_RODATA_GVA, FX_RODATA_SIZE },
		{ FX_ARENA_GVA, FX_ARENA_SIZE },
	};

	for (size_t r = 0; r < 3; r++)
		for (uint64_t off = 0; off < regions[r][1]; off += 4096)
			for (int level = 3; level >= 0; level--)
				if (gpa_of(f, sim_pte(&f->m, f->cr3, regions[r][0] + off,
						      level)) == entry_gpa)
					return true;
	return false;
}

static void lock_guards_every_table_on_the_paths(void **state)
{
	struct fixture *f = *state;
	uint64_t pages[8];
	unsigned int n = guarded_pages(f, pages);
	struct hvp_ept_mapping m;

	assert_int_equal(n, 6); /* PDPT, 2 PDs, 3 PTs */
	assert_int_equal(f->engine->translation.page_count, n);
	for (unsigned int i = 0; i < n; i++) {
		assert_true(hvp_translation_owns(f->engine, pages[i] + 0x123));
		assert_int_equal(hvp_ept_lookup(&f->ept, pages[i], &m), HVP_OK);
		assert_int_equal(m.perms, HVP_EPT_READ | HVP_EPT_EXEC);
	}
	assert_true(hvp_translation_pgd_cached(f->engine, f->cr3));
	assert_int_equal(hvp_ept_lookup(&f->ept, f->cr3, &m), HVP_OK);
	assert_int_equal(m.perms, HVP_EPT_READ | HVP_EPT_EXEC);
	/* Guest RAM elsewhere is not owned and stays writable. */
	assert_false(hvp_translation_owns(f->engine, FX_BUNDLE_GPA));
}

static enum hvp_status write_op(struct fixture *f, uint64_t gpa,
				enum hvp_store_op op, unsigned int width,
				uint64_t src, uint64_t rax,
				struct hvp_pt_outcome *out)
{
	struct hvp_store_insn insn = { .op = op, .width = (uint8_t)width };

	return hvp_translation_write(f->engine, gpa, &insn, src, rax, out);
}

/* For each entry of each guarded page and of the cached PML4, at widths 4
 * and 8 and with each instruction: moving the address of a pinned entry
 * is refused with memory unchanged; any other entry takes any value. */
static void every_entry_every_width_every_instruction(void **state)
{
	static const enum hvp_store_op ops[] = { HVP_STORE_MOV, HVP_STORE_XCHG, HVP_STORE_CMPXCHG };
	struct fixture *f = *state;
	uint64_t pages[8];
	unsigned int n = guarded_pages(f, pages);
	unsigned int pinned = 0, free_entries = 0;

	assert_int_equal(hvp_translation_load_cr3(f->engine, 0, f->cr3), HVP_OK);
	pages[n++] = f->cr3;
	for (unsigned int p = 0; p < n; p++)
		for (unsigned int i = 0; i < 512; i++) {
			uint64_t gpa = pages[p] + i * 8u, *entry = entry_at(f, gpa);
			bool is_pinned = pinned_in_fixture(f, gpa);

			pinned += is_pinned;
			free_entries += !is_pinned;
			for (size_t o = 0; o < 3; o++)
				for (unsigned int width = 4; width <= 8; width += 4)
					for (unsigned int off = 0; off < 8; off += width) {
						uint64_t before = *entry;
						uint64_t changed = before ^ ADDR_BIT;
						uint64_t src = changed >> (8 * off);
						struct hvp_pt_outcome out;
						enum hvp_status st;

						if (width == 4)
							src &= 0xffffffffull;
						st = write_op(f, gpa + off, ops[o], width,
							      src, before >> (8 * off), &out);
						if (off == 4 || !is_pinned) {
							/* Upper half: ADDR_BIT is not there, so
							 * the write keeps the entry. */
							assert_int_equal(st, HVP_OK);
							assert_true(out.result.stored);
							*entry = before; /* restore */
							continue;
						}
						assert_int_equal(st, HVP_E_LOCKED);
						assert_false(out.releasable);
						assert_int_equal(*entry, before);
					}
			/* A changed free entry really lands in memory. */
			if (!is_pinned) {
				struct hvp_pt_outcome out;
				uint64_t before = *entry;

				assert_int_equal(write_op(f, gpa, HVP_STORE_XCHG, 8,
							  0xabc000 | 0x63, 0, &out),
						 HVP_OK);
				assert_int_equal(out.result.old, before);
				assert_int_equal(*entry, 0xabc063);
				*entry = before;
			}
		}
	/* 16 text + 4 rodata + 4 arena PTEs, 3 PDEs, 2 PDPTEs, 1 PML4E. */
	assert_int_equal(pinned, 30);
	assert_int_equal(free_entries, 7 * 512 - 30);
}

static void pinned_entries_take_accessed_and_dirty_only(void **state)
{
	struct fixture *f = *state;
	uint64_t *pte = sim_pte(&f->m, f->cr3, FX_TEXT_GVA, 0);
	uint64_t gpa = gpa_of(f, pte), before = *pte;
	struct hvp_pt_outcome out;
	struct hvp_gva_translation t;

	assert_int_equal(write_op(f, gpa, HVP_STORE_MOV, 8,
				  before | HVP_PTE_ACCESSED | HVP_PTE_DIRTY, 0, &out),
			 HVP_OK);
	assert_int_equal(*pte, before | HVP_PTE_ACCESSED | HVP_PTE_DIRTY);
	/* Each other bit: R/W, U/S, NX, PAT, G, the address... refused. */
	for (unsigned int bit = 0; bit < 64; bit++) {
		uint64_t now = *pte;

		if ((1ull << bit) & (HVP_PTE_ACCESSED | HVP_PTE_DIRTY))
			continue;
		assert_int_equal(write_op(f, gpa, HVP_STORE_MOV, 8, now ^ (1ull << bit),
					  0, &out),
				 HVP_E_LOCKED);
		assert_int_equal(*pte, now);
	}
	/* CMPXCHG: a matching compare that would remap is refused... */
	assert_int_equal(write_op(f, gpa, HVP_STORE_CMPXCHG, 8, *pte ^ ADDR_BIT, *pte, &out),
			 HVP_E_LOCKED);
	/* ...one that does not match writes nothing and hands back the
	 * entry in RAX's place, ZF clear. */
	assert_int_equal(write_op(f, gpa, HVP_STORE_CMPXCHG, 8, *pte ^ ADDR_BIT, 0, &out),
			 HVP_OK);
	assert_false(out.result.stored);
	assert_int_equal(out.result.old, *pte);
	assert_false(out.result.rflags & HVP_RFLAGS_ZF);
	assert_int_equal(hvp_guest_walk(&f->m.reader, f->cr3, FX_TEXT_GVA, &t), HVP_OK);
	assert_int_equal(t.gpa, f->engine->page_gpa[0]);
}

static void misaligned_and_foreign_writes_are_refused(void **state)
{
	struct fixture *f = *state;
	uint64_t gpa = gpa_of(f, sim_pte(&f->m, f->cr3, FX_TEXT_GVA, 0));
	struct hvp_pt_outcome out;

	assert_int_equal(write_op(f, gpa + 4, HVP_STORE_MOV, 8, 0, 0, &out), HVP_E_INVALID);
	assert_int_equal(write_op(f, gpa + 2, HVP_STORE_MOV, 4, 0, 0, &out), HVP_E_INVALID);
	assert_int_equal(write_op(f, FX_BUNDLE_GPA, HVP_STORE_MOV, 8, 0, 0, &out),
			 HVP_E_TARGET_RANGE);
}

static void a_racing_accessed_bit_is_kept(void **state)
{
	struct fixture *f = *state;
	uint64_t *pte = sim_pte(&f->m, f->cr3, FX_TEXT_GVA, 0);
	uint64_t free_gpa = gpa_of(f, pte) + 511 * 8, *free_pte = entry_at(f, free_gpa);
	struct hvp_pt_outcome out;

	/* MOV of a pinned value while another CPU sets A: retried, stored. */
	f->m.cmpxchg_interference = HVP_PTE_ACCESSED;
	assert_int_equal(write_op(f, gpa_of(f, pte), HVP_STORE_MOV, 8, *pte | HVP_PTE_DIRTY,
				  0, &out),
			 HVP_OK);
	assert_true(*pte & HVP_PTE_DIRTY);
	/* XCHG on a free entry returns what the race left there. */
	*free_pte = 0x5000 | HVP_PTE_PRESENT;
	f->m.cmpxchg_interference = HVP_PTE_ACCESSED;
	assert_int_equal(write_op(f, free_gpa, HVP_STORE_XCHG, 8, 0, 0, &out), HVP_OK);
	assert_int_equal(out.result.old, 0x5000 | HVP_PTE_PRESENT | HVP_PTE_ACCESSED);
	assert_int_equal(*free_pte, 0);
}

static void cpu_accessed_dirty_updates(void **state)
{
	struct fixture *f = *state;
	uint64_t *pte = sim_pte(&f->m, f->cr3, FX_TEXT_GVA, 0);
	uint64_t *pde = sim_pte(&f->m, f->cr3, FX_TEXT_GVA, 1);
	uint64_t *pml4e = sim_pte(&f->m, f->cr3, FX_TEXT_GVA, 3);
	uint64_t pte0 = *pte, pde0 = *pde, pml4e0 = *pml4e;
	uint64_t *absent = pte + 100;

	assert_int_equal(*absent, 0);
	assert_int_equal(hvp_translation_set_accessed(f->engine, gpa_of(f, pte)), HVP_OK);
	assert_int_equal(*pte, pte0 | HVP_PTE_ACCESSED | HVP_PTE_DIRTY);
	/* A PDE pointing to a table, a PML4E: A only. */
	assert_int_equal(hvp_translation_set_accessed(f->engine, gpa_of(f, pde)), HVP_OK);
	assert_int_equal(*pde, pde0 | HVP_PTE_ACCESSED);
	assert_int_equal(hvp_translation_set_accessed(f->engine, gpa_of(f, pml4e)), HVP_OK);
	assert_int_equal(*pml4e, pml4e0 | HVP_PTE_ACCESSED);
	/* Nothing to do twice; a non-present entry is left alone. */
	assert_int_equal(hvp_translation_set_accessed(f->engine, gpa_of(f, pte)),
			 HVP_E_NOT_MAPPED);
	assert_int_equal(hvp_translation_set_accessed(f->engine, gpa_of(f, absent)),
			 HVP_E_NOT_MAPPED);
	assert_int_equal(*absent, 0);
	assert_int_equal(hvp_translation_set_accessed(f->engine, FX_BUNDLE_GPA),
			 HVP_E_TARGET_RANGE);
}

/* --- The cache of verified PML4 pages -------------------------------- */

static unsigned int audit_count(struct fixture *f, enum hvp_audit_type type)
{
	struct hvp_audit_event ev[HVP_AUDIT_ENTRIES];
	uint32_t n = hvp_audit_read(&f->engine->audit, 0, ev, HVP_AUDIT_ENTRIES);
	unsigned int count = 0;

	for (uint32_t i = 0; i < n; i++)
		count += ev[i].type == type;
	return count;
}

/* A new address space sharing the kernel half, as pgd_alloc() makes. */
static uint64_t clone_pgd(struct fixture *f)
{
	uint64_t pgd = sim_new_cr3(&f->m);

	memcpy(f->m.ram + pgd + 256 * 8, f->m.ram + f->cr3 + 256 * 8, 256 * 8);
	sim_map(&f->m, pgd, 0x400000, 0x800000, 0x1000, 0x1000, SIM_PTE_USER);
	return pgd;
}

static unsigned int ept_perms(struct fixture *f, uint64_t gpa)
{
	struct hvp_ept_mapping m;

	assert_int_equal(hvp_ept_lookup(&f->ept, gpa, &m), HVP_OK);
	return m.perms;
}

static void cr3_loads_verify_and_cache(void **state)
{
	struct fixture *f = *state;
	uint64_t good = clone_pgd(f), bad = clone_pgd(f);
	unsigned int flushes = f->flushes;

	assert_int_equal(hvp_translation_load_cr3(f->engine, 0, good | 0x5), HVP_OK);
	assert_true(hvp_translation_pgd_cached(f->engine, good));
	assert_int_equal(ept_perms(f, good), HVP_EPT_READ | HVP_EPT_EXEC);
	assert_true(f->flushes > flushes);
	/* A second load is a cache hit: no flush. */
	flushes = f->flushes;
	assert_int_equal(hvp_translation_load_cr3(f->engine, 1, good), HVP_OK);
	assert_int_equal(f->flushes, flushes);

	/* The attacker's address space: text's PML4 slot points elsewhere. */
	*entry_at(f, bad + 511 * 8) ^= ADDR_BIT;
	assert_int_equal(hvp_translation_load_cr3(f->engine, 0, bad), HVP_E_NOT_MAPPED);
	assert_false(hvp_translation_pgd_cached(f->engine, bad));
	assert_int_equal(ept_perms(f, bad), HVP_EPT_RWX);
	assert_int_equal(f->engine->translation.current_pgd[0], good);
	/* Not guest RAM. */
	assert_int_equal(hvp_translation_load_cr3(f->engine, 0, FX_RAM_SIZE),
			 HVP_E_BAD_POINTER);
	assert_int_equal(f->engine->translation.counters.refused_cr3, 2);
	assert_int_equal(audit_count(f, HVP_AUDIT_BLOCKED_MAPPING), 2);
}

static void refused_writes_are_counted_and_audited(void **state)
{
	struct fixture *f = *state;
	uint64_t gpa = gpa_of(f, sim_pte(&f->m, f->cr3, FX_TEXT_GVA, 0));
	struct hvp_audit_event all[HVP_AUDIT_ENTRIES], ev;
	uint32_t n;

	hvp_translation_refuse_write(f->engine, gpa, HVP_E_LOCKED);
	assert_int_equal(f->engine->translation.counters.refused_writes, 1);
	n = hvp_audit_read(&f->engine->audit, 0, all, HVP_AUDIT_ENTRIES);
	assert_true(n > 0);
	ev = all[n - 1];
	assert_int_equal(ev.type, HVP_AUDIT_BLOCKED_MAPPING);
	assert_int_equal(ev.status, HVP_E_LOCKED);
	assert_int_equal(ev.sequence, gpa);
	assert_non_null(strstr(f->log, "refused page-table write"));
	hvp_translation_report(f->engine);
	assert_non_null(strstr(f->log, "0 page-table writes emulated, 1 refused"));
}

static void cached_pgd_writes_and_release(void **state)
{
	struct fixture *f = *state;
	uint64_t a = clone_pgd(f), b = clone_pgd(f);
	uint64_t slot = a + 511 * 8, user_slot = a + 1 * 8;
	struct hvp_pt_outcome out;

	assert_int_equal(hvp_translation_load_cr3(f->engine, 0, a), HVP_OK);
	/* A user-half entry of a loaded PML4: emulated. */
	assert_int_equal(write_op(f, user_slot, HVP_STORE_MOV, 8, 0x9000 | 7, 0, &out), HVP_OK);
	assert_int_equal(*entry_at(f, user_slot), 0x9000 | 7);
	/* The text slot of a loaded PML4: refused, not releasable. */
	assert_int_equal(write_op(f, slot, HVP_STORE_MOV, 8, 0, 0, &out), HVP_E_LOCKED);
	assert_false(out.releasable);
	assert_int_equal(hvp_translation_release_pgd(f->engine, a), HVP_E_BUSY);
	/* Once vCPU 0 moves to b, a is free to be reused by the guest. */
	assert_int_equal(hvp_translation_load_cr3(f->engine, 0, b), HVP_OK);
	assert_int_equal(write_op(f, slot, HVP_STORE_MOV, 8, 0, 0, &out), HVP_E_LOCKED);
	assert_true(out.releasable);
	assert_int_equal(hvp_translation_release_pgd(f->engine, a), HVP_OK);
	assert_false(hvp_translation_pgd_cached(f->engine, a));
	assert_false(hvp_translation_owns(f->engine, a));
	assert_int_equal(ept_perms(f, a), HVP_EPT_RWX);
	/* The page changed while released: it is checked again on load. */
	*entry_at(f, slot) = 0;
	assert_int_equal(hvp_translation_load_cr3(f->engine, 1, a), HVP_E_NOT_MAPPED);
	assert_int_equal(hvp_translation_release_pgd(f->engine, a), HVP_E_TARGET_RANGE);
}

static void a_full_cache_evicts_only_unused_pages(void **state)
{
	struct fixture *f = *state;
	uint64_t pgds[HVP_PGD_CACHE_SIZE + 1];

	/* The lock's PML4 holds one slot; fill the rest, each in use. */
	for (unsigned int i = 0; i < HVP_PGD_CACHE_SIZE - 1; i++) {
		pgds[i] = clone_pgd(f);
		assert_int_equal(hvp_translation_load_cr3(f->engine, i, pgds[i]), HVP_OK);
	}
	pgds[HVP_PGD_CACHE_SIZE - 1] = clone_pgd(f);
	assert_int_equal(hvp_translation_load_cr3(f->engine, HVP_PT_MAX_VCPUS - 1,
						  f->cr3), HVP_OK);
	/* vCPU 0, switching away from pgds[0], still runs on it: full. */
	assert_int_equal(hvp_translation_load_cr3(f->engine, 0,
						  pgds[HVP_PGD_CACHE_SIZE - 1]),
			 HVP_E_TABLE_FULL);
	/* Once it has moved to the lock's PML4, pgds[0] is evicted. */
	assert_int_equal(hvp_translation_load_cr3(f->engine, 0, f->cr3), HVP_OK);
	assert_int_equal(hvp_translation_load_cr3(f->engine, 1,
						  pgds[HVP_PGD_CACHE_SIZE - 1]),
			 HVP_OK);
	assert_false(hvp_translation_pgd_cached(f->engine, pgds[0]));
	assert_int_equal(ept_perms(f, pgds[0]), HVP_EPT_RWX);
	/* pgds[1] is now unused (vCPU 1 left it): the next one to go. */
	pgds[HVP_PGD_CACHE_SIZE] = clone_pgd(f);
	assert_int_equal(hvp_translation_load_cr3(f->engine, 2, pgds[HVP_PGD_CACHE_SIZE]),
			 HVP_OK);
	assert_false(hvp_translation_pgd_cached(f->engine, pgds[1]));
	assert_true(hvp_translation_pgd_cached(f->engine, pgds[3]));
	assert_int_equal(ept_perms(f, pgds[HVP_PGD_CACHE_SIZE]), HVP_EPT_READ | HVP_EPT_EXEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_linux_page_table_stores),
		cmocka_unit_test(refuses_other_instructions),
		cmocka_unit_test(cmpxchg_flags_match_the_cpu),
		cmocka_unit_test_setup_teardown(lock_guards_every_table_on_the_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(every_entry_every_width_every_instruction, setup, teardown),
		cmocka_unit_test_setup_teardown(pinned_entries_take_accessed_and_dirty_only, setup, teardown),
		cmocka_unit_test_setup_teardown(misaligned_and_foreign_writes_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(a_racing_accessed_bit_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(cpu_accessed_dirty_updates, setup, teardown),
		cmocka_unit_test_setup_teardown(cr3_loads_verify_and_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_writes_are_counted_and_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(cached_pgd_writes_and_release, setup, teardown),
		cmocka_unit_test_setup_teardown(a_full_cache_evicts_only_unused_pages, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
