// SPDX-License-Identifier: MIT
#include "kernel_text.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

bool kernel_text_from_dump(const char *path, uint64_t text_base,
			   struct kernel_text *text)
{
	struct buffer buf;

	if (!read_file(path, &buf))
		return false;
	*text = (struct kernel_text){ buf.data, text_base, buf.len };
	return true;
}

static Elf *open_elf(const char *path, int *fd)
{
	Elf *elf;

	elf_version(EV_CURRENT);
	*fd = open(path, O_RDONLY);
	if (*fd < 0) {
		errorf("%s: cannot open", path);
		return NULL;
	}
	elf = elf_begin(*fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		errorf("%s: not an ELF file", path);
		if (elf)
			elf_end(elf);
		close(*fd);
		return NULL;
	}
	return elf;
}

const uint8_t *kernel_text_at(const struct kernel_text *text, uint64_t address,
			      size_t len)
{
	if (address < text->base || address - text->base > text->len ||
	    len > text->len - (address - text->base))
		return NULL;
	return text->bytes + (address - text->base);
}

bool elf_build_id(const char *path, uint8_t *id, size_t max, size_t *len)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int fd;
	Elf *elf = open_elf(path, &fd);
	bool found = false;

	if (!elf)
		return false;
	while (!found && (scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		while (data && (off = gelf_getnote(data, off, &nh, &name_off,
						   &desc_off)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    memcmp((char *)data->d_buf + name_off, "GNU", 4) == 0 &&
			    nh.n_descsz <= max && nh.n_descsz > 0) {
				memcpy(id, (char *)data->d_buf + desc_off,
				       nh.n_descsz);
				*len = nh.n_descsz;
				found = true;
				break;
			}
		}
	}
	elf_end(elf);
	close(fd);
	if (!found)
		errorf("%s: no GNU build-id note", path);
	return found;
}
