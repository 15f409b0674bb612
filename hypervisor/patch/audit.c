// SPDX-License-Identifier: MIT
#include "patch/audit.h"

void hvp_audit_record(struct hvp_audit *audit, const struct hvp_audit_event *ev)
{
	uint64_t serial = ++audit->next_serial;
	struct hvp_audit_event *slot = &audit->ring[serial % HVP_AUDIT_ENTRIES];

	*slot = *ev;
	slot->serial = serial;
}

uint32_t hvp_audit_read(const struct hvp_audit *audit, uint64_t from,
			struct hvp_audit_event *out, uint32_t max)
{
	uint64_t last = audit->next_serial;
	uint64_t oldest = last >= HVP_AUDIT_ENTRIES ?
				  last - HVP_AUDIT_ENTRIES + 1 : 1;
	uint32_t n = 0;

	if (from < oldest)
		from = oldest;
	for (uint64_t s = from; s <= last && n < max; s++)
		out[n++] = audit->ring[s % HVP_AUDIT_ENTRIES];
	return n;
}
