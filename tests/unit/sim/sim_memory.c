// SPDX-License-Identifier: MIT
#include "sim_memory.h"

#include <stdlib.h>
#include <string.h>

static void *sim_alloc_page(void *ctx, uint64_t *hpa)
{
	struct sim_machine *m = ctx;
	uint8_t *page;

	if (m->allocs_until_failure == 0 || m->hv_used == m->hv_pages)
		return NULL;
	if (m->allocs_until_failure > 0)
		m->allocs_until_failure--;
	page = m->hv + (uint64_t)m->hv_used * 4096;
	memset(page, 0, 4096);
	*hpa = SIM_HV_BASE + (uint64_t)m->hv_used * 4096;
	m->hv_used++;
	return page;
}

static void *sim_phys_to_virt(void *ctx, uint64_t hpa)
{
	struct sim_machine *m = ctx;

	if (hpa < SIM_HV_BASE || hpa - SIM_HV_BASE >= (uint64_t)m->hv_used * 4096)
		abort(); /* the EPT code followed a bad pointer */
	return m->hv + (hpa - SIM_HV_BASE);
}

void sim_init(struct sim_machine *m, uint64_t ram_size, uint32_t hv_pages)
{
	memset(m, 0, sizeof(*m));
	m->ram_size = ram_size;
	m->ram = calloc(1, ram_size);
	m->read_counts = calloc(ram_size, sizeof(*m->read_counts));
	m->hv_pages = hv_pages;
	m->hv = calloc(hv_pages, 4096);
	m->allocs_until_failure = -1;
	m->writes_until_failure = -1;
	m->next_pt_page = ram_size;
	m->alloc = (struct hvp_page_alloc){ m, sim_alloc_page, sim_phys_to_virt };
	m->reader = (struct hvp_guest_reader){ m, sim_read_gpa };
	if (!m->ram || !m->read_counts || !m->hv)
		abort();
}

void sim_destroy(struct sim_machine *m)
{
	free(m->ram);
	free(m->read_counts);
	free(m->hv);
}

static bool in_ram(const struct sim_machine *m, uint64_t gpa, size_t len)
{
	return gpa < m->ram_size && len <= m->ram_size - gpa;
}

enum hvp_status sim_read_gpa(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	struct sim_machine *m = ctx;

	if (!in_ram(m, gpa, len))
		return HVP_E_BAD_POINTER;
	memcpy(dst, m->ram + gpa, len);
	for (size_t i = 0; i < len; i++)
		m->read_counts[gpa + i]++;
	return HVP_OK;
}

enum hvp_status sim_write_gpa(void *ctx, uint64_t gpa, const void *src,
			      size_t len)
{
	struct sim_machine *m = ctx;

	if (!in_ram(m, gpa, len))
		return HVP_E_BAD_POINTER;
	if (m->writes_until_failure == 0) {
		m->writes_until_failure = -1; /* one transient failure */
		return HVP_E_INTERNAL;
	}
	if (m->writes_until_failure > 0)
		m->writes_until_failure--;
	memcpy(m->ram + gpa, src, len);
	return HVP_OK;
}

enum hvp_status sim_cmpxchg_gpa(void *ctx, uint64_t gpa, uint64_t *expected,
				uint64_t desired)
{
	struct sim_machine *m = ctx;
	uint64_t *p = (uint64_t *)(m->ram + gpa);

	if (!in_ram(m, gpa, 8) || gpa % 8)
		return HVP_E_BAD_POINTER;
	if (m->cmpxchg_interference) { /* another CPU sets a bit first */
		__atomic_fetch_or(p, m->cmpxchg_interference, __ATOMIC_SEQ_CST);
		m->cmpxchg_interference = 0;
	}
	return __atomic_compare_exchange_n(p, expected, desired, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ?
		       HVP_OK : HVP_E_BUSY;
}

static uint64_t new_pt_page(struct sim_machine *m)
{
	m->next_pt_page -= 4096;
	memset(m->ram + m->next_pt_page, 0, 4096);
	return m->next_pt_page;
}

uint64_t sim_new_cr3(struct sim_machine *m)
{
	return new_pt_page(m);
}

static uint64_t *entry_at(struct sim_machine *m, uint64_t table, uint64_t gva,
			  int level)
{
	return (uint64_t *)(m->ram + table) + ((gva >> (12 + 9 * level)) & 511);
}

void sim_map(struct sim_machine *m, uint64_t cr3, uint64_t gva, uint64_t gpa,
	     uint64_t size, uint64_t page_size, unsigned int flags)
{
	int leaf_level = page_size == (1ull << 30) ? 2 :
			 page_size == (1ull << 21) ? 1 : 0;
	uint64_t bits = 1 | ((flags & SIM_PTE_WRITE) ? 2 : 0) |
			((flags & SIM_PTE_USER) ? 4 : 0);

	for (uint64_t off = 0; off < size; off += page_size) {
		uint64_t table = cr3 & ~0xfffull;

		for (int level = 3; level > leaf_level; level--) {
			uint64_t *e = entry_at(m, table, gva + off, level);

			if (!(*e & 1))
				*e = new_pt_page(m) | 7; /* P, RW, US: leaf decides */
			table = *e & 0x000ffffffffff000ull;
		}
		*entry_at(m, table, gva + off, leaf_level) =
			(gpa + off) | bits | (leaf_level ? 0x80 : 0) |
			((flags & SIM_PTE_NX) ? 1ull << 63 : 0);
	}
}

uint64_t *sim_pte(struct sim_machine *m, uint64_t cr3, uint64_t gva, int level)
{
	uint64_t table = cr3 & ~0xfffull;

	for (int l = 3; l > level; l--)
		table = *entry_at(m, table, gva, l) & 0x000ffffffffff000ull;
	return entry_at(m, table, gva, level);
}

void sim_snapshot(const struct sim_machine *m, struct sim_snapshot *s)
{
	s->ram = malloc(m->ram_size);
	s->hv = malloc((size_t)m->hv_pages * 4096);
	memcpy(s->ram, m->ram, m->ram_size);
	memcpy(s->hv, m->hv, (size_t)m->hv_pages * 4096);
	s->hv_used = m->hv_used;
}

bool sim_unchanged(const struct sim_machine *m, const struct sim_snapshot *s)
{
	return s->hv_used == m->hv_used &&
	       memcmp(s->ram, m->ram, m->ram_size) == 0 &&
	       memcmp(s->hv, m->hv, (size_t)m->hv_pages * 4096) == 0;
}

void sim_snapshot_free(struct sim_snapshot *s)
{
	free(s->ram);
	free(s->hv);
}

void sim_reset_read_counts(struct sim_machine *m)
{
	memset(m->read_counts, 0, m->ram_size * sizeof(*m->read_counts));
}
