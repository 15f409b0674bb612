// SPDX-License-Identifier: MIT
/*
 * Reads a vmlinux with libelf.  The tables come from Linux 6.1's x86-64
 * layout: .smp_locks, .return_sites and .retpoline_sites hold s32 offsets
 * from each entry to its site; .altinstructions holds struct alt_instr
 * (s32 instr, s32 repl, u16 cpuid, u8 instrlen, u8 replacementlen);
 * .parainstructions struct paravirt_patch_site (u64 instr, u8 type, u8
 * len); __jump_table struct jump_entry (s32 code, s32 target, long key);
 * static_call_sites struct static_call_site (s32 addr, s32 key);
 * __mcount_loc the u64 address of each fentry call.
 */
#include "vmlinux.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

struct reader {
	struct vmlinux *v;
	Elf *elf;
	Elf_Scn *symtab;
	Elf_Data *syms;
	size_t sym_count, str_index;
	size_t percpu_shndx;
};

static Elf_Scn *section_named(Elf *elf, const char *name)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) &&
		    strcmp(elf_strptr(elf, shstrndx, sh.sh_name) ?: "", name) == 0)
			return scn;
	return NULL;
}

static bool symbol(struct reader *r, const char *name, GElf_Sym *out)
{
	for (size_t i = 0; name && i < r->sym_count; i++) {
		const char *n;

		if (!gelf_getsym(r->syms, (int)i, out))
			continue;
		n = elf_strptr(r->elf, r->str_index, out->st_name);
		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

/* The section bytes at link address [at, at + len), or NULL. */
static const uint8_t *bytes_at(Elf *elf, uint64_t at, uint64_t len)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_ALLOC) || at < sh.sh_addr ||
		    at - sh.sh_addr > sh.sh_size || len > sh.sh_size - (at - sh.sh_addr))
			continue;
		data = elf_getdata(scn, NULL);
		return data && data->d_buf && data->d_size == sh.sh_size ?
			       (const uint8_t *)data->d_buf + (at - sh.sh_addr) :
			       NULL;
	}
	return NULL;
}

/* A table's link-address range [from, to): between its two marker
 * symbols (Linux's linker script), or its own section (a plain link);
 * empty when neither exists. */
static void table_range(struct reader *r, const char *start, const char *stop,
			const char *section, uint64_t *from, uint64_t *to)
{
	Elf_Scn *scn = section_named(r->elf, section);
	GElf_Sym a, b;
	GElf_Shdr sh;

	*from = *to = 0;
	if (symbol(r, start, &a) && symbol(r, stop, &b) &&
	    b.st_value >= a.st_value) {
		*from = a.st_value;
		*to = b.st_value;
	} else if (scn && gelf_getshdr(scn, &sh)) {
		*from = sh.sh_addr;
		*to = sh.sh_addr + sh.sh_size;
	}
}

static int by_site(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* Entries of `size` bytes at link address [from, to): an s32 offset to
 * the site at `rel`, or an absolute u64 at `abs` (rel < 0), and the
 * site's length byte at `len_at` (< 0: unknown). */
static bool table(struct reader *r, uint64_t from, uint64_t to,
		  unsigned int size, int rel, int abs, int len_at,
		  struct site_list *out)
{
	const uint8_t *p = bytes_at(r->elf, from, to - from);
	size_t n = (to - from) / size;

	out->count = 0;
	out->sites = calloc(n + 1, sizeof(*out->sites));
	if (!p && n) {
		errorf("%s: the table at %#llx has no bytes in the file",
		       r->v->path, (unsigned long long)from);
		return false;
	}
	if (!out->sites)
		return false;
	for (size_t i = 0; i < n; i++, p += size) {
		struct site *s = &out->sites[out->count++];
		int32_t off;

		if (rel >= 0) {
			memcpy(&off, p + rel, 4);
			s->at = from + i * size + (uint64_t)rel + (uint64_t)(int64_t)off;
		} else {
			memcpy(&s->at, p + abs, 8);
		}
		s->len = len_at >= 0 ? p[len_at] : 0;
	}
	qsort(out->sites, out->count, sizeof(*out->sites), by_site);
	return true;
}

static bool known_table(struct reader *r, const char *start, const char *stop,
			const char *section, unsigned int size, int rel,
			int abs, int len_at, struct site_list *out)
{
	uint64_t from, to;

	table_range(r, start, stop, section, &from, &to);
	return table(r, from, to, size, rel, abs, len_at, out);
}

static int by_offset(const void *a, const void *b)
{
	const struct vmlinux_reloc *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static bool text_relocs(struct reader *r)
{
	Elf_Scn *text = section_named(r->elf, ".text");
	Elf_Scn *scn = section_named(r->elf, ".rela.text");
	GElf_Shdr sh;
	Elf_Data *data;
	size_t n;

	if (!text || !scn || !gelf_getshdr(scn, &sh) ||
	    sh.sh_info != elf_ndxscn(text)) {
		errorf("%s: no .rela.text: not linked with --emit-relocs (use the -dbg package's vmlinux)",
		       r->v->path);
		return false;
	}
	data = elf_getdata(scn, NULL);
	n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
	r->v->relocs = calloc(n + 1, sizeof(*r->v->relocs));
	if (!data || !r->v->relocs)
		return false;
	for (size_t i = 0; i < n; i++) {
		struct vmlinux_reloc *out = &r->v->relocs[r->v->reloc_count];
		GElf_Rela rela;
		GElf_Sym sym;

		if (!gelf_getrela(data, (int)i, &rela) ||
		    !gelf_getsym(r->syms, (int)GELF_R_SYM(rela.r_info), &sym))
			return false;
		*out = (struct vmlinux_reloc){
			.offset = rela.r_offset,
			.type = (uint32_t)GELF_R_TYPE(rela.r_info),
			.percpu = r->percpu_shndx && sym.st_shndx == r->percpu_shndx,
			.absolute = sym.st_shndx == SHN_ABS,
		};
		r->v->reloc_count++;
	}
	qsort(r->v->relocs, r->v->reloc_count, sizeof(*r->v->relocs),
	      by_offset);
	return true;
}

static int by_code(const void *a, const void *b)
{
	const struct jump_site *x = a, *y = b;

	return x->code < y->code ? -1 : x->code > y->code;
}

static bool jump_table(struct reader *r)
{
	uint64_t from, to;
	const uint8_t *p;
	size_t n;

	table_range(r, "__start___jump_table", "__stop___jump_table",
		    "__jump_table", &from, &to);
	n = (to - from) / 16;
	p = bytes_at(r->elf, from, to - from);
	r->v->jumps = calloc(n + 1, sizeof(*r->v->jumps));
	if ((!p && n) || !r->v->jumps)
		return false;
	for (size_t i = 0; i < n; i++, p += 16) {
		uint64_t entry = from + 16 * i;
		int32_t code, target;

		memcpy(&code, p, 4);
		memcpy(&target, p + 4, 4);
		r->v->jumps[i] = (struct jump_site){
			entry + (uint64_t)(int64_t)code,
			entry + 4 + (uint64_t)(int64_t)target,
		};
	}
	r->v->jump_count = n;
	qsort(r->v->jumps, n, sizeof(*r->v->jumps), by_code);
	return true;
}

/* Code symbols include the assembler's thunks, which have no type. */
static bool code_symbol(const GElf_Sym *sym)
{
	return GELF_ST_TYPE(sym->st_info) == STT_FUNC ||
	       (GELF_ST_TYPE(sym->st_info) == STT_NOTYPE &&
		sym->st_shndx != SHN_UNDEF && sym->st_shndx != SHN_ABS);
}

/* The global *return_thunk symbols in .text: what x86_return_thunk may
 * be (set_return_thunk(), an init function, is not one). */
static void return_thunks(struct reader *r)
{
	static const char suffix[] = "return_thunk";
	struct vmlinux *v = r->v;
	Elf_Scn *text = section_named(r->elf, ".text");

	for (size_t i = 0; text && i < r->sym_count; i++) {
		GElf_Sym sym;
		const char *n;
		size_t len;

		if (!gelf_getsym(r->syms, (int)i, &sym) || !code_symbol(&sym) ||
		    GELF_ST_BIND(sym.st_info) != STB_GLOBAL ||
		    sym.st_shndx != elf_ndxscn(text))
			continue;
		n = elf_strptr(r->elf, r->str_index, sym.st_name);
		len = n ? strlen(n) : 0;
		if (len >= sizeof(suffix) - 1 &&
		    strcmp(n + len - (sizeof(suffix) - 1), suffix) == 0 &&
		    v->return_thunk_count < sizeof(v->return_thunks) /
						    sizeof(v->return_thunks[0]))
			v->return_thunks[v->return_thunk_count++] = sym.st_value;
	}
}

bool vmlinux_open(const char *path, struct vmlinux *v)
{
	struct reader r = { .v = v };
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Scn *scn = NULL;

	memset(v, 0, sizeof(*v));
	v->path = path;
	elf_version(EV_CURRENT);
	v->fd = open(path, O_RDONLY);
	if (v->fd < 0) {
		errorf("%s: cannot open", path);
		return false;
	}
	r.elf = elf_begin(v->fd, ELF_C_READ_MMAP, NULL);
	v->elf = r.elf;
	if (!r.elf || elf_kind(r.elf) != ELF_K_ELF) {
		errorf("%s: not an ELF file", path);
		return false;
	}
	while ((scn = elf_nextscn(r.elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			r.symtab = scn;
			r.syms = elf_getdata(scn, NULL);
			r.sym_count = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
			r.str_index = sh.sh_link;
		}
	v->syms = r.syms;
	v->sym_count = r.sym_count;
	v->str_index = r.str_index;
	if (!r.syms || !symbol(&r, "_stext", &sym)) {
		errorf("%s: no symbol table with _stext", path);
		return false;
	}
	v->stext = sym.st_value;
	if (symbol(&r, "__per_cpu_start", &sym))
		r.percpu_shndx = sym.st_shndx;
	return_thunks(&r);
	if (!text_relocs(&r) || !jump_table(&r))
		return false;
	return known_table(&r, "__start_mcount_loc", "__stop_mcount_loc",
			   "__mcount_loc", 8, -1, 0, -1, &v->fentry) &&
	       known_table(&r, NULL, NULL, ".smp_locks", 4, 0, -1, -1,
			   &v->smp_locks) &&
	       known_table(&r, NULL, NULL, ".return_sites", 4, 0, -1, -1,
			   &v->return_sites) &&
	       known_table(&r, NULL, NULL, ".retpoline_sites", 4, 0, -1, -1,
			   &v->retpolines) &&
	       known_table(&r, NULL, NULL, ".altinstructions", 12, 0, -1, 10,
			   &v->alternatives) &&
	       known_table(&r, NULL, NULL, ".parainstructions", 16, -1, 0, 9,
			   &v->paravirt) &&
	       known_table(&r, "__start_static_call_sites",
			   "__stop_static_call_sites", ".static_call_sites", 8,
			   0, -1, -1, &v->static_calls);
}

bool vmlinux_function(const struct vmlinux *v, const char *name,
		      uint64_t *address, uint64_t *size)
{
	for (size_t i = 0; i < v->sym_count; i++) {
		GElf_Sym sym;
		const char *n;

		if (!gelf_getsym(v->syms, (int)i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC)
			continue;
		n = elf_strptr(v->elf, v->str_index, sym.st_name);
		if (n && strcmp(n, name) == 0) {
			*address = sym.st_value;
			*size = sym.st_size;
			return true;
		}
	}
	return false;
}

const char *vmlinux_symbol_at(const struct vmlinux *v, uint64_t address)
{
	for (size_t i = 0; i < v->sym_count; i++) {
		GElf_Sym sym;

		if (gelf_getsym(v->syms, (int)i, &sym) && code_symbol(&sym) &&
		    sym.st_value == address)
			return elf_strptr(v->elf, v->str_index, sym.st_name);
	}
	return NULL;
}

const uint8_t *vmlinux_bytes(const struct vmlinux *v, uint64_t address,
			     uint64_t len)
{
	return bytes_at(v->elf, address, len);
}

size_t site_list_first(const struct site_list *l, uint64_t address)
{
	size_t lo = 0, hi = l->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->sites[mid].at < address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
