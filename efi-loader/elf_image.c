// SPDX-License-Identifier: MIT
#include "elf_image.h"

#include <elf.h>
#include <stdbool.h>

static const Elf64_Ehdr *header(const uint8_t *elf, size_t len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;

	if (len < sizeof(*eh) || eh->e_ident[EI_MAG0] != ELFMAG0 ||
	    eh->e_ident[EI_MAG1] != ELFMAG1 || eh->e_ident[EI_MAG2] != ELFMAG2 ||
	    eh->e_ident[EI_MAG3] != ELFMAG3 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_machine != EM_X86_64 || eh->e_type != ET_DYN ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return NULL;
	return eh;
}

static const Elf64_Phdr *phdrs(const uint8_t *elf)
{
	return (const Elf64_Phdr *)(elf + ((const Elf64_Ehdr *)elf)->e_phoff);
}

uint64_t hvp_elf_image_size(const uint8_t *elf, size_t len)
{
	const Elf64_Ehdr *eh = header(elf, len);
	uint64_t end = 0;

	if (!eh)
		return 0;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &phdrs(elf)[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_memsz < ph->p_filesz || ph->p_offset > len ||
		    ph->p_filesz > len - ph->p_offset ||
		    ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
			return 0;
		if (ph->p_vaddr + ph->p_memsz > end)
			end = ph->p_vaddr + ph->p_memsz;
	}
	return (end + 4095) & ~4095ull;
}

static bool apply_relocations(const uint8_t *elf, uint8_t *dest,
			      uint64_t size, const char **error)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	uint64_t rela = 0, rela_size = 0, rela_entry = sizeof(Elf64_Rela);

	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &phdrs(elf)[i];

		if (ph->p_type != PT_DYNAMIC)
			continue;
		if (ph->p_vaddr > size || ph->p_memsz > size - ph->p_vaddr) {
			*error = "dynamic section outside the image";
			return false;
		}
		for (const Elf64_Dyn *d = (const Elf64_Dyn *)(dest + ph->p_vaddr);
		     (const uint8_t *)(d + 1) <= dest + ph->p_vaddr + ph->p_memsz &&
		     d->d_tag != DT_NULL; d++) {
			if (d->d_tag == DT_RELA)
				rela = d->d_un.d_ptr;
			else if (d->d_tag == DT_RELASZ)
				rela_size = d->d_un.d_val;
			else if (d->d_tag == DT_RELAENT)
				rela_entry = d->d_un.d_val;
			else if (d->d_tag == DT_REL || d->d_tag == DT_JMPREL) {
				*error = "image has REL or PLT relocations";
				return false;
			}
		}
	}
	if (rela_entry != sizeof(Elf64_Rela) || rela > size || rela_size > size - rela) {
		*error = "relocation table outside the image";
		return false;
	}
	for (uint64_t off = 0; off + sizeof(Elf64_Rela) <= rela_size; off += sizeof(Elf64_Rela)) {
		const Elf64_Rela *r = (const Elf64_Rela *)(dest + rela + off);

		if (ELF64_R_TYPE(r->r_info) != R_X86_64_RELATIVE) {
			*error = "image has a relocation other than R_X86_64_RELATIVE";
			return false;
		}
		if (r->r_offset > size - 8) {
			*error = "relocation outside the image";
			return false;
		}
		*(uint64_t *)(dest + r->r_offset) = (uint64_t)dest + (uint64_t)r->r_addend;
	}
	return true;
}

uint64_t hvp_elf_image_load(const uint8_t *elf, size_t len, uint8_t *dest,
			    const char **error)
{
	uint64_t size = hvp_elf_image_size(elf, len);
	const Elf64_Ehdr *eh = header(elf, len);

	if (!size || !eh || eh->e_entry >= size) {
		*error = "not a loadable x86-64 position-independent ELF image";
		return 0;
	}
	for (uint64_t i = 0; i < size; i++)
		dest[i] = 0;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &phdrs(elf)[i];

		if (ph->p_type == PT_LOAD)
			for (uint64_t b = 0; b < ph->p_filesz; b++)
				dest[ph->p_vaddr + b] = elf[ph->p_offset + b];
	}
	if (!apply_relocations(elf, dest, size, error))
		return 0;
	return (uint64_t)dest + eh->e_entry;
}
