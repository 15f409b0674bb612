/* SPDX-License-Identifier: MIT */
/*
 * The run-time fields of an old function (docs/bundle-format.md,
 * "Fields"), from its vmlinux: every place the kernel may rewrite at boot
 * or for KASLR, with what it may hold there.
 */
#ifndef HVPATCH_TOOL_RUNTIME_FIELDS_H
#define HVPATCH_TOOL_RUNTIME_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "hvpatch/abi.h"
#include "vmlinux.h"

struct field_set {
	struct hvp_field fields[HVP_MAX_FIELDS];
	uint32_t count;
	uint8_t encodings[HVP_MAX_FIELDS * 4 * HVP_FIELD_MAX_LEN];
	uint32_t encodings_len;
};

/*
 * Fills out for the function `name` at link address [address, address +
 * size), patched at site_offset (its fentry site).  False, with a message
 * naming the function and the place, for what no field can express.
 */
bool runtime_fields(const struct vmlinux *v, const char *name,
		    uint64_t address, uint64_t size, uint32_t site_offset,
		    struct field_set *out);

#endif /* HVPATCH_TOOL_RUNTIME_FIELDS_H */
