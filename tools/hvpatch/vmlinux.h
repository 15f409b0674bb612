/* SPDX-License-Identifier: MIT */
/*
 * What the kernel's own vmlinux (linked with --emit-relocs, as Linux x86
 * with CONFIG_RELOCATABLE is; Debian ships it in linux-image-*-dbg) says
 * about its text: function sizes, the relocations KASLR applies, and the
 * sites the kernel rewrites at boot.  All addresses are link addresses.
 */
#ifndef HVPATCH_TOOL_VMLINUX_H
#define HVPATCH_TOOL_VMLINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmlinux_reloc {
	uint64_t offset;   /* the field's link address */
	uint32_t type;     /* R_X86_64_* */
	bool percpu;       /* against a per-CPU symbol (linked at 0) */
	bool absolute;     /* against an SHN_ABS symbol */
};

/* Sites the kernel rewrites, sorted by address; len 0 when the table
 * does not say. */
struct site {
	uint64_t at;
	uint32_t len;
};

struct site_list {
	struct site *sites;
	size_t count;
};

struct jump_site {
	uint64_t code, target;
};

struct vmlinux {
	const char *path;
	void *elf;  /* Elf *, kept open: section data points into it */
	void *syms; /* Elf_Data * of the symbol table */
	size_t sym_count, str_index;
	int fd;
	uint64_t stext;
	struct vmlinux_reloc *relocs; /* .rela.text, sorted by offset */
	size_t reloc_count;
	struct site_list fentry, smp_locks, return_sites, retpolines;
	struct site_list alternatives, paravirt, static_calls;
	struct jump_site *jumps;      /* __jump_table, sorted by code */
	size_t jump_count;
	uint64_t return_thunks[8];    /* every *_return_thunk function */
	size_t return_thunk_count;
};

bool vmlinux_open(const char *path, struct vmlinux *v);

/* A function symbol's address and size from the ELF symbol table. */
bool vmlinux_function(const struct vmlinux *v, const char *name,
		      uint64_t *address, uint64_t *size);

/* The name of the function symbol at address, or NULL. */
const char *vmlinux_symbol_at(const struct vmlinux *v, uint64_t address);

/* The as-built bytes at link address [address, address + len), or NULL. */
const uint8_t *vmlinux_bytes(const struct vmlinux *v, uint64_t address,
			     uint64_t len);

/* Index of the first entry at or after address in a sorted list. */
size_t site_list_first(const struct site_list *l, uint64_t address);

#endif /* HVPATCH_TOOL_VMLINUX_H */
