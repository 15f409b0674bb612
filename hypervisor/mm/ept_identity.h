/* SPDX-License-Identifier: MIT */
#ifndef HVPATCH_MM_EPT_IDENTITY_H
#define HVPATCH_MM_EPT_IDENTITY_H

#include "mm/ept.h"
#include "mm/mtrr.h"

/*
 * Identity-maps guest-physical [0, limit) read/write/execute, with the
 * memory type the MTRRs give each range (2 MiB leaves where the type is
 * uniform, 4 KiB where it is not), then removes [hidden, hidden + size):
 * the hypervisor's own memory, which the guest must never reach.
 */
enum hvp_status hvp_ept_identity_map(struct hvp_ept *ept,
				     const struct hvp_mtrr_state *mtrr,
				     uint64_t limit, uint64_t hidden,
				     uint64_t hidden_size);

#endif /* HVPATCH_MM_EPT_IDENTITY_H */
