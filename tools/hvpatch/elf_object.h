/* SPDX-License-Identifier: MIT */
/*
 * A patch object: an ELF relocatable compiled from C, laid out as one code
 * blob (its text and read-only data) with the relocations still to apply.
 */
#ifndef HVPATCH_TOOL_ELF_OBJECT_H
#define HVPATCH_TOOL_ELF_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvpatch/abi.h"

struct object_function {
	char *name;
	uint32_t offset; /* in the blob */
};

struct object_reloc {
	struct hvp_reloc reloc; /* SELF resolved; KERNEL still by name */
	char *kernel_symbol;    /* NULL for SELF */
};

struct patch_object {
	uint8_t *blob;
	uint32_t blob_len;
	struct object_function *functions; /* global functions */
	size_t function_count;
	struct object_reloc *relocs;
	size_t reloc_count;
};

bool patch_object_load(const char *path, struct patch_object *obj);
const struct object_function *
patch_object_function(const struct patch_object *obj, const char *name);

#endif /* HVPATCH_TOOL_ELF_OBJECT_H */
