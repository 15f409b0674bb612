// SPDX-License-Identifier: MIT
/*
 * Mode-based execute control (patch/kernel_exec.h): the start-up code
 * learned before lock, the kernel code approved at lock, and the kernel
 * fetches EPT stops after it.
 *
 * Granting supervisor execute needs no INVEPT: an EPT violation
 * invalidates the faulting CPU's cached mappings of its guest-physical
 * address (SDM Vol. 3C, "Operations that Invalidate Cached Mappings"),
 * and another CPU's stale, stricter ones only cause a violation that
 * finds the right already there.
 */
#include "patch/internal.h"

#include "mm/ept.h"
#include "mm/guest_walk.h"

#define PAGE_MASK_4K (~(uint64_t)(HVP_PAGE_SIZE - 1))
#define PTE_PRESENT 1ull
/* Approved code outside the regions: run by the kernel, written by no one. */
#define APPROVED_CODE (HVP_EPT_READ | HVP_EPT_EXEC)
/* Its rights before lock, but for supervisor execute (open_execute()). */
#define ORDINARY_RAM (HVP_EPT_READ | HVP_EPT_WRITE | HVP_EPT_EXEC_USER)

static bool mbec(const struct hvp_engine *e)
{
	return e->platform->mbec;
}

static bool listed(const uint64_t *pages, uint32_t count, uint64_t gpa)
{
	for (uint32_t i = 0; i < count; i++)
		if (pages[i] == (gpa & PAGE_MASK_4K))
			return true;
	return false;
}

/*
 * The rights before lock: every page executes in both modes, except that
 * supervisor execute below 1 MiB waits to be learned.  Only [0, 1 MiB)
 * may need a split, and only the first time.
 */
static enum hvp_status open_execute(struct hvp_engine *e)
{
	struct hvp_ept *ept = e->platform->ept;
	const struct hvp_kernel_exec *k = &e->kernel_exec;
	enum hvp_status status = hvp_ept_update_perms(
		ept, 0, HVP_EPT_MAX_GPA, 0, HVP_EPT_EXEC | HVP_EPT_EXEC_USER);

	if (status == HVP_OK)
		status = hvp_ept_update_perms(ept, 0, HVP_STARTUP_CODE_LIMIT,
					      HVP_EPT_EXEC, 0);
	for (uint32_t i = 0; status == HVP_OK && i < k->startup_count; i++)
		status = hvp_ept_update_perms(ept, k->startup_gpa[i],
					      HVP_PAGE_SIZE, 0, HVP_EPT_EXEC);
	return status;
}

enum hvp_status hvp_kernel_exec_start(struct hvp_engine *e,
				      enum hvp_kernel_exec_mode mode)
{
	e->kernel_exec.mode = mode;
	return mbec(e) ? open_execute(e) : HVP_OK;
}

/*
 * Where the next walk may find something after one that failed: past the
 * hole a not-present entry leaves at its level, or the next page.  The
 * path holds the entries read, zero below the level the walk stopped at.
 */
static uint64_t next_after_failed_walk(uint64_t gva,
				       const struct hvp_walk_path *path)
{
	for (int level = 3; level > 0; level--)
		if (!(path->entry[level] & PTE_PRESENT))
			return (gva | ((1ull << (12 + 9 * level)) - 1)) + 1;
	return gva + HVP_PAGE_SIZE;
}

/*
 * Every 4 KiB page of the module area that the tables at cr3 map
 * present, supervisor and executable onto guest RAM, outside the
 * regions (the arena lives there too).  Called with e->locked set.
 */
static enum hvp_status find_module_text(struct hvp_engine *e, uint64_t cr3)
{
	const struct hvp_platform *p = e->platform;
	struct hvp_guest_reader reader = { p->ctx, p->read_gpa };
	struct hvp_kernel_exec *k = &e->kernel_exec;
	uint64_t gva = HVP_MODULES_START;

	k->module_count = 0;
	while (gva < HVP_MODULES_END) {
		struct hvp_walk_path path = { 0 };
		struct hvp_gva_translation t;
		uint64_t next = gva + HVP_PAGE_SIZE;
		uint8_t probe;

		if (hvp_guest_walk_path(&reader, cr3, gva, &t, &path) != HVP_OK)
			next = next_after_failed_walk(gva, &path);
		else if (!t.user && t.executable &&
			 !hvp_engine_protects_gva(e, gva) &&
			 p->read_gpa(p->ctx, t.gpa, &probe, 1) == HVP_OK) {
			if (k->module_count == HVP_MODULE_TEXT_PAGES) {
				hvp_engine_log(e, HVP_LOG_ERROR,
					       "kernel exec: more than %u pages of module text (at %#llx)\n",
					       HVP_MODULE_TEXT_PAGES,
					       (unsigned long long)gva);
				k->module_count = 0;
				return HVP_E_TOO_LARGE;
			}
			k->module_gpa[k->module_count++] = t.gpa & PAGE_MASK_4K;
		}
		if (next <= gva) /* the top of the address space */
			break;
		gva = next;
	}
	return HVP_OK;
}

enum hvp_status hvp_kernel_exec_lock(struct hvp_engine *e, uint64_t cr3)
{
	struct hvp_ept *ept = e->platform->ept;
	struct hvp_kernel_exec *k = &e->kernel_exec;
	enum hvp_status status;

	if (!mbec(e))
		return HVP_OK;
	status = find_module_text(e, cr3);
	if (status != HVP_OK)
		return status;
	/* The whole space in whole leaves: no split, so no failure. */
	status = hvp_ept_update_perms(ept, 0, HVP_EPT_MAX_GPA, HVP_EPT_EXEC, 0);
	for (uint32_t i = 0; status == HVP_OK && i < k->startup_count; i++)
		status = hvp_ept_set_perms(ept, k->startup_gpa[i], HVP_PAGE_SIZE,
					   APPROVED_CODE);
	/* Under `any` new code may run anyway, so module text stays
	 * writable: the kernel rewrites some of it in place (BPF program
	 * packs, kprobe slots).  Under `approved` a writable approved page
	 * would be a way around the policy. */
	for (uint32_t i = 0; status == HVP_OK && i < k->module_count; i++)
		status = hvp_ept_set_perms(ept, k->module_gpa[i], HVP_PAGE_SIZE,
					   k->mode == HVP_KERNEL_EXEC_ANY ?
					   APPROVED_CODE | HVP_EPT_WRITE : APPROVED_CODE);
	if (status != HVP_OK) {
		hvp_kernel_exec_unlock(e);
		return status;
	}
	hvp_engine_log(e, HVP_LOG_INFO,
		       "kernel exec: MBEC: kernel may run text, arena, %u pages of module text and %u of start-up code; others %s\n",
		       k->module_count, k->startup_count,
		       k->mode == HVP_KERNEL_EXEC_ANY ? "allowed and logged (kernel_exec any)" :
							"refused (kernel_exec approved)");
	if (k->startup_missed)
		hvp_engine_log(e, HVP_LOG_WARN,
			       "kernel exec: %u start-up pages ran before lock beyond the %u recorded: they will be refused\n",
			       k->startup_missed, HVP_STARTUP_CODE_PAGES);
	return HVP_OK;
}

void hvp_kernel_exec_unlock(struct hvp_engine *e)
{
	struct hvp_ept *ept = e->platform->ept;
	struct hvp_kernel_exec *k = &e->kernel_exec;

	if (!mbec(e))
		return;
	/* Back to what they had; open_execute() adds supervisor execute. */
	for (uint32_t i = 0; i < k->startup_count; i++)
		hvp_ept_set_perms(ept, k->startup_gpa[i], HVP_PAGE_SIZE,
				  ORDINARY_RAM);
	for (uint32_t i = 0; i < k->module_count; i++)
		hvp_ept_set_perms(ept, k->module_gpa[i], HVP_PAGE_SIZE,
				  ORDINARY_RAM);
	/* Every split it could need happened at start: cannot fail. */
	open_execute(e);
	k->module_count = 0;
}

/* Supervisor execute on the whole EPT leaf: never a split. */
static bool grant(struct hvp_engine *e, const struct hvp_ept_mapping *m,
		  uint64_t gpa)
{
	return hvp_ept_update_perms(e->platform->ept, gpa & ~(m->page_size - 1),
				    m->page_size, 0, HVP_EPT_EXEC) == HVP_OK;
}

/* Before lock: start-up code runs, and its page is recorded. */
static bool learn(struct hvp_engine *e, const struct hvp_fetch *f,
		  const struct hvp_ept_mapping *m)
{
	struct hvp_kernel_exec *k = &e->kernel_exec;

	if (f->gpa < HVP_STARTUP_CODE_LIMIT &&
	    k->startup_count < HVP_STARTUP_CODE_PAGES) {
		k->startup_gpa[k->startup_count++] = f->gpa & PAGE_MASK_4K;
		hvp_engine_log(e, HVP_LOG_INFO,
			       "kernel exec: start-up code at gpa %#llx (rip %#llx, cpl %u), page %u of %u\n",
			       (unsigned long long)f->gpa, (unsigned long long)f->rip,
			       f->cpl, k->startup_count, HVP_STARTUP_CODE_PAGES);
	} else if (f->gpa < HVP_STARTUP_CODE_LIMIT) {
		k->startup_missed++;
		hvp_engine_log(e, HVP_LOG_WARN,
			       "kernel exec: start-up code at gpa %#llx beyond the %u pages recorded: refused after lock\n",
			       (unsigned long long)f->gpa, HVP_STARTUP_CODE_PAGES);
	}
	return grant(e, m, f->gpa);
}

static bool allow_new_code(struct hvp_engine *e, const struct hvp_fetch *f,
			   const struct hvp_ept_mapping *m)
{
	uint64_t n;

	if (!grant(e, m, f->gpa))
		return false;
	n = ++e->counters.new_kernel_code;
	hvp_engine_event(e, HVP_AUDIT_NEW_KERNEL_CODE, HVP_OK, 0, f->gpa,
			 (uint32_t)(m->page_size >> 10));
	if (hvp_engine_recorded(n))
		hvp_engine_log(e, HVP_LOG_WARN,
			       "kernel exec: new kernel code allowed (kernel_exec any): gpa %#llx, %llu KiB, guest rip %#llx, cr3 %#llx, cpl %u (%llu so far)\n",
			       (unsigned long long)f->gpa,
			       (unsigned long long)(m->page_size >> 10),
			       (unsigned long long)f->rip, (unsigned long long)f->cr3,
			       f->cpl, (unsigned long long)n);
	return true;
}

bool hvp_kernel_exec_fetch(struct hvp_engine *e, const struct hvp_fetch *f)
{
	struct hvp_ept_mapping m;

	if (!mbec(e) || hvp_ept_lookup(e->platform->ept, f->gpa, &m) != HVP_OK ||
	    !m.present)
		return false;
	if (m.perms & HVP_EPT_EXEC)
		return true; /* granted since, on another vCPU */
	if (!e->locked)
		return learn(e, f, &m);
	if (e->kernel_exec.mode == HVP_KERNEL_EXEC_ANY)
		return allow_new_code(e, f, &m);
	e->counters.blocked_execs++;
	hvp_engine_event(e, HVP_AUDIT_BLOCKED_EXEC, HVP_OK, 0, f->gpa, f->cpl);
	hvp_engine_log(e, HVP_LOG_WARN,
		       "kernel exec: refused kernel fetch from a page not approved at lock: gpa %#llx, guest rip %#llx, cr3 %#llx, cpl %u\n",
		       (unsigned long long)f->gpa, (unsigned long long)f->rip,
		       (unsigned long long)f->cr3, f->cpl);
	return false;
}

bool hvp_kernel_exec_blocked_write(struct hvp_engine *e, uint64_t gpa)
{
	const struct hvp_kernel_exec *k = &e->kernel_exec;

	if (!mbec(e) || !e->locked ||
	    !(listed(k->startup_gpa, k->startup_count, gpa) ||
	      listed(k->module_gpa, k->module_count, gpa)))
		return false;
	hvp_engine_blocked_write(e, gpa, HVP_BLOCKED_WRITE_APPROVED_CODE);
	return true;
}
