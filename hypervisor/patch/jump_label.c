// SPDX-License-Identifier: MIT
/*
 * Static keys after lock.  Linux switches a static key (a jump label) by
 * rewriting each of its sites in kernel text between a NOP and a JMP to
 * a target fixed at build time, with text_poke_bp()'s protocol: an INT3
 * over the first byte, then the tail, then the first byte (Linux
 * arch/x86/kernel/alternative.c).  Locked text refuses those writes, and
 * the kernel would oops in text_poke() on the first sysctl that flips a
 * key (kernel.sched_schedstats, for one).
 *
 * So a write to locked text that EPT stopped gets one more chance: the
 * hypervisor performs it if, and only if, it lands inside a site listed
 * in the kernel's __jump_table and leaves that site in one of the states
 * the table allows.  The table lies in rodata, registered and locked
 * before any of this runs, so the guest cannot add a site or move a
 * target.  A key can only be switched between its two compiled-in
 * branches, which is what static_key_enable() does anyway; nothing else
 * in text can change.
 *
 * INT3 is a state only while a switch is under way.  The first byte a
 * step turns into INT3 is tracked (up to HVP_JUMP_LABEL_MAX_PARKED sites
 * at once) until a step puts an opcode back, and a site may stay INT3
 * for int3_bound at most.  With the guest's #BP intercepted after lock,
 * INT3 on a site is run by the hypervisor as the site's current form
 * (hvp_engine_jump_label_int3), never by the guest's #BP handler, where
 * a kernel could hook it; a site left in INT3 is put back.
 *
 * struct jump_entry on x86-64 (arch/x86/include/asm/jump_label.h): s32
 * code and s32 target, each relative to its own field, then a long key.
 * A site is 5 bytes (NOP5 or JMP rel32) or 2 bytes (NOP2 or JMP rel8);
 * objtool picks the size at build time.
 */
#include "lib/bytes.h"
#include "lib/sort.h"
#include "patch/internal.h"

#define JUMP_ENTRY_SIZE 16u
#define JUMP_SITE_MAX 5u
#define INT3 0xcc

static const uint8_t nop5[JUMP_SITE_MAX] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
static const uint8_t nop2[2] = { 0x66, 0x90 };

/* The two forms of a site: not taken (NOP) and taken (JMP to target). */
struct jump_site {
	uint64_t code, target;
	uint32_t size;
	uint8_t nop[JUMP_SITE_MAX];
	uint8_t jmp[JUMP_SITE_MAX];
};

enum hvp_status hvp_engine_register_jump_table(struct hvp_engine *e,
					       uint64_t gva, uint64_t size)
{
	const struct hvp_region *ro = &e->regions[HVP_REGION_RODATA];

	if (e->locked)
		return hvp_engine_refuse(e, HVP_E_LOCKED, "jump table registration");
	if (!ro->registered)
		return hvp_engine_refuse(e, HVP_E_NOT_REGISTERED,
					 "jump table registration");
	/* Inside rodata, so that lock freezes it with everything else. */
	if (size == 0 || size % JUMP_ENTRY_SIZE || gva % 8 || gva < ro->gva ||
	    gva - ro->gva > ro->size || size > ro->size - (gva - ro->gva))
		return hvp_engine_refuse(e, HVP_E_INVALID, "jump table registration");
	if (size / JUMP_ENTRY_SIZE > HVP_JUMP_LABEL_MAX_SITES)
		return hvp_engine_refuse(e, HVP_E_TABLE_FULL,
					 "jump table registration (too many sites)");
	e->jump_table_gva = gva;
	e->jump_table_size = size;
	hvp_engine_log(e, HVP_LOG_INFO,
		       "patch: registered jump table %#llx..%#llx (%llu static-key sites)\n",
		       (unsigned long long)gva, (unsigned long long)(gva + size),
		       (unsigned long long)(size / JUMP_ENTRY_SIZE));
	return HVP_OK;
}

/* Either form, with byte 0 possibly the INT3 of a switch in progress. */
static bool site_state_valid(const struct jump_site *s, const uint8_t *w)
{
	const uint8_t *forms[2] = { s->nop, s->jmp };

	for (int f = 0; f < 2; f++)
		if ((w[0] == forms[f][0] || w[0] == INT3) &&
		    hvp_bytes_equal(w + 1, forms[f] + 1, s->size - 1))
			return true;
	return false;
}

/* The site's forms for `size`, if its jump reaches with that size. */
static bool site_forms(struct jump_site *s, uint64_t code, uint64_t target,
		       uint32_t size)
{
	s->code = code;
	s->target = target;
	s->size = size;
	hvp_bytes_copy(s->nop, size == JUMP_SITE_MAX ? nop5 : nop2, size);
	return hvp_encode_jmp(s->jmp, code, target, size);
}

/* The site's size is what its current bytes say: a site is always in a
 * valid state, or it is not one we know. */
static bool site_at(struct hvp_engine *e, uint64_t code, uint64_t target,
		    struct jump_site *s, uint8_t *window)
{
	if (hvp_locked_read(e, code, window, JUMP_SITE_MAX) != HVP_OK)
		return false;
	return (site_forms(s, code, target, 5) && site_state_valid(s, window)) ||
	       (site_forms(s, code, target, 2) && site_state_valid(s, window));
}

enum hvp_status hvp_jump_label_index(struct hvp_engine *e)
{
	const struct hvp_region *text = &e->regions[HVP_REGION_TEXT];
	uint32_t entries = (uint32_t)(e->jump_table_size / JUMP_ENTRY_SIZE);

	e->jump_site_count = 0;
	for (uint32_t i = 0; i < entries; i++) {
		uint64_t entry = e->jump_table_gva + (uint64_t)i * JUMP_ENTRY_SIZE;
		int32_t code_rel;
		uint64_t code;

		if (hvp_locked_read(e, entry, &code_rel, sizeof(code_rel)) != HVP_OK)
			return HVP_E_TARGET_RANGE;
		code = entry + (int64_t)code_rel;
		/* Sites elsewhere (init text, freed by now) can never switch. */
		if (code < text->gva || code - text->gva >= text->size)
			continue;
		e->jump_sites[e->jump_site_count++] = (code - text->gva) << 32 | i;
	}
	hvp_sort_u64(e->jump_sites, e->jump_site_count);
	return HVP_OK;
}

/* The jump-table entry whose site holds [gva, gva + len): a binary search
 * of the lock-time index, then the entry's target read through the
 * lock-time record (rodata the guest cannot change). */
static bool find_site(struct hvp_engine *e, uint64_t gva, size_t len,
		      struct jump_site *s, uint8_t *window)
{
	const struct hvp_region *text = &e->regions[HVP_REGION_TEXT];
	uint32_t lo = 0, hi = e->jump_site_count;

	if (gva < text->gva || gva - text->gva >= text->size)
		return false;
	/* lo: the first site above gva. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (e->jump_sites[mid] >> 32 <= gva - text->gva)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Sites at or below gva, nearest first, while one could hold it. */
	while (lo-- > 0) {
		uint64_t code = text->gva + (e->jump_sites[lo] >> 32);
		uint64_t entry = e->jump_table_gva +
				 (uint64_t)(uint32_t)e->jump_sites[lo] * JUMP_ENTRY_SIZE;
		int32_t target_rel;

		if (gva + len > code + JUMP_SITE_MAX)
			return false;
		if (hvp_locked_read(e, entry + 4, &target_rel,
				    sizeof(target_rel)) != HVP_OK)
			return false;
		if (site_at(e, code, entry + 4 + (int64_t)target_rel, s, window) &&
		    gva + len <= code + s->size)
			return true;
	}
	return false;
}

static int parked_index(const struct hvp_engine *e, uint64_t site)
{
	for (uint32_t i = 0; i < e->int3_parked_count; i++)
		if (e->int3_parked[i].site == site)
			return (int)i;
	return -1;
}

static void unpark(struct hvp_engine *e, uint64_t site)
{
	int i = parked_index(e, site);

	if (i >= 0)
		e->int3_parked[i] = e->int3_parked[--e->int3_parked_count];
}

static uint64_t now(const struct hvp_engine *e)
{
	return e->platform->timestamp(e->platform->ctx);
}

/* The form the site's tail holds: its JMP, or else its NOP. */
static const uint8_t *tail_form(const struct jump_site *s, const uint8_t *window)
{
	return hvp_bytes_equal(window + 1, s->jmp + 1, s->size - 1) ? s->jmp : s->nop;
}

/* The site's INT3 replaced by the first byte of the form its tail holds. */
static void put_back(struct hvp_engine *e, const struct jump_site *s,
		     const uint8_t *window)
{
	unpark(e, s->code);
	if (hvp_locked_write(e, s->code, tail_form(s, window), 1) != HVP_OK)
		return;
	hvp_engine_refuse(e, HVP_E_PREIMAGE, "static-key site left in INT3 (put back)");
}

/* Sites parked in INT3 for longer than the bound, put back. */
static void put_back_expired(struct hvp_engine *e)
{
	uint64_t t = now(e);

	for (uint32_t i = 0; i < e->int3_parked_count;) {
		uint64_t site = e->int3_parked[i].site;
		uint8_t window[JUMP_SITE_MAX];
		struct jump_site s;

		if (t - e->int3_parked[i].since <= e->int3_bound) {
			i++;
			continue;
		}
		if (find_site(e, site, 1, &s, window) && window[0] == INT3)
			put_back(e, &s, window);
		else
			unpark(e, site);
	}
}

enum hvp_status hvp_engine_jump_label_write(struct hvp_engine *e, uint64_t gva,
					    const uint8_t *bytes, size_t len)
{
	const struct hvp_region *text = &e->regions[HVP_REGION_TEXT];
	uint8_t window[JUMP_SITE_MAX], was;
	struct jump_site s;

	if (!e->locked || !e->jump_table_size || len == 0 || len > JUMP_SITE_MAX ||
	    gva < text->gva || gva + len > text->gva + text->size)
		return HVP_E_TARGET_RANGE;
	put_back_expired(e);
	if (!find_site(e, gva, len, &s, window))
		return HVP_E_TARGET_RANGE;
	was = window[0];
	hvp_bytes_copy(window + (gva - s.code), bytes, len);
	if (!site_state_valid(&s, window))
		return HVP_E_PREIMAGE;
	/* INT3 only as a tracked step: it starts one, or continues one. */
	if (window[0] == INT3 && was == INT3 && parked_index(e, s.code) < 0)
		return HVP_E_PREIMAGE;
	if (window[0] == INT3 && was != INT3) {
		if (e->int3_parked_count == HVP_JUMP_LABEL_MAX_PARKED)
			return HVP_E_TABLE_FULL;
		e->int3_parked[e->int3_parked_count].site = s.code;
		e->int3_parked[e->int3_parked_count++].since = now(e);
	}
	if (hvp_locked_write(e, gva, bytes, len) != HVP_OK) {
		if (was != INT3)
			unpark(e, s.code);
		return HVP_E_INTERNAL;
	}
	if (window[0] != INT3)
		unpark(e, s.code);
	e->counters.jump_label_writes++;
	return HVP_OK;
}

enum hvp_status hvp_engine_jump_label_int3(struct hvp_engine *e, uint64_t gva,
					   uint64_t *next_rip)
{
	uint8_t window[JUMP_SITE_MAX];
	struct jump_site s;
	int i;

	if (!e->locked || !e->jump_table_size ||
	    !find_site(e, gva, 1, &s, window) || s.code != gva || window[0] != INT3)
		return HVP_E_TARGET_RANGE;
	i = parked_index(e, gva);
	if (i < 0 || now(e) - e->int3_parked[i].since > e->int3_bound) {
		put_back(e, &s, window);
		*next_rip = gva;
		return HVP_OK;
	}
	*next_rip = tail_form(&s, window) == s.jmp ? s.target : s.code + s.size;
	e->counters.jump_label_int3++;
	return HVP_OK;
}
