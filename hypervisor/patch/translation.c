// SPDX-License-Identifier: MIT
/*
 * Translation pinning (translation.h).  Why each rule is safe:
 *  - A guarded page is never writable in EPT after lock, so its pinned
 *    entries change only through hvp_translation_write(), which lets
 *    Accessed and Dirty differ and nothing else.  The entry in memory is
 *    therefore the pinned value, up to A/D, and is what a write is
 *    checked against.
 *  - A PML4 page is checked against the top pins only after it is
 *    write-protected and every CPU has flushed, so nothing can change it
 *    between the check and its use.  It stays write-protected while
 *    cached; a write that would change a top pin of a cached page no vCPU
 *    uses releases the page, and it is checked again before its next use.
 *  - Guest paging-entry formats: SDM Vol. 3A, 4.5, tables 4-15 to 4-20.
 */
#include "patch/translation.h"

#include "mm/ept.h"
#include "mm/guest_walk.h"
#include "lib/bytes.h"
#include "patch/internal.h"

/* Entries that may differ from the pinned value: the CPU sets them. */
#define PINNED_IGNORED (HVP_PTE_ACCESSED | HVP_PTE_DIRTY)
#define ENTRY_RETRIES 16u

static bool bit_test(const uint64_t *map, unsigned int i)
{
	return map[i / 64] >> (i % 64) & 1;
}

static void bit_set(uint64_t *map, unsigned int i)
{
	map[i / 64] |= 1ull << (i % 64);
}

static uint64_t page_of(uint64_t gpa)
{
	return gpa & ~(uint64_t)(HVP_PAGE_SIZE - 1);
}

static struct hvp_pt_page *guarded_page(struct hvp_translation *t,
					uint64_t gpa)
{
	for (uint32_t i = 0; i < t->page_count; i++)
		if (t->pages[i].gpa == page_of(gpa))
			return &t->pages[i];
	return NULL;
}

static struct hvp_pgd_slot *cached_pgd(struct hvp_translation *t, uint64_t gpa)
{
	uint64_t page = page_of(gpa);

	for (uint32_t i = 0; page && i < HVP_PGD_CACHE_SIZE; i++)
		if (__atomic_load_n(&t->pgds[i].gpa, __ATOMIC_ACQUIRE) == page)
			return &t->pgds[i];
	return NULL;
}

bool hvp_translation_owns(const struct hvp_engine *e, uint64_t gpa)
{
	struct hvp_translation *t = (struct hvp_translation *)&e->translation;

	return t->pinned && (guarded_page(t, gpa) || cached_pgd(t, gpa));
}

bool hvp_translation_pgd_cached(const struct hvp_engine *e, uint64_t pgd)
{
	struct hvp_translation *t = (struct hvp_translation *)&e->translation;

	return cached_pgd(t, pgd) != NULL;
}

/* Takes write access away from a page; its old rights in *old_perms. */
static enum hvp_status write_protect(struct hvp_engine *e, uint64_t gpa,
				     uint8_t *old_perms)
{
	struct hvp_ept_mapping m;

	if (hvp_ept_lookup(e->platform->ept, gpa, &m) != HVP_OK || !m.present)
		return HVP_E_BAD_POINTER;
	*old_perms = (uint8_t)m.perms;
	return hvp_ept_set_perms(e->platform->ept, gpa, HVP_PAGE_SIZE,
				 m.perms & ~HVP_EPT_WRITE);
}

static void unguard_all(struct hvp_engine *e)
{
	struct hvp_translation *t = &e->translation;

	for (uint32_t i = 0; i < t->page_count; i++)
		hvp_ept_set_perms(e->platform->ept, t->pages[i].gpa,
				  HVP_PAGE_SIZE, t->pages[i].old_perms);
	for (uint32_t i = 0; i < HVP_PGD_CACHE_SIZE; i++)
		if (t->pgds[i].gpa)
			hvp_ept_set_perms(e->platform->ept, t->pgds[i].gpa,
					  HVP_PAGE_SIZE, t->pgds[i].old_perms);
	e->platform->flush(e->platform->ctx);
	hvp_bytes_fill(t, 0, sizeof(*t));
}

/* Adds the table at `level` on a path to the guarded pages. */
static enum hvp_status guard_entry(struct hvp_engine *e, int level,
				   uint64_t table, unsigned int index)
{
	struct hvp_translation *t = &e->translation;
	struct hvp_pt_page *g = guarded_page(t, table);

	if (!g) {
		if (t->page_count == HVP_PT_MAX_PAGES)
			return HVP_E_TOO_LARGE;
		g = &t->pages[t->page_count];
		*g = (struct hvp_pt_page){ .gpa = table, .level = (uint8_t)level };
		if (write_protect(e, table, &g->old_perms) != HVP_OK)
			return HVP_E_NO_MEMORY;
		t->page_count++;
	} else if (g->level != level) {
		return HVP_E_INVALID; /* one page at two levels: refuse */
	}
	bit_set(g->pinned, index);
	return HVP_OK;
}

/* One protected page's path at cr3: guards it on the first pass, checks
 * it against what was guarded on the second. */
static enum hvp_status pin_path(struct hvp_engine *e, uint64_t cr3,
				uint64_t gva, uint64_t gpa, bool check)
{
	const struct hvp_platform *p = e->platform;
	struct hvp_guest_reader reader = { p->ctx, p->read_gpa };
	struct hvp_translation *t = &e->translation;
	struct hvp_gva_translation tr;
	struct hvp_walk_path path;
	unsigned int top;

	if (hvp_guest_walk_path(&reader, cr3, gva, &tr, &path) != HVP_OK ||
	    page_of(tr.gpa) != gpa)
		return HVP_E_NOT_MAPPED;
	top = path.index[3];
	if (bit_test(t->top_pinned, top) &&
	    (t->top_value[top] ^ path.entry[3]) & ~PINNED_IGNORED)
		return HVP_E_NOT_MAPPED;
	if (check && !bit_test(t->top_pinned, top))
		return HVP_E_NOT_MAPPED;
	bit_set(t->top_pinned, top);
	t->top_value[top] = path.entry[3];
	for (int level = 2; level >= path.leaf_level; level--) {
		struct hvp_pt_page *g = guarded_page(t, path.table[level]);
		enum hvp_status status;

		if (check) {
			if (!g || g->level != level ||
			    !bit_test(g->pinned, path.index[level]))
				return HVP_E_NOT_MAPPED;
			continue;
		}
		status = guard_entry(e, level, path.table[level],
				     path.index[level]);
		if (status != HVP_OK)
			return status;
	}
	return HVP_OK;
}

static enum hvp_status pin_all(struct hvp_engine *e, uint64_t cr3, bool check)
{
	for (unsigned int k = 0; k < HVP_REGION_COUNT; k++) {
		const struct hvp_region *r = &e->regions[k];

		for (uint32_t i = 0; r->registered && i < r->pages; i++) {
			enum hvp_status status = pin_path(
				e, cr3, r->gva + (uint64_t)i * HVP_PAGE_SIZE,
				e->page_gpa[r->first_page + i], check);

			if (status != HVP_OK)
				return status;
		}
	}
	return HVP_OK;
}

/* The PML4 page at pgd carries every top pin, up to A/D. */
static enum hvp_status verify_pgd(struct hvp_engine *e, uint64_t pgd)
{
	const struct hvp_platform *p = e->platform;
	struct hvp_translation *t = &e->translation;

	for (unsigned int i = 0; i < HVP_PT_ENTRIES; i++) {
		uint64_t entry;

		if (!bit_test(t->top_pinned, i))
			continue;
		if (p->read_gpa(p->ctx, pgd + i * 8u, &entry, sizeof(entry)) != HVP_OK)
			return HVP_E_BAD_POINTER;
		if ((entry ^ t->top_value[i]) & ~PINNED_IGNORED)
			return HVP_E_NOT_MAPPED;
	}
	return HVP_OK;
}

static bool pgd_in_use(const struct hvp_translation *t, uint64_t pgd)
{
	for (unsigned int v = 0; v < HVP_PT_MAX_VCPUS; v++)
		if (t->current_pgd[v] == pgd)
			return true;
	return false;
}

bool hvp_translation_pgd_unused(const struct hvp_engine *e, uint64_t gpa)
{
	return !pgd_in_use(&e->translation, page_of(gpa));
}

/* Gives the slot's page its rights back; the caller flushes. */
static void drop_pgd(struct hvp_engine *e, struct hvp_pgd_slot *s)
{
	hvp_ept_set_perms(e->platform->ept, s->gpa, HVP_PAGE_SIZE, s->old_perms);
	__atomic_store_n(&s->gpa, 0, __ATOMIC_RELEASE);
}

/* A free slot, or one whose page no vCPU uses, emptied. */
static struct hvp_pgd_slot *free_pgd_slot(struct hvp_engine *e)
{
	struct hvp_translation *t = &e->translation;

	for (uint32_t i = 0; i < HVP_PGD_CACHE_SIZE; i++)
		if (!t->pgds[i].gpa)
			return &t->pgds[i];
	for (uint32_t n = 0; n < HVP_PGD_CACHE_SIZE; n++) {
		struct hvp_pgd_slot *s = &t->pgds[t->next_victim];

		t->next_victim = (t->next_victim + 1) % HVP_PGD_CACHE_SIZE;
		if (!pgd_in_use(t, s->gpa)) {
			drop_pgd(e, s);
			t->counters.pgd_released++;
			return s;
		}
	}
	return NULL;
}

/* Protects, flushes, verifies and caches the PML4 page at pgd. */
static enum hvp_status cache_pgd(struct hvp_engine *e, uint64_t pgd)
{
	struct hvp_pgd_slot *s = free_pgd_slot(e);
	enum hvp_status status;
	uint8_t old_perms;

	if (!s)
		return HVP_E_TABLE_FULL;
	status = write_protect(e, pgd, &old_perms);
	if (status != HVP_OK) {
		e->platform->flush(e->platform->ctx);
		return status == HVP_E_BAD_POINTER ? status : HVP_E_NO_MEMORY;
	}
	s->old_perms = old_perms;
	/* Visible before the first violation the new rights can cause. */
	__atomic_store_n(&s->gpa, pgd, __ATOMIC_RELEASE);
	e->platform->flush(e->platform->ctx);
	status = verify_pgd(e, pgd);
	if (status != HVP_OK) {
		drop_pgd(e, s);
		e->platform->flush(e->platform->ctx);
		return status;
	}
	e->translation.counters.pgd_verified++;
	return HVP_OK;
}

enum hvp_status hvp_translation_load_cr3(struct hvp_engine *e,
					 unsigned int vcpu, uint64_t pgd)
{
	struct hvp_translation *t = &e->translation;
	enum hvp_status status = HVP_OK;

	pgd = page_of(pgd) & HVP_PTE_ADDR_MASK;
	if (!t->pinned || vcpu >= HVP_PT_MAX_VCPUS)
		return HVP_E_INVALID;
	if (!cached_pgd(t, pgd))
		status = cache_pgd(e, pgd);
	if (status != HVP_OK) {
		t->counters.refused_cr3++;
		hvp_engine_event(e, HVP_AUDIT_BLOCKED_MAPPING, status, 0, pgd, 0);
		hvp_engine_log(e, HVP_LOG_WARN,
			       "translation: refused CR3 with PML4 %#llx: %s\n",
			       (unsigned long long)pgd, hvp_status_name(status));
		return status;
	}
	t->current_pgd[vcpu] = pgd;
	t->counters.cr3_loads++;
	return HVP_OK;
}

enum hvp_status hvp_translation_pin(struct hvp_engine *e, uint64_t cr3)
{
	struct hvp_translation *t = &e->translation;
	enum hvp_status status;

	hvp_bytes_fill(t, 0, sizeof(*t));
	status = pin_all(e, cr3, false);
	if (status == HVP_OK) {
		t->pinned = true;
		status = cache_pgd(e, cr3 & HVP_PTE_ADDR_MASK);
	}
	/* cache_pgd flushed: every guarded page is read-only everywhere. */
	if (status == HVP_OK)
		status = pin_all(e, cr3, true);
	if (status != HVP_OK) {
		unguard_all(e);
		return status;
	}
	hvp_engine_log(e, HVP_LOG_INFO,
		       "translation: %u paging-structure pages guarded, PML4 %#llx verified\n",
		       t->page_count, (unsigned long long)(cr3 & HVP_PTE_ADDR_MASK));
	return HVP_OK;
}

/* Whether `entry` may replace the pinned entry at `index` of a page. */
static bool keeps_pin(const struct hvp_translation *t,
		      const struct hvp_pt_page *g, unsigned int index,
		      uint64_t old, uint64_t entry)
{
	if (g)
		return !bit_test(g->pinned, index) ||
		       !((old ^ entry) & ~PINNED_IGNORED);
	return !bit_test(t->top_pinned, index) ||
	       !((t->top_value[index] ^ entry) & ~PINNED_IGNORED);
}

enum hvp_status hvp_translation_write(struct hvp_engine *e, uint64_t gpa,
				      const struct hvp_store_insn *insn,
				      uint64_t src, uint64_t rax,
				      struct hvp_pt_outcome *out)
{
	const struct hvp_platform *p = e->platform;
	struct hvp_translation *t = &e->translation;
	struct hvp_pt_page *g = guarded_page(t, gpa);
	uint64_t entry_gpa = gpa & ~7ull, old;
	unsigned int index = (unsigned int)(gpa % HVP_PAGE_SIZE) / 8;

	out->releasable = false;
	if (!t->pinned || (!g && !cached_pgd(t, gpa)))
		return HVP_E_TARGET_RANGE;
	if ((insn->width != 4 && insn->width != 8) || gpa % insn->width)
		return HVP_E_INVALID;
	if (p->read_gpa(p->ctx, entry_gpa, &old, sizeof(old)) != HVP_OK)
		return HVP_E_BAD_POINTER;
	for (unsigned int n = 0; n < ENTRY_RETRIES; n++) {
		enum hvp_status status;

		hvp_pt_execute(insn, (unsigned int)(gpa % 8), old, src, rax,
			       &out->result);
		if (!keeps_pin(t, g, index, old, out->result.entry)) {
			out->releasable = !g && hvp_translation_pgd_unused(e, gpa);
			return HVP_E_LOCKED;
		}
		if (!out->result.stored)
			return HVP_OK;
		status = p->cmpxchg_gpa(p->ctx, entry_gpa, &old,
					out->result.entry);
		if (status == HVP_OK) {
			__atomic_add_fetch(&t->counters.emulated_writes, 1,
					   __ATOMIC_RELAXED);
			return HVP_OK;
		}
		if (status != HVP_E_BUSY)
			return status;
	}
	return HVP_E_BUSY;
}

enum hvp_status hvp_translation_release_pgd(struct hvp_engine *e, uint64_t gpa)
{
	struct hvp_pgd_slot *s = cached_pgd(&e->translation, gpa);

	if (!s)
		return HVP_E_TARGET_RANGE;
	if (pgd_in_use(&e->translation, s->gpa))
		return HVP_E_BUSY;
	drop_pgd(e, s);
	e->translation.counters.pgd_released++;
	e->platform->flush(e->platform->ctx);
	return HVP_OK;
}

enum hvp_status hvp_translation_set_accessed(struct hvp_engine *e,
					     uint64_t gpa)
{
	const struct hvp_platform *p = e->platform;
	struct hvp_translation *t = &e->translation;
	struct hvp_pt_page *g = guarded_page(t, gpa);
	uint64_t entry_gpa = gpa & ~7ull, old;

	if (!t->pinned || (!g && !cached_pgd(t, gpa)))
		return HVP_E_TARGET_RANGE;
	if (p->read_gpa(p->ctx, entry_gpa, &old, sizeof(old)) != HVP_OK)
		return HVP_E_BAD_POINTER;
	for (unsigned int n = 0; n < ENTRY_RETRIES; n++) {
		/* A leaf: a PTE, or a PDE or PDPTE with PS (never a PML4E). */
		bool leaf = g && (g->level == 0 || (old & HVP_PTE_LARGE));
		uint64_t entry = old | HVP_PTE_ACCESSED |
				 (leaf ? HVP_PTE_DIRTY : 0);
		enum hvp_status status;

		if (!(old & HVP_PTE_PRESENT) || entry == old)
			return HVP_E_NOT_MAPPED;
		status = p->cmpxchg_gpa(p->ctx, entry_gpa, &old, entry);
		if (status == HVP_OK) {
			__atomic_add_fetch(&t->counters.ad_updates, 1,
					   __ATOMIC_RELAXED);
			return HVP_OK;
		}
		if (status != HVP_E_BUSY)
			return status;
	}
	return HVP_E_BUSY;
}

void hvp_translation_report(struct hvp_engine *e)
{
	const struct hvp_translation_counters *c = &e->translation.counters;

	if (!e->translation.pinned)
		return;
	hvp_engine_log(e, HVP_LOG_INFO,
		       "translation: %llu page-table writes emulated, %llu refused, %llu A/D updates; CR3 loads %llu allowed, %llu refused; PML4 pages %llu verified, %llu released\n",
		       (unsigned long long)c->emulated_writes,
		       (unsigned long long)c->refused_writes,
		       (unsigned long long)c->ad_updates,
		       (unsigned long long)c->cr3_loads,
		       (unsigned long long)c->refused_cr3,
		       (unsigned long long)c->pgd_verified,
		       (unsigned long long)c->pgd_released);
}

void hvp_translation_refuse_write(struct hvp_engine *e, uint64_t gpa,
				  enum hvp_status status)
{
	__atomic_add_fetch(&e->translation.counters.refused_writes, 1,
			   __ATOMIC_RELAXED);
	hvp_engine_event(e, HVP_AUDIT_BLOCKED_MAPPING, status, 0, gpa, 0);
	hvp_engine_log(e, HVP_LOG_WARN,
		       "translation: refused page-table write at gpa %#llx: %s\n",
		       (unsigned long long)gpa, hvp_status_name(status));
}
