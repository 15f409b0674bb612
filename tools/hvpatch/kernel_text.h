/* SPDX-License-Identifier: MIT */
/*
 * Where the old function bytes come from: a vmlinux ELF, or a raw dump of
 * the running kernel's text starting at _stext.  The running text differs
 * from vmlinux (alternatives, ftrace, return thunks are patched at boot),
 * and the hypervisor compares against the running text, so a dump is what
 * a real patch is built against.
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
/* The lowest-to-highest span of vmlinux's allocated PROGBITS sections. */
bool kernel_text_from_vmlinux(const char *path, struct kernel_text *text);
/* The bytes at [address, address + len), or NULL when not covered. */
const uint8_t *kernel_text_at(const struct kernel_text *text, uint64_t address,
			      size_t len);

/* The GNU build-id from an ELF file's notes. */
bool elf_build_id(const char *path, uint8_t *id, size_t max, size_t *len);

#endif /* HVPATCH_TOOL_KERNEL_TEXT_H */
