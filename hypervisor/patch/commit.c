// SPDX-License-Identifier: MIT
/*
 * Apply and revert: the only code that writes protected guest memory.
 *
 * Apply is all or nothing.  The plan has already checked everything that
 * can be checked; what is left to fail is a platform write, and then every
 * byte written so far is put back before the vCPUs resume.
 */
#include "patch/internal.h"

#include "lib/bytes.h"

static struct hvp_applied_patch *free_slot(struct hvp_engine *e)
{
	for (uint32_t i = 0; i < HVP_MAX_APPLIED; i++)
		if (e->patches[i].id == 0)
			return &e->patches[i];
	return NULL;
}

/* Puts back the first `written` trampolines and the arena bytes. */
static void undo_commit(struct hvp_engine *e, const struct hvp_plan *plan,
			uint32_t written)
{
	for (uint32_t i = 0; i < written; i++)
		hvp_locked_write(e, plan->sites[i].gva,
				 plan->sites[i].old_bytes, HVP_TRAMPOLINE_LEN);
	hvp_locked_write(e, plan->arena_gva, e->undo, plan->arena_len);
}

static enum hvp_status write_plan(struct hvp_engine *e,
				  const struct hvp_plan *plan)
{
	uint32_t written = 0;

	if (hvp_locked_read(e, plan->arena_gva, e->undo, plan->arena_len) !=
	    HVP_OK)
		return HVP_E_INTERNAL;
	if (hvp_locked_write(e, plan->arena_gva, e->code, plan->arena_len) !=
	    HVP_OK)
		goto undo;
	for (; written < plan->site_count; written++)
		if (hvp_locked_write(e, plan->sites[written].gva,
				     plan->trampolines[written],
				     HVP_TRAMPOLINE_LEN) != HVP_OK)
			goto undo;
	return HVP_OK;
undo:
	undo_commit(e, plan, written);
	return HVP_E_INTERNAL;
}

static enum hvp_status commit(struct hvp_engine *e,
			      const struct hvp_plan *plan, uint32_t *patch_id)
{
	struct hvp_applied_patch *slot = free_slot(e);
	uint64_t held_since;
	enum hvp_status status;

	if (!slot)
		return HVP_E_TABLE_FULL;
	status = hvp_hold_vcpus(e, plan->sites, plan->site_count, &held_since);
	if (status != HVP_OK)
		return status;
	status = write_plan(e, plan);
	hvp_release_vcpus(e, held_since);
	if (status != HVP_OK)
		return status;

	*slot = (struct hvp_applied_patch){
		.id = e->next_patch_id++,
		.site_count = plan->site_count,
		.sequence = plan->sequence,
		.arena_gva = plan->arena_gva,
		.arena_len = plan->arena_len,
	};
	hvp_bytes_copy(slot->key_id, e->keys[plan->key_index].key_id,
		       HVP_KEY_ID_LEN);
	hvp_bytes_copy(slot->sites, plan->sites,
		       plan->site_count * sizeof(plan->sites[0]));
	/* Reverted code stays in the arena: a guest thread may still be
	 * running in it, so its space is never handed out again. */
	e->arena_used += (plan->arena_len + 15) & ~(uint64_t)15;
	e->last_sequence[plan->key_index] = plan->sequence;
	*patch_id = slot->id;
	return HVP_OK;
}

enum hvp_status hvp_engine_apply(struct hvp_engine *e, uint64_t page_list_gpa,
				 uint32_t *patch_id)
{
	struct hvp_bundle_view view;
	struct hvp_plan plan;
	enum hvp_status status;
	size_t len;

	if (!e->locked)
		return hvp_engine_refuse(e, HVP_E_NOT_LOCKED, "apply");
	status = hvp_copy_in(e, page_list_gpa, &len);
	if (status == HVP_OK)
		status = hvp_bundle_parse(e->bundle, len, &view);
	if (status == HVP_OK)
		status = hvp_verify_bundle(e, &view, &plan.key_index);
	if (status == HVP_OK)
		status = hvp_plan_bundle(e, &view, &plan);
	if (status == HVP_OK) {
		plan.sequence = view.header->sequence;
		status = commit(e, &plan, patch_id);
	}
	if (status != HVP_OK)
		return hvp_engine_refuse(e, status, "apply");

	e->counters.applies++;
	hvp_engine_event(e, HVP_AUDIT_APPLY, HVP_OK, *patch_id, plan.sequence,
			 plan.site_count);
	hvp_engine_log(e, HVP_LOG_INFO,
		       "patch: applied #%u (sequence %llu, %u sites, %llu arena bytes, vCPUs held %llu cycles)\n",
		       *patch_id, (unsigned long long)plan.sequence,
		       plan.site_count, (unsigned long long)plan.arena_len,
		       (unsigned long long)e->counters.last_hold_cycles);
	return HVP_OK;
}

enum hvp_status hvp_engine_revert(struct hvp_engine *e, uint32_t patch_id)
{
	struct hvp_applied_patch *ap = NULL;
	uint64_t held_since;
	enum hvp_status status = HVP_OK;
	uint32_t restored = 0;

	for (uint32_t i = 0; patch_id != 0 && i < HVP_MAX_APPLIED; i++)
		if (e->patches[i].id == patch_id)
			ap = &e->patches[i];
	if (!ap)
		return hvp_engine_refuse(e, HVP_E_NO_SUCH_PATCH, "revert");
	status = hvp_hold_vcpus(e, ap->sites, ap->site_count, &held_since);
	if (status != HVP_OK)
		return hvp_engine_refuse(e, status, "revert");
	for (; restored < ap->site_count; restored++) {
		const struct hvp_patch_site *site = &ap->sites[restored];
		uint8_t trampoline[HVP_TRAMPOLINE_LEN];

		/* Re-read what we wrote, so a failure can put it back. */
		if (hvp_locked_read(e, site->gva, trampoline,
				    sizeof(trampoline)) != HVP_OK ||
		    hvp_locked_write(e, site->gva, site->old_bytes,
				     HVP_TRAMPOLINE_LEN) != HVP_OK) {
			status = HVP_E_INTERNAL;
			break;
		}
		hvp_bytes_copy(e->undo + restored * HVP_TRAMPOLINE_LEN,
			       trampoline, sizeof(trampoline));
	}
	if (status != HVP_OK)
		for (uint32_t i = 0; i < restored; i++)
			hvp_locked_write(e, ap->sites[i].gva,
					 e->undo + i * HVP_TRAMPOLINE_LEN,
					 HVP_TRAMPOLINE_LEN);
	hvp_release_vcpus(e, held_since);
	if (status != HVP_OK)
		return hvp_engine_refuse(e, status, "revert");

	e->counters.reverts++;
	hvp_engine_event(e, HVP_AUDIT_REVERT, HVP_OK, patch_id, ap->sequence,
			 ap->site_count);
	hvp_engine_log(e, HVP_LOG_INFO, "patch: reverted #%u (%u sites)\n",
		       patch_id, ap->site_count);
	ap->id = 0;
	return HVP_OK;
}
