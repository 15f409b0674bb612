/* SPDX-License-Identifier: MIT */
#ifndef HVPATCH_LOADER_CPUS_H
#define HVPATCH_LOADER_CPUS_H

#include <stdint.h>

#include "boot.h"

/* Enabled processors (1 when the firmware has no MP services). */
uint32_t cpus_count(void);

/*
 * Virtualizes every AP, then the BSP, with the hypervisor's entry points
 * (copied: once the BSP is a guest it cannot read hypervisor memory).
 * Returns the number of CPUs virtualized; they all must be.
 */
uint32_t cpus_virtualize_all(const struct hvp_entry_points *entry,
			     uint32_t count);

#endif /* HVPATCH_LOADER_CPUS_H */
