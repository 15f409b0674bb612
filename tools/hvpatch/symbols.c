// SPDX-License-Identifier: MIT
#include "symbols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int by_address(const void *a, const void *b)
{
	const struct kernel_symbol *x = a, *y = b;

	return x->address < y->address ? -1 : x->address > y->address;
}

static struct symbol_range find_range(const struct symbol_map *map,
				      const char *start, const char *end)
{
	const struct kernel_symbol *s = symbol_map_find(map, start);
	const struct kernel_symbol *e = symbol_map_find(map, end);

	if (!s || !e || e->address < s->address)
		return (struct symbol_range){ 0, 0 };
	return (struct symbol_range){ s->address, e->address };
}

bool symbol_map_load(const char *path, struct symbol_map *map)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0, lineno = 0;
	const struct kernel_symbol *stext;

	memset(map, 0, sizeof(*map));
	if (!f) {
		errorf("%s: cannot open symbol map", path);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long address;
		char type, name[256];

		lineno++;
		/* kallsyms may add a "[module]" column: ignored. */
		if (sscanf(line, "%llx %c %255s", &address, &type, name) != 3) {
			errorf("%s:%zu: not a symbol map line", path, lineno);
			fclose(f);
			return false;
		}
		if (map->count == cap) {
			cap = cap ? cap * 2 : 4096;
			map->symbols = realloc(map->symbols,
					       cap * sizeof(*map->symbols));
			if (!map->symbols) {
				fclose(f);
				return false;
			}
		}
		map->symbols[map->count++] = (struct kernel_symbol){
			.address = address, .type = type, .name = strdup(name),
		};
	}
	fclose(f);
	qsort(map->symbols, map->count, sizeof(*map->symbols), by_address);
	stext = symbol_map_find(map, "_stext");
	if (!stext) {
		errorf("%s: no _stext symbol (the kernel text base)", path);
		return false;
	}
	map->text_base = stext->address;
	map->image = find_range(map, "_text", "_end");
	map->percpu = find_range(map, "__per_cpu_start", "__per_cpu_end");
	map->init = find_range(map, "__init_begin", "__init_end");
	if (map->image.start >= map->image.end) {
		errorf("%s: no _text and _end symbols (the kernel image)", path);
		return false;
	}
	return true;
}

static bool in_range(struct symbol_range r, uint64_t address)
{
	return address >= r.start && address < r.end;
}

/*
 * Per-CPU variables are linked at 0 (Linux x86-64, CONFIG_SMP): System.map
 * shows them inside __per_cpu_start..__per_cpu_end, /proc/kallsyms with
 * absolute percpu as `A` symbols; either way their value is an offset
 * from %gs that KASLR does not move (arch/x86/tools/relocs.c).
 */
enum symbol_kind symbol_classify(const struct symbol_map *map,
				 const struct kernel_symbol *sym)
{
	if (in_range(map->percpu, sym->address) &&
	    sym->address < map->image.start)
		return SYMBOL_PERCPU;
	if (sym->type == 'A' || sym->type == 'a')
		return SYMBOL_ABSOLUTE;
	if (in_range(map->init, sym->address))
		return SYMBOL_INIT;
	/* _end itself is a fair reference: the bss ends there. */
	if (sym->address >= map->image.start && sym->address <= map->image.end)
		return SYMBOL_IMAGE;
	return SYMBOL_OUTSIDE;
}

const struct kernel_symbol *symbol_map_find(const struct symbol_map *map,
					    const char *name)
{
	for (size_t i = 0; i < map->count; i++)
		if (strcmp(map->symbols[i].name, name) == 0)
			return &map->symbols[i];
	return NULL;
}

uint64_t symbol_map_extent(const struct symbol_map *map,
			   const struct kernel_symbol *sym)
{
	for (size_t i = (size_t)(sym - map->symbols) + 1; i < map->count; i++)
		if (map->symbols[i].address > sym->address)
			return map->symbols[i].address - sym->address;
	return 0;
}
