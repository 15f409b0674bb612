/* SPDX-License-Identifier: MIT */
/*
 * A raw dump of one machine's running kernel text, starting at _stext
 * (the alternative to the vmlinux, vmlinux.h), and the build-id of an ELF
 * file.
 */
#ifndef HVPATCH_TOOL_KERNEL_TEXT_H
#define HVPATCH_TOOL_KERNEL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kernel_text {
	uint8_t *bytes;
	uint64_t base; /* address of bytes[0] */
	size_t len;
};

bool kernel_text_from_dump(const char *path, uint64_t text_base,
			   struct kernel_text *text);
/* The bytes at [address, address + len), or NULL when not covered. */
const uint8_t *kernel_text_at(const struct kernel_text *text, uint64_t address,
			      size_t len);

/* The GNU build-id from an ELF file's notes. */
bool elf_build_id(const char *path, uint8_t *id, size_t max, size_t *len);

#endif /* HVPATCH_TOOL_KERNEL_TEXT_H */
