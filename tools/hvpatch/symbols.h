/* SPDX-License-Identifier: MIT */
/*
 * A kernel symbol map: System.map, or a dump of /proc/kallsyms (same
 * shape: "ffffffff81000000 T _stext").
 */
#ifndef HVPATCH_TOOL_SYMBOLS_H
#define HVPATCH_TOOL_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kernel_symbol {
	uint64_t address;
	char type;
	char *name;
};

/* [start, end) from a pair of marker symbols; empty when either is absent. */
struct symbol_range {
	uint64_t start, end;
};

struct symbol_map {
	struct kernel_symbol *symbols; /* sorted by address */
	size_t count;
	uint64_t text_base;            /* address of _stext */
	struct symbol_range image;     /* _text .. _end */
	struct symbol_range percpu;    /* __per_cpu_start .. __per_cpu_end */
	struct symbol_range init;      /* __init_begin .. __init_end */
};

/* What a patch's reference to a kernel symbol becomes in the bundle. */
enum symbol_kind {
	SYMBOL_IMAGE,    /* moves with KASLR: a KERNEL relocation */
	SYMBOL_PERCPU,   /* a %gs offset: an ABSOLUTE relocation */
	SYMBOL_ABSOLUTE, /* an `A` symbol: an ABSOLUTE relocation */
	SYMBOL_INIT,     /* init code or data, freed after boot: refused */
	SYMBOL_OUTSIDE,  /* none of the above (a module's, weak): refused */
};

bool symbol_map_load(const char *path, struct symbol_map *map);
const struct kernel_symbol *symbol_map_find(const struct symbol_map *map,
					    const char *name);
enum symbol_kind symbol_classify(const struct symbol_map *map,
				 const struct kernel_symbol *sym);
/* Bytes from sym to the next symbol at a higher address, or 0. */
uint64_t symbol_map_extent(const struct symbol_map *map,
			   const struct kernel_symbol *sym);

#endif /* HVPATCH_TOOL_SYMBOLS_H */
