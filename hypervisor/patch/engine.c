// SPDX-License-Identifier: MIT
/*
 * Engine state: keys, registration, lock, and the lock-time record that
 * every later access to protected memory goes through.
 */
#include "patch/internal.h"

#include "mm/ept.h"
#include "mm/guest_walk.h"
#include "lib/bytes.h"

static const char *const region_names[HVP_REGION_COUNT] = {
	[HVP_REGION_TEXT] = "text",
	[HVP_REGION_RODATA] = "rodata",
	[HVP_REGION_ARENA] = "arena",
};

/*
 * Guest rights after lock (SDM Vol. 3C, 29.3.2, EPT access rights).  None
 * is writable.  Rodata keeps execute: Linux maps the vDSO to user space
 * straight from its image inside the rodata range (raw_data, in
 * .data..ro_after_init).  Without mode-based execute control EPT cannot
 * tell a user fetch from a kernel one, so rodata stays executable for
 * both; with it, rodata is user-execute only and text and arena
 * supervisor-execute only (kernel_exec.h).
 */
static const unsigned int region_perms[HVP_REGION_COUNT] = {
	[HVP_REGION_TEXT] = HVP_EPT_READ | HVP_EPT_EXEC,
	[HVP_REGION_RODATA] = HVP_EPT_READ | HVP_EPT_EXEC,
	[HVP_REGION_ARENA] = HVP_EPT_READ | HVP_EPT_EXEC,
};

static const unsigned int region_perms_mbec[HVP_REGION_COUNT] = {
	[HVP_REGION_TEXT] = HVP_EPT_READ | HVP_EPT_EXEC,
	[HVP_REGION_RODATA] = HVP_EPT_READ | HVP_EPT_EXEC_USER,
	[HVP_REGION_ARENA] = HVP_EPT_READ | HVP_EPT_EXEC,
};

_Static_assert(HVP_BLOCKED_WRITE_APPROVED_CODE == HVP_REGION_COUNT,
	       "a blocked write's detail: a region kind, or approved code");

void hvp_engine_log(struct hvp_engine *e, enum hvp_log_level level,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	e->platform->vlog(e->platform->ctx, level, fmt, ap);
	va_end(ap);
}

static void record_event(struct hvp_engine *e, enum hvp_audit_ring ring,
			 enum hvp_audit_type type, enum hvp_status status,
			 uint32_t patch_id, uint64_t sequence, uint32_t detail)
{
	struct hvp_audit_event ev = {
		.timestamp = e->platform->timestamp(e->platform->ctx),
		.sequence = sequence,
		.type = (uint16_t)type,
		.status = (uint16_t)status,
		.patch_id = patch_id,
		.detail = detail,
	};

	hvp_audit_record(&e->audit, ring, &ev);
}

void hvp_engine_event(struct hvp_engine *e, enum hvp_audit_type type,
		      enum hvp_status status, uint32_t patch_id,
		      uint64_t sequence, uint32_t detail)
{
	record_event(e, HVP_AUDIT_GUARDED, type, status, patch_id, sequence,
		     detail);
}

enum hvp_status hvp_engine_refuse(struct hvp_engine *e, enum hvp_status status,
				  const char *what)
{
	if (status < HVP_STATUS_COUNT)
		e->counters.refusals[status]++;
	hvp_engine_event(e, HVP_AUDIT_REFUSAL, status, 0, 0, 0);
	hvp_engine_log(e, HVP_LOG_WARN, "patch: refused %s: %s: %s\n", what,
		       hvp_status_name(status), hvp_status_text(status));
	return status;
}

/*
 * The n-th refusal of its kind is logged and audited when n is at most
 * HVP_REFUSAL_BURST or a power of two: a flood of a billion leaves 34
 * lines, so it can neither roll the log ring over nor hide its own size.
 */
bool hvp_engine_recorded(uint64_t n)
{
	return n <= HVP_REFUSAL_BURST || (n & (n - 1)) == 0;
}

enum hvp_status hvp_engine_refuse_call(struct hvp_engine *e,
				       enum hvp_status status, const char *what)
{
	uint64_t n;

	if (status >= HVP_STATUS_COUNT)
		return hvp_engine_refuse(e, status, what);
	e->counters.refusals[status]++;
	n = ++e->counters.call_refusals[status];
	if (!hvp_engine_recorded(n)) {
		e->counters.unrecorded[status]++;
		return status;
	}
	record_event(e, HVP_AUDIT_FLOODABLE, HVP_AUDIT_REFUSAL, status, 0, n, 0);
	hvp_engine_log(e, HVP_LOG_WARN,
		       "patch: refused %s: %s: %s (%llu so far, %llu not logged)\n",
		       what, hvp_status_name(status), hvp_status_text(status),
		       (unsigned long long)n,
		       (unsigned long long)e->counters.unrecorded[status]);
	return status;
}

void hvp_engine_blocked_write(struct hvp_engine *e, uint64_t gpa,
			      uint32_t detail)
{
	e->counters.blocked_writes++;
	hvp_engine_event(e, HVP_AUDIT_BLOCKED_WRITE, HVP_OK, 0, gpa, detail);
}

void hvp_engine_blocked_control(struct hvp_engine *e, enum hvp_pinned what,
				uint64_t value)
{
	e->counters.blocked_control_writes++;
	hvp_engine_event(e, HVP_AUDIT_BLOCKED_CONTROL, HVP_OK, 0, value,
			 (uint32_t)what);
}

const char *hvp_engine_region_name(enum hvp_region_kind kind)
{
	return kind < HVP_REGION_COUNT ? region_names[kind] : "?";
}

void hvp_engine_init(struct hvp_engine *e, const struct hvp_platform *p)
{
	hvp_bytes_fill(e, 0, sizeof(*e));
	e->platform = p;
	e->next_patch_id = 1;
	e->int3_bound = HVP_JUMP_LABEL_INT3_BOUND;
}

enum hvp_status hvp_engine_enroll_key(struct hvp_engine *e,
				      const struct hvp_pubkey *key)
{
	for (uint32_t i = 0; i < e->key_count; i++)
		if (hvp_bytes_equal(e->keys[i].key_id, key->key_id,
				    HVP_KEY_ID_LEN))
			return HVP_OK;
	if (e->key_count == HVP_MAX_KEYS)
		return HVP_E_TABLE_FULL;
	e->keys[e->key_count++] = *key;
	return HVP_OK;
}

static bool ranges_overlap(uint64_t a, uint64_t a_len, uint64_t b,
			   uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

static uint32_t pages_of(uint64_t size)
{
	return (uint32_t)((size + HVP_PAGE_SIZE - 1) / HVP_PAGE_SIZE);
}

enum hvp_status hvp_engine_register(struct hvp_engine *e,
				    enum hvp_region_kind kind, uint64_t gva,
				    uint64_t size)
{
	uint64_t total_pages = pages_of(size);

	if (e->locked)
		return hvp_engine_refuse(e, HVP_E_LOCKED, "registration");
	if (kind >= HVP_REGION_COUNT || size == 0 || size > (1ull << 32) ||
	    gva % HVP_PAGE_SIZE != 0 || gva + size < gva)
		return hvp_engine_refuse(e, HVP_E_INVALID, "registration");
	for (unsigned int k = 0; k < HVP_REGION_COUNT; k++) {
		const struct hvp_region *r = &e->regions[k];

		if (k == kind || !r->registered)
			continue;
		if (ranges_overlap(gva, total_pages * HVP_PAGE_SIZE, r->gva,
				   (uint64_t)r->pages * HVP_PAGE_SIZE))
			return hvp_engine_refuse(e, HVP_E_INVALID,
						 "overlapping registration");
		total_pages += r->pages;
	}
	if (total_pages > HVP_MAX_PROTECTED_PAGES)
		return hvp_engine_refuse(e, HVP_E_TOO_LARGE, "registration");

	e->regions[kind] = (struct hvp_region){
		.gva = gva, .size = size, .pages = pages_of(size),
		.registered = true,
	};
	hvp_engine_event(e, HVP_AUDIT_REGISTER, HVP_OK, 0, gva, kind);
	hvp_engine_log(e, HVP_LOG_INFO,
		       "patch: registered %s %#llx..%#llx (%u pages)\n",
		       region_names[kind], (unsigned long long)gva,
		       (unsigned long long)(gva + size), e->regions[kind].pages);
	return HVP_OK;
}

enum hvp_status hvp_engine_register_image(struct hvp_engine *e, uint64_t gva,
					  uint64_t size)
{
	if (e->locked)
		return hvp_engine_refuse(e, HVP_E_LOCKED, "image registration");
	/* x86-64 Linux maps its image in at most 1 GiB (KERNEL_IMAGE_SIZE). */
	if (size == 0 || size > (1ull << 30) || gva % HVP_PAGE_SIZE != 0 ||
	    gva + size < gva)
		return hvp_engine_refuse(e, HVP_E_INVALID, "image registration");
	e->image_gva = gva;
	e->image_size = size;
	hvp_engine_log(e, HVP_LOG_INFO, "patch: registered image %#llx..%#llx\n",
		       (unsigned long long)gva, (unsigned long long)(gva + size));
	return HVP_OK;
}

/* Text and rodata are parts of the kernel image; the arena is not. */
static bool image_holds_regions(const struct hvp_engine *e)
{
	static const enum hvp_region_kind parts[] = { HVP_REGION_TEXT,
						      HVP_REGION_RODATA };

	for (unsigned int i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const struct hvp_region *r = &e->regions[parts[i]];

		if (r->registered &&
		    (r->gva < e->image_gva ||
		     r->size > e->image_size - (r->gva - e->image_gva)))
			return false;
	}
	return true;
}

static const struct hvp_region *region_of(const struct hvp_engine *e,
					  uint64_t gva)
{
	for (unsigned int k = 0; k < HVP_REGION_COUNT; k++) {
		const struct hvp_region *r = &e->regions[k];

		if (r->registered && gva >= r->gva &&
		    gva - r->gva < (uint64_t)r->pages * HVP_PAGE_SIZE)
			return r;
	}
	return NULL;
}

bool hvp_engine_protects_gva(const struct hvp_engine *e, uint64_t gva)
{
	return e->locked && region_of(e, gva);
}

/* Walks [gva, gva + len) page by page through the lock-time record. */
static enum hvp_status locked_access(struct hvp_engine *e, uint64_t gva,
				     uint8_t *dst, const uint8_t *src,
				     size_t len)
{
	const struct hvp_platform *p = e->platform;

	while (len > 0) {
		const struct hvp_region *r = region_of(e, gva);
		uint64_t in_page = gva % HVP_PAGE_SIZE;
		size_t chunk = HVP_PAGE_SIZE - in_page;
		enum hvp_status status;
		uint64_t gpa;

		if (!e->locked || !r)
			return HVP_E_TARGET_RANGE;
		gpa = e->page_gpa[r->first_page + (gva - r->gva) / HVP_PAGE_SIZE] +
		      in_page;
		if (chunk > len)
			chunk = len;
		status = dst ? p->read_gpa(p->ctx, gpa, dst, chunk) :
			       p->write_gpa(p->ctx, gpa, src, chunk);
		if (status != HVP_OK)
			return status;
		gva += chunk;
		len -= chunk;
		if (dst)
			dst += chunk;
		else
			src += chunk;
	}
	return HVP_OK;
}

enum hvp_status hvp_locked_read(struct hvp_engine *e, uint64_t gva, void *dst,
				size_t len)
{
	return locked_access(e, gva, dst, NULL, len);
}

enum hvp_status hvp_locked_write(struct hvp_engine *e, uint64_t gva,
				 const void *src, size_t len)
{
	return locked_access(e, gva, NULL, src, len);
}

static enum hvp_status record_mappings(struct hvp_engine *e, uint64_t cr3)
{
	const struct hvp_platform *p = e->platform;
	struct hvp_guest_reader reader = { p->ctx, p->read_gpa };
	uint32_t index = 0;

	for (unsigned int k = 0; k < HVP_REGION_COUNT; k++) {
		struct hvp_region *r = &e->regions[k];

		r->first_page = index;
		for (uint32_t i = 0; r->registered && i < r->pages; i++) {
			struct hvp_gva_translation t;
			uint8_t probe;
			enum hvp_status status = hvp_guest_walk(
				&reader, cr3, r->gva + (uint64_t)i * HVP_PAGE_SIZE,
				&t);

			if (status != HVP_OK)
				return HVP_E_NOT_MAPPED;
			/* The page itself must be guest RAM, not MMIO. */
			if (p->read_gpa(p->ctx, t.gpa, &probe, 1) != HVP_OK)
				return HVP_E_BAD_POINTER;
			e->page_gpa[index++] = t.gpa & ~(uint64_t)(HVP_PAGE_SIZE - 1);
		}
	}
	e->page_count = index;
	return HVP_OK;
}

/* The GNU build-id note (ELF gABI, "Note Section"; type NT_GNU_BUILD_ID). */
static enum hvp_status read_build_id(struct hvp_engine *e, uint64_t note_gva)
{
	struct {
		uint32_t namesz, descsz, type;
		uint8_t name[4];
	} note;
	const struct hvp_region *r = region_of(e, note_gva);

	if (!r || r == &e->regions[HVP_REGION_ARENA])
		return HVP_E_TARGET_RANGE;
	if (hvp_locked_read(e, note_gva, &note, sizeof(note)) != HVP_OK)
		return HVP_E_TARGET_RANGE;
	if (note.namesz != 4 || note.type != 3 ||
	    !hvp_bytes_equal(note.name, "GNU", 4) || note.descsz == 0 ||
	    note.descsz > HVP_BUILD_ID_MAX)
		return HVP_E_INVALID;
	if (hvp_locked_read(e, note_gva + sizeof(note), e->build_id,
			    note.descsz) != HVP_OK)
		return HVP_E_TARGET_RANGE;
	e->build_id_len = note.descsz;
	return HVP_OK;
}

/* Restores the rights saved in old_perms for the first count pages. */
static void restore_perms(struct hvp_engine *e, const uint8_t *old_perms,
			  uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		hvp_ept_set_perms(e->platform->ept, e->page_gpa[i],
				  HVP_PAGE_SIZE, old_perms[i]);
}

static enum hvp_status protect_pages(struct hvp_engine *e)
{
	/* Scratch for the old rights: the undo buffer is unused before lock. */
	uint8_t *old_perms = e->undo;
	struct hvp_ept *ept = e->platform->ept;
	const unsigned int *perms = e->platform->mbec ? region_perms_mbec :
							region_perms;

	_Static_assert(sizeof(e->undo) >= HVP_MAX_PROTECTED_PAGES,
		       "undo buffer holds one byte per protected page");
	for (unsigned int k = 0; k < HVP_REGION_COUNT; k++) {
		const struct hvp_region *r = &e->regions[k];

		for (uint32_t i = 0; r->registered && i < r->pages; i++) {
			uint32_t page = r->first_page + i;
			struct hvp_ept_mapping m;

			if (hvp_ept_lookup(ept, e->page_gpa[page], &m) !=
				    HVP_OK ||
			    !m.present ||
			    hvp_ept_set_perms(ept, e->page_gpa[page],
					      HVP_PAGE_SIZE,
					      perms[k]) != HVP_OK) {
				restore_perms(e, old_perms, page);
				return HVP_E_NO_MEMORY;
			}
			old_perms[page] = (uint8_t)m.perms;
		}
	}
	return HVP_OK;
}

enum hvp_status hvp_engine_lock(struct hvp_engine *e, uint64_t cr3,
				uint64_t build_id_note_gva)
{
	enum hvp_status status;

	if (e->locked)
		return hvp_engine_refuse(e, HVP_E_LOCKED, "second lock");
	if (!e->regions[HVP_REGION_TEXT].registered ||
	    !e->regions[HVP_REGION_ARENA].registered || e->image_size == 0)
		return hvp_engine_refuse(e, HVP_E_NOT_REGISTERED, "lock");
	if (!image_holds_regions(e))
		return hvp_engine_refuse(e, HVP_E_INVALID,
					 "lock (text or rodata outside the image)");

	status = record_mappings(e, cr3);
	if (status == HVP_OK) {
		/* The record is only trusted once locked: read the note
		 * through it, and undo the flag if anything fails. */
		e->locked = true;
		status = read_build_id(e, build_id_note_gva);
		if (status == HVP_OK)
			status = hvp_jump_label_index(e);
		if (status == HVP_OK)
			status = hvp_kernel_exec_lock(e, cr3);
		if (status == HVP_OK) {
			status = protect_pages(e);
			if (status == HVP_OK) {
				status = hvp_translation_pin(e, cr3);
				if (status != HVP_OK)
					restore_perms(e, e->undo, e->page_count);
			}
			/* After the regions' rights: it restores execute. */
			if (status != HVP_OK)
				hvp_kernel_exec_unlock(e);
		}
		e->locked = status == HVP_OK;
	}
	if (status != HVP_OK) {
		e->page_count = 0;
		e->build_id_len = 0;
		return hvp_engine_refuse(e, status, "lock");
	}
	e->platform->flush(e->platform->ctx);
	hvp_engine_event(e, HVP_AUDIT_LOCK, HVP_OK, 0, 0, e->page_count);
	hvp_engine_log(e, HVP_LOG_INFO,
		       "patch: locked %u pages (text %u, rodata %u, arena %u)\n",
		       e->page_count, e->regions[HVP_REGION_TEXT].pages,
		       e->regions[HVP_REGION_RODATA].pages,
		       e->regions[HVP_REGION_ARENA].pages);
	return HVP_OK;
}

const struct hvp_applied_patch *
hvp_engine_find_patch(const struct hvp_engine *e, uint32_t patch_id)
{
	for (uint32_t i = 0; patch_id != 0 && i < HVP_MAX_APPLIED; i++)
		if (e->patches[i].id == patch_id)
			return &e->patches[i];
	return NULL;
}

/* The locked page that holds gpa: its region and its page index there. */
static bool locked_page_of(const struct hvp_engine *e, uint64_t gpa,
			   enum hvp_region_kind *kind, uint32_t *page_index)
{
	uint64_t page = gpa & ~(uint64_t)(HVP_PAGE_SIZE - 1);

	if (!e->locked)
		return false;
	for (unsigned int k = 0; k < HVP_REGION_COUNT; k++) {
		const struct hvp_region *r = &e->regions[k];

		for (uint32_t i = 0; r->registered && i < r->pages; i++) {
			if (e->page_gpa[r->first_page + i] == page) {
				*kind = (enum hvp_region_kind)k;
				*page_index = i;
				return true;
			}
		}
	}
	return false;
}

bool hvp_engine_protects(const struct hvp_engine *e, uint64_t gpa,
			 enum hvp_region_kind *kind)
{
	uint32_t page_index;

	return locked_page_of(e, gpa, kind, &page_index);
}

bool hvp_engine_text_gva(const struct hvp_engine *e, uint64_t gpa,
			 uint64_t *gva)
{
	enum hvp_region_kind kind;
	uint32_t i;

	if (!locked_page_of(e, gpa, &kind, &i) || kind != HVP_REGION_TEXT)
		return false;
	*gva = e->regions[HVP_REGION_TEXT].gva + (uint64_t)i * HVP_PAGE_SIZE +
	       gpa % HVP_PAGE_SIZE;
	return true;
}
