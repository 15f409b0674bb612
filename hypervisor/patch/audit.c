// SPDX-License-Identifier: MIT
#include "patch/audit.h"

static const uint32_t ring_size[HVP_AUDIT_RINGS] = {
	[HVP_AUDIT_GUARDED] = HVP_AUDIT_ENTRIES,
	[HVP_AUDIT_FLOODABLE] = HVP_AUDIT_FLOODABLE_ENTRIES,
};

/* The event stored index-th in a ring (counting from 0 at boot). */
static const struct hvp_audit_event *held(const struct hvp_audit *audit,
					  enum hvp_audit_ring ring,
					  uint64_t index)
{
	const struct hvp_audit_event *slots =
		ring == HVP_AUDIT_GUARDED ? audit->guarded : audit->floodable;

	return &slots[index % ring_size[ring]];
}

void hvp_audit_record(struct hvp_audit *audit, enum hvp_audit_ring ring,
		      const struct hvp_audit_event *ev)
{
	struct hvp_audit_event *slot = (struct hvp_audit_event *)held(
		audit, ring, audit->stored[ring]++);

	*slot = *ev;
	slot->serial = ++audit->last_serial;
}

uint64_t hvp_audit_overwritten(const struct hvp_audit *audit,
			       enum hvp_audit_ring ring)
{
	return audit->stored[ring] > ring_size[ring] ?
		       audit->stored[ring] - ring_size[ring] : 0;
}

/* Index (in events ever stored) of the ring's oldest held event whose
 * serial is at least from; audit->stored[ring] if there is none. */
static uint64_t first_at(const struct hvp_audit *audit,
			 enum hvp_audit_ring ring, uint64_t from)
{
	uint64_t i = hvp_audit_overwritten(audit, ring);

	while (i < audit->stored[ring] && held(audit, ring, i)->serial < from)
		i++;
	return i;
}

uint32_t hvp_audit_read(const struct hvp_audit *audit, uint64_t from,
			struct hvp_audit_event *out, uint32_t max)
{
	uint64_t next[HVP_AUDIT_RINGS];
	uint32_t n = 0;

	for (int r = 0; r < HVP_AUDIT_RINGS; r++)
		next[r] = first_at(audit, (enum hvp_audit_ring)r, from);
	/* Both rings hold rising serials: merge them. */
	while (n < max) {
		int pick = -1;

		for (int r = 0; r < HVP_AUDIT_RINGS; r++) {
			enum hvp_audit_ring ring = (enum hvp_audit_ring)r;

			if (next[r] < audit->stored[r] &&
			    (pick < 0 ||
			     held(audit, ring, next[r])->serial <
				     held(audit, (enum hvp_audit_ring)pick,
					  next[pick])->serial))
				pick = r;
		}
		if (pick < 0)
			break;
		out[n++] = *held(audit, (enum hvp_audit_ring)pick, next[pick]++);
	}
	return n;
}
