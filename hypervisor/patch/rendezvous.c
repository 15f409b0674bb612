// SPDX-License-Identifier: MIT
/*
 * Holding the vCPUs for a text change.
 *
 * Every other vCPU is parked in VMX root, so no guest instruction runs
 * while the trampoline bytes change.  A parked vCPU whose RIP lies inside
 * the 5 bytes being replaced would resume in the middle of the new
 * instruction, so it is let go and the hold retried; if that keeps
 * happening the call is refused as busy rather than risk it.
 */
#include "patch/internal.h"

#define HVP_MAX_VCPUS 256u

static bool rip_inside_sites(uint64_t rip, const struct hvp_patch_site *sites,
			     uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		if (rip >= sites[i].gva && rip - sites[i].gva < HVP_TRAMPOLINE_LEN)
			return true;
	return false;
}

static bool any_vcpu_inside(struct hvp_engine *e,
			    const struct hvp_patch_site *sites, uint32_t count)
{
	const struct hvp_platform *p = e->platform;
	uint64_t rips[HVP_MAX_VCPUS];
	unsigned int n = p->vcpu_rips(p->ctx, rips, HVP_MAX_VCPUS);

	for (unsigned int v = 0; v < n; v++)
		if (rip_inside_sites(rips[v], sites, count))
			return true;
	return false;
}

enum hvp_status hvp_hold_vcpus(struct hvp_engine *e,
			       const struct hvp_patch_site *sites,
			       uint32_t count, uint64_t *held_since)
{
	const struct hvp_platform *p = e->platform;

	for (unsigned int attempt = 0; attempt < HVP_RENDEZVOUS_RETRIES;
	     attempt++) {
		enum hvp_status status = p->pause_others(p->ctx);

		if (status != HVP_OK)
			return status;
		if (!any_vcpu_inside(e, sites, count)) {
			*held_since = p->timestamp(p->ctx);
			return HVP_OK;
		}
		p->resume_others(p->ctx);
	}
	return HVP_E_BUSY;
}

void hvp_release_vcpus(struct hvp_engine *e, uint64_t held_since)
{
	const struct hvp_platform *p = e->platform;
	uint64_t held;

	/* New code must be visible to every CPU before any resumes. */
	p->flush(p->ctx);
	held = p->timestamp(p->ctx) - held_since;
	p->resume_others(p->ctx);
	e->counters.last_hold_cycles = held;
	if (held > e->counters.max_hold_cycles)
		e->counters.max_hold_cycles = held;
}
