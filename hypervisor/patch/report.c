// SPDX-License-Identifier: MIT
#include "patch/report.h"

_Static_assert(HVP_REGION_COUNT == sizeof(((struct hvp_status_info *)0)->region_gva) /
				   sizeof(hvp_u64),
	       "struct hvp_status_info has a slot per region");

void hvp_engine_report_status(const struct hvp_engine *e,
			      struct hvp_status_info *s)
{
	s->flags = (e->locked ? HVP_STATUS_LOCKED : 0) |
		   (e->platform->mbec ? HVP_STATUS_MBEC : 0) |
		   (e->kernel_exec.mode == HVP_KERNEL_EXEC_ANY ?
			    HVP_STATUS_KERNEL_EXEC_ANY : 0);
	s->key_count = e->key_count;
	for (uint32_t i = 0; i < HVP_MAX_APPLIED; i++)
		s->applied_count += e->patches[i].id != 0;
	s->build_id_len = e->build_id_len;
	for (uint32_t i = 0; i < e->build_id_len; i++)
		s->build_id[i] = e->build_id[i];
	for (int r = 0; r < HVP_REGION_COUNT; r++) {
		s->region_gva[r] = e->regions[r].gva;
		s->region_size[r] = e->regions[r].size;
	}
	s->arena_used = e->arena_used;
	s->applies = e->counters.applies;
	s->reverts = e->counters.reverts;
	for (int i = 0; i < HVP_STATUS_COUNT; i++)
		s->refusals += e->counters.refusals[i];
	s->blocked_writes = e->counters.blocked_writes;
	s->last_hold_cycles = e->counters.last_hold_cycles;
}

uint32_t hvp_engine_list_patches(const struct hvp_engine *e,
				 struct hvp_patch_info *out, uint32_t max)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < HVP_MAX_APPLIED && n < max; i++) {
		const struct hvp_applied_patch *p = &e->patches[i];

		if (!p->id)
			continue;
		out[n] = (struct hvp_patch_info){ .id = p->id, .site_count = p->site_count,
						  .sequence = p->sequence,
						  .arena_gva = p->arena_gva };
		for (uint32_t k = 0; k < HVP_KEY_ID_LEN; k++)
			out[n].key_id[k] = p->key_id[k];
		n++;
	}
	return n;
}

void hvp_engine_report_counters(const struct hvp_engine *e,
				struct hvp_counters *c)
{
	for (int i = 0; i < HVP_STATUS_COUNT; i++)
		c->refusals[i] = e->counters.refusals[i];
	c->blocked_writes = e->counters.blocked_writes;
	c->jump_label_writes = e->counters.jump_label_writes;
	for (int i = 0; i < HVP_STATUS_COUNT; i++)
		c->unrecorded[i] = e->counters.unrecorded[i];
	c->audit_overwritten = hvp_audit_overwritten(&e->audit, HVP_AUDIT_GUARDED);
	c->audit_floodable_overwritten = hvp_audit_overwritten(&e->audit, HVP_AUDIT_FLOODABLE);
	c->blocked_control_writes = e->counters.blocked_control_writes;
	c->jump_label_int3 = e->counters.jump_label_int3;
	c->blocked_execs = e->counters.blocked_execs;
	c->new_kernel_code = e->counters.new_kernel_code;
}

uint32_t hvp_engine_audit_read(const struct hvp_engine *e, uint64_t from,
			       struct hvp_audit_event *out, uint32_t max)
{
	return hvp_audit_read(&e->audit, from, out, max);
}
