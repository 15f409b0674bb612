// SPDX-License-Identifier: MIT
/*
 * hvpatch build: patch object + kernel symbol map + kernel text → an
 * unsigned bundle.  Every check the hypervisor will make against the
 * running kernel (pre-image, function hash) is prepared here from the
 * same bytes, so a bundle built against a dump of the running text
 * applies, and one built against another build is refused.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_writer.h"
#include "commands.h"
#include "elf_object.h"
#include "hvp_crypto.h"
#include "kernel_text.h"
#include "runtime_fields.h"
#include "symbols.h"
#include "vmlinux.h"

#define MAX_REPLACE HVP_MAX_REPLACEMENTS

static const uint8_t endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
static const uint8_t nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

struct build_options {
	const char *object, *symbols, *build_id_hex, *build_id_from;
	const char *vmlinux, *text_dump, *description, *output;
	const char *test_outside_image;
	const char *replace[MAX_REPLACE];
	uint32_t replace_count;
	uint64_t sequence, function_size;
	bool have_sequence;
};

static void usage(void)
{
	puts("usage: hvpatch build --object PATCH.o --symbols System.map\n"
	     "                     (--build-id HEX | --build-id-from VMLINUX)\n"
	     "                     (--vmlinux VMLINUX | --text-dump TEXT.bin)\n"
	     "                     --sequence N [--replace NAME]... [--function-size N]\n"
	     "                     [--description TEXT] -o BUNDLE.unsigned\n"
	     "\n"
	     "PATCH.o is an ELF relocatable compiled from C with the kernel code\n"
	     "model (gcc -c -O2 -mcmodel=kernel -fno-pic -mno-red-zone\n"
	     "-fno-asynchronous-unwind-tables). Each of its global functions, or\n"
	     "each --replace NAME, replaces the kernel function of that name.\n"
	     "With VMLINUX (the kernel's own, with its relocation sections: Debian's\n"
	     "linux-image-*-dbg), the old function is described as built: its size\n"
	     "from the ELF symbol table, and every field the kernel changes at run\n"
	     "time (KASLR, static keys, fentry, LOCK prefixes, return thunks,\n"
	     "retpolines) named with what it may hold, so the bundle applies on\n"
	     "every machine that runs the build. With TEXT.bin, a dump of one\n"
	     "machine's running text from _stext, it matches that machine's exact\n"
	     "bytes only; a function's size is then the distance to the next\n"
	     "symbol unless --function-size. The symbol map is System.map or a\n"
	     "/proc/kallsyms dump.");
}

static bool parse_options(int argc, char **argv, struct build_options *o)
{
	static const struct option opts[] = {
		{ "object", required_argument, NULL, 'O' },
		{ "symbols", required_argument, NULL, 'S' },
		{ "build-id", required_argument, NULL, 'b' },
		{ "build-id-from", required_argument, NULL, 'B' },
		{ "vmlinux", required_argument, NULL, 'V' },
		{ "text-dump", required_argument, NULL, 'T' },
		{ "sequence", required_argument, NULL, 'n' },
		{ "replace", required_argument, NULL, 'r' },
		{ "function-size", required_argument, NULL, 'f' },
		{ "description", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		/* Test only, left out of usage(): see move_outside_image(). */
		{ "test-only-outside-image", required_argument, NULL, 'X' },
		{ 0 },
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'O': o->object = optarg; break;
		case 'S': o->symbols = optarg; break;
		case 'b': o->build_id_hex = optarg; break;
		case 'B': o->build_id_from = optarg; break;
		case 'V': o->vmlinux = optarg; break;
		case 'T': o->text_dump = optarg; break;
		case 'd': o->description = optarg; break;
		case 'o': o->output = optarg; break;
		case 'X': o->test_outside_image = optarg; break;
		case 'n':
			o->sequence = strtoull(optarg, &end, 0);
			o->have_sequence = *end == '\0' && o->sequence > 0;
			break;
		case 'f':
			o->function_size = strtoull(optarg, &end, 0);
			if (*end != '\0')
				return false;
			break;
		case 'r':
			if (o->replace_count == MAX_REPLACE)
				return false;
			o->replace[o->replace_count++] = optarg;
			break;
		default:
			return false;
		}
	}
	return o->object && o->symbols && o->output && o->have_sequence &&
	       !o->build_id_hex != !o->build_id_from &&
	       !o->vmlinux != !o->text_dump && optind == argc;
}

/*
 * Where the old functions come from: the kernel's vmlinux as built (sizes
 * from its symbol table, run-time fields from its tables: the bundle
 * applies on every machine that runs the build), or a dump of one
 * machine's running text (exact bytes, no fields: that machine only).
 */
struct old_code {
	bool from_vmlinux;
	struct vmlinux vmlinux;
	struct kernel_text dump;
};

/* Size and bytes of the old function at sym. */
static const uint8_t *old_function(const char *name, const struct symbol_map *map,
				   const struct kernel_symbol *sym,
				   const struct old_code *old, uint64_t *size)
{
	uint64_t address;

	if (old->from_vmlinux) {
		if (!vmlinux_function(&old->vmlinux, name, &address, size) ||
		    address != sym->address) {
			errorf("%s: the symbol map and the vmlinux disagree (or it is not a function)",
			       name);
			return NULL;
		}
		return vmlinux_bytes(&old->vmlinux, address, *size);
	}
	if (*size == 0) {
		*size = symbol_map_extent(map, sym);
		/* The last function of the text ends where the text does. */
		if (sym->address >= old->dump.base &&
		    sym->address - old->dump.base < old->dump.len &&
		    *size > old->dump.len - (sym->address - old->dump.base))
			*size = old->dump.len - (sym->address - old->dump.base);
	}
	return kernel_text_at(&old->dump, sym->address, *size);
}

/* Fills the old-function half of a replacement, and its fields. */
static bool describe_target(const char *name, const struct symbol_map *map,
			    const struct old_code *old, uint64_t size,
			    struct hvp_replacement *r, struct field_set *fields)
{
	const struct kernel_symbol *sym = symbol_map_find(map, name);
	const uint8_t *bytes;
	uint8_t *hashed;

	if (!sym) {
		errorf("kernel has no symbol %s", name);
		return false;
	}
	bytes = old_function(name, map, sym, old, &size);
	if (!bytes || sym->address < map->text_base) {
		errorf("%s: not inside the kernel text given", name);
		return false;
	}
	if (size < HVP_TRAMPOLINE_LEN || size > HVP_MAX_FUNCTION_SIZE) {
		errorf("%s: function size %llu out of range (5..%u)%s", name,
		       (unsigned long long)size, HVP_MAX_FUNCTION_SIZE,
		       old->from_vmlinux ? "" : "; use --function-size");
		return false;
	}
	r->function_offset = sym->address - map->text_base;
	r->function_size = (uint32_t)size;
	r->site_offset = memcmp(bytes, endbr64, sizeof(endbr64)) == 0 ? 4 : 0;
	if (r->site_offset + HVP_TRAMPOLINE_LEN > size) {
		errorf("%s: too small to patch", name);
		return false;
	}
	r->preimage_len = HVP_TRAMPOLINE_LEN;
	fields->count = 0;
	if (old->from_vmlinux) {
		/* The site as every machine runs it: ftrace's NOP5. */
		memcpy(r->preimage, nop5, sizeof(nop5));
		if (!runtime_fields(&old->vmlinux, name, sym->address, size,
				    r->site_offset, fields))
			return false;
	} else {
		memcpy(r->preimage, bytes + r->site_offset, HVP_TRAMPOLINE_LEN);
		if (memcmp(r->preimage, nop5, sizeof(nop5)) != 0)
			fprintf(stderr,
				"hvpatch: warning: %s does not start with the 5-byte fentry NOP; its first instructions will be replaced\n",
				name);
	}
	hashed = malloc(size);
	if (!hashed)
		return false;
	memcpy(hashed, bytes, size);
	for (uint32_t i = 0; i < fields->count; i++)
		memset(hashed + fields->fields[i].offset, 0,
		       fields->fields[i].length);
	hvp_sha256(hashed, size, r->function_sha256);
	free(hashed);
	return true;
}

/* One reference to a kernel symbol, as the bundle expresses it
 * (docs/bundle-format.md, "Relocation"), or a refusal that says why. */
static bool resolve_kernel_reloc(const struct symbol_map *map,
				 const char *name, struct hvp_reloc *r)
{
	const struct kernel_symbol *sym = symbol_map_find(map, name);

	if (!sym) {
		errorf("patch refers to %s, which the kernel does not have",
		       name);
		return false;
	}
	switch (symbol_classify(map, sym)) {
	case SYMBOL_IMAGE:
		r->target = HVP_RELOC_TARGET_KERNEL;
		r->symbol_offset = (int64_t)(sym->address - map->text_base);
		return true;
	case SYMBOL_PERCPU:  /* %gs:sym, or %gs:sym(%rip): PC32 */
	case SYMBOL_ABSOLUTE:
		r->target = HVP_RELOC_TARGET_ABSOLUTE;
		r->symbol_offset = (int64_t)sym->address;
		return true;
	case SYMBOL_INIT:
		errorf("%s is in the kernel's init sections, which are freed after boot",
		       name);
		return false;
	default:
		errorf("%s at %#llx lies outside the kernel image (%#llx..%#llx) and is neither per-CPU nor absolute",
		       name, (unsigned long long)sym->address,
		       (unsigned long long)map->image.start,
		       (unsigned long long)map->image.end);
		return false;
	}
}

static bool resolve_relocs(const struct patch_object *obj,
			   const struct symbol_map *map, struct hvp_reloc *out)
{
	for (size_t i = 0; i < obj->reloc_count; i++) {
		const char *name = obj->relocs[i].kernel_symbol;

		out[i] = obj->relocs[i].reloc;
		if (out[i].addend < -HVP_MAX_RELOC_ADDEND ||
		    out[i].addend > HVP_MAX_RELOC_ADDEND) {
			errorf("reference to %s%+lld: the addend reaches past %d bytes from its symbol",
			       name ? name : "the patch's own code",
			       (long long)out[i].addend, HVP_MAX_RELOC_ADDEND);
			return false;
		}
		if (name && !resolve_kernel_reloc(map, name, &out[i]))
			return false;
	}
	return true;
}

/*
 * TEST ONLY (--test-only-outside-image NAME, not in usage()): every
 * reference to the kernel symbol NAME is aimed one page past the end of
 * the image, where a module's code could be.  The bundle is otherwise
 * correct, so once signed it is what the hypervisor must refuse with
 * HVP_E_RELOC_OUTSIDE_IMAGE (tests/e2e/fleet).  A normal build refuses
 * such a symbol instead (resolve_kernel_reloc()).
 */
static bool move_outside_image(const struct patch_object *obj,
			       const struct symbol_map *map, const char *name,
			       struct hvp_reloc *relocs)
{
	uint32_t moved = 0;

	for (size_t i = 0; i < obj->reloc_count; i++) {
		const char *sym = obj->relocs[i].kernel_symbol;

		if (!sym || strcmp(sym, name) != 0 ||
		    relocs[i].target != HVP_RELOC_TARGET_KERNEL)
			continue;
		relocs[i].symbol_offset =
			(int64_t)(map->image.end + 4096 - map->text_base);
		moved++;
	}
	if (moved == 0) {
		errorf("--test-only-outside-image: the patch makes no slide-relative reference to %s",
		       name);
		return false;
	}
	fprintf(stderr,
		"hvpatch: TEST ONLY: %u reference(s) to %s aimed past the kernel image; the hypervisor must refuse this bundle\n",
		moved, name);
	return true;
}

int cmd_build(int argc, char **argv)
{
	struct build_options o = { 0 };
	struct hvp_replacement repl[MAX_REPLACE] = { 0 };
	struct bundle_input in = { 0 };
	struct bundle_fields fields[MAX_REPLACE] = { 0 };
	struct field_set *field_sets;
	struct patch_object obj;
	struct symbol_map map;
	struct old_code old = { 0 };
	struct hvp_reloc *relocs;
	struct buffer out;
	size_t build_len;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage();
		return EXIT_OK;
	}
	if (!parse_options(argc, argv, &o)) {
		usage();
		return EXIT_USAGE;
	}
	if (o.build_id_hex ? !parse_hex(o.build_id_hex, in.build_id,
					HVP_BUILD_ID_MAX, &build_len) :
			     !elf_build_id(o.build_id_from, in.build_id,
					   HVP_BUILD_ID_MAX, &build_len)) {
		errorf("no usable build-id (1 to %d bytes)", HVP_BUILD_ID_MAX);
		return EXIT_INPUT;
	}
	if (!symbol_map_load(o.symbols, &map) ||
	    !patch_object_load(o.object, &obj) ||
	    !(o.vmlinux ? vmlinux_open(o.vmlinux, &old.vmlinux) :
			  kernel_text_from_dump(o.text_dump, map.text_base,
						&old.dump)))
		return EXIT_INPUT;
	old.from_vmlinux = o.vmlinux != NULL;
	if (old.from_vmlinux && o.function_size) {
		errorf("--function-size: the vmlinux gives every function's size");
		return EXIT_USAGE;
	}

	if (o.replace_count == 0)
		for (size_t i = 0; i < obj.function_count && i < MAX_REPLACE; i++)
			o.replace[o.replace_count++] = obj.functions[i].name;
	if (o.replace_count == 0) {
		errorf("%s: defines no global function to replace anything",
		       o.object);
		return EXIT_INPUT;
	}
	field_sets = calloc(o.replace_count, sizeof(*field_sets));
	if (!field_sets)
		return EXIT_INTERNAL;
	for (uint32_t i = 0; i < o.replace_count; i++) {
		const struct object_function *fn =
			patch_object_function(&obj, o.replace[i]);

		if (!fn) {
			errorf("%s: defines no global function %s", o.object,
			       o.replace[i]);
			return EXIT_INPUT;
		}
		if (!describe_target(o.replace[i], &map, &old, o.function_size,
				     &repl[i], &field_sets[i]))
			return EXIT_INPUT;
		repl[i].entry_offset = fn->offset;
		fields[i] = (struct bundle_fields){
			field_sets[i].fields, field_sets[i].count,
			field_sets[i].encodings, field_sets[i].encodings_len,
		};
	}
	relocs = calloc(obj.reloc_count + 1, sizeof(*relocs));
	if (!resolve_relocs(&obj, &map, relocs) ||
	    (o.test_outside_image &&
	     !move_outside_image(&obj, &map, o.test_outside_image, relocs)))
		return EXIT_INPUT;

	in.sequence = o.sequence;
	in.build_id_len = (uint32_t)build_len;
	in.description = o.description;
	in.code = obj.blob;
	in.code_len = obj.blob_len;
	in.relocs = relocs;
	in.reloc_count = (uint32_t)obj.reloc_count;
	in.replacements = repl;
	in.names = o.replace;
	in.fields = fields;
	in.replacement_count = o.replace_count;
	if (!bundle_write(&in, &out))
		return EXIT_INPUT;
	if (!write_file(o.output, out.data, out.len, 0644))
		return EXIT_INTERNAL;
	printf("built %s: %u replacement(s), %u code bytes, %u relocation(s), sequence %llu\n",
	       o.output, o.replace_count, obj.blob_len, in.reloc_count,
	       (unsigned long long)o.sequence);
	return EXIT_OK;
}
