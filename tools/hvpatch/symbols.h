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

struct symbol_map {
	struct kernel_symbol *symbols; /* sorted by address */
	size_t count;
	uint64_t text_base;            /* address of _stext */
};

bool symbol_map_load(const char *path, struct symbol_map *map);
const struct kernel_symbol *symbol_map_find(const struct symbol_map *map,
					    const char *name);
/* Bytes from sym to the next symbol at a higher address, or 0. */
uint64_t symbol_map_extent(const struct symbol_map *map,
			   const struct kernel_symbol *sym);

#endif /* HVPATCH_TOOL_SYMBOLS_H */
