// SPDX-License-Identifier: MIT
/*
 * Loads a patch object with libelf.  The replacement code runs from the
 * patch arena, which the guest can read and execute but never write, so
 * an object with writable data is refused rather than silently broken.
 */
#include "elf_object.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define NOT_LAID_OUT UINT32_MAX

struct loader {
	const char *path;
	Elf *elf;
	size_t shstrndx;
	size_t section_count;
	uint32_t *placement; /* blob offset per section, or NOT_LAID_OUT */
	Elf_Scn *symtab;
	struct patch_object *obj;
};

static const char *section_name(struct loader *l, const GElf_Shdr *sh)
{
	const char *name = elf_strptr(l->elf, l->shstrndx, sh->sh_name);

	return name ? name : "?";
}

/* Sections the code needs at run time: allocated, not notes/unwind. */
static bool wanted(struct loader *l, const GElf_Shdr *sh)
{
	const char *name = section_name(l, sh);

	if (!(sh->sh_flags & SHF_ALLOC) || sh->sh_size == 0)
		return false;
	if (sh->sh_type == SHT_NOTE || strcmp(name, ".eh_frame") == 0)
		return false;
	return true;
}

static bool lay_out_sections(struct loader *l)
{
	uint32_t len = 0;

	l->placement = calloc(l->section_count, sizeof(*l->placement));
	l->obj->blob = calloc(1, HVP_MAX_CODE_LEN);
	if (!l->placement || !l->obj->blob)
		return false;
	for (size_t i = 0; i < l->section_count; i++) {
		Elf_Scn *scn = elf_getscn(l->elf, i);
		GElf_Shdr sh;
		Elf_Data *data;
		uint64_t align;

		l->placement[i] = NOT_LAID_OUT;
		if (!scn || !gelf_getshdr(scn, &sh) || !wanted(l, &sh))
			continue;
		if ((sh.sh_flags & SHF_WRITE) || sh.sh_type == SHT_NOBITS) {
			errorf("%s: section %s is writable data; patch code must not have any (the arena is read-only for the guest)",
			       l->path, section_name(l, &sh));
			return false;
		}
		align = sh.sh_addralign ? sh.sh_addralign : 1;
		len = (uint32_t)((len + align - 1) & ~(align - 1));
		if (len + sh.sh_size > HVP_MAX_CODE_LEN) {
			errorf("%s: code and rodata exceed %u bytes", l->path,
			       HVP_MAX_CODE_LEN);
			return false;
		}
		data = elf_getdata(scn, NULL);
		if (data && data->d_buf)
			memcpy(l->obj->blob + len, data->d_buf, data->d_size);
		l->placement[i] = len;
		len += (uint32_t)sh.sh_size;
	}
	l->obj->blob_len = len;
	if (len == 0) {
		errorf("%s: no code", l->path);
		return false;
	}
	return true;
}

static bool collect_functions(struct loader *l)
{
	Elf_Data *data = elf_getdata(l->symtab, NULL);
	GElf_Shdr sh;
	size_t count;

	gelf_getshdr(l->symtab, &sh);
	count = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
	l->obj->functions = calloc(count + 1, sizeof(*l->obj->functions));
	for (size_t i = 0; i < count; i++) {
		GElf_Sym sym;

		if (!gelf_getsym(data, (int)i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    GELF_ST_BIND(sym.st_info) != STB_GLOBAL ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= l->section_count ||
		    l->placement[sym.st_shndx] == NOT_LAID_OUT)
			continue;
		l->obj->functions[l->obj->function_count++] =
			(struct object_function){
				.name = strdup(elf_strptr(l->elf, sh.sh_link,
							  sym.st_name)),
				.offset = l->placement[sym.st_shndx] +
					  (uint32_t)sym.st_value,
			};
	}
	return true;
}

/* x86-64 psABI relocation types to the bundle's kinds. */
static int bundle_reloc_type(uint32_t elf_type)
{
	switch (elf_type) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		return HVP_RELOC_PC32;
	case R_X86_64_64:
		return HVP_RELOC_ABS64;
	case R_X86_64_32S:
		return HVP_RELOC_ABS32S;
	default:
		return 0;
	}
}

static bool add_reloc(struct loader *l, uint32_t at, const GElf_Rela *rela)
{
	Elf_Data *symdata = elf_getdata(l->symtab, NULL);
	int type = bundle_reloc_type((uint32_t)GELF_R_TYPE(rela->r_info));
	struct object_reloc *out;
	GElf_Shdr symsh;
	GElf_Sym sym;
	const char *name;

	gelf_getshdr(l->symtab, &symsh);
	if (!gelf_getsym(symdata, (int)GELF_R_SYM(rela->r_info), &sym))
		return false;
	name = elf_strptr(l->elf, symsh.sh_link, sym.st_name);
	if (type == 0) {
		errorf("%s: unsupported relocation type %u against %s (use -mcmodel=kernel -fno-pic)",
		       l->path, (unsigned int)GELF_R_TYPE(rela->r_info),
		       name && *name ? name : "a section");
		return false;
	}
	out = &l->obj->relocs[l->obj->reloc_count++];
	*out = (struct object_reloc){
		.reloc = { .offset = at, .type = (uint16_t)type,
			   .addend = rela->r_addend },
	};
	if (sym.st_shndx == SHN_UNDEF) {
		out->reloc.target = HVP_RELOC_TARGET_KERNEL;
		out->kernel_symbol = strdup(name);
		return true;
	}
	if (sym.st_shndx >= l->section_count ||
	    l->placement[sym.st_shndx] == NOT_LAID_OUT) {
		errorf("%s: relocation against %s, which is not in the patch code",
		       l->path, name && *name ? name : "a dropped section");
		return false;
	}
	out->reloc.target = HVP_RELOC_TARGET_SELF;
	out->reloc.symbol_offset = l->placement[sym.st_shndx] + (int64_t)sym.st_value;
	return true;
}

static bool collect_relocs(struct loader *l)
{
	size_t cap = 0;

	for (size_t i = 0; i < l->section_count; i++) {
		Elf_Scn *scn = elf_getscn(l->elf, i);
		GElf_Shdr sh;
		Elf_Data *data;
		size_t n;

		if (!scn || !gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_REL) {
			errorf("%s: REL relocations are not x86-64 ELF", l->path);
			return false;
		}
		if (sh.sh_type != SHT_RELA || sh.sh_info >= l->section_count ||
		    l->placement[sh.sh_info] == NOT_LAID_OUT)
			continue;
		data = elf_getdata(scn, NULL);
		n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		cap += n;
		l->obj->relocs = realloc(l->obj->relocs,
					 (cap + 1) * sizeof(*l->obj->relocs));
		for (size_t r = 0; r < n; r++) {
			GElf_Rela rela;

			if (!gelf_getrela(data, (int)r, &rela) ||
			    !add_reloc(l, l->placement[sh.sh_info] +
						  (uint32_t)rela.r_offset,
				       &rela))
				return false;
		}
	}
	return true;
}

static bool find_symtab(struct loader *l)
{
	for (size_t i = 0; i < l->section_count; i++) {
		Elf_Scn *scn = elf_getscn(l->elf, i);
		GElf_Shdr sh;

		if (scn && gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			l->symtab = scn;
			return true;
		}
	}
	errorf("%s: no symbol table", l->path);
	return false;
}

bool patch_object_load(const char *path, struct patch_object *obj)
{
	struct loader l = { .path = path, .obj = obj };
	GElf_Ehdr eh;
	bool ok = false;
	int fd;

	memset(obj, 0, sizeof(*obj));
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		errorf("%s: cannot open", path);
		return false;
	}
	l.elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!l.elf || !gelf_getehdr(l.elf, &eh) || eh.e_type != ET_REL ||
	    eh.e_machine != EM_X86_64 || gelf_getclass(l.elf) != ELFCLASS64) {
		errorf("%s: not an x86-64 ELF relocatable object", path);
		goto out;
	}
	if (elf_getshdrnum(l.elf, &l.section_count) != 0 ||
	    elf_getshdrstrndx(l.elf, &l.shstrndx) != 0)
		goto out;
	ok = lay_out_sections(&l) && find_symtab(&l) &&
	     collect_functions(&l) && collect_relocs(&l);
out:
	free(l.placement);
	if (l.elf)
		elf_end(l.elf);
	close(fd);
	return ok;
}

const struct object_function *
patch_object_function(const struct patch_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->function_count; i++)
		if (strcmp(obj->functions[i].name, name) == 0)
			return &obj->functions[i];
	return NULL;
}
