/* SPDX-License-Identifier: MIT */
/*
 * Loads the hypervisor, a static position-independent ELF image, at a
 * given address: copies its PT_LOAD segments, zeroes their .bss, and
 * applies its R_X86_64_RELATIVE relocations, the only kind such an image
 * has.  Plain C over buffers, tested on the host.
 */
#ifndef HVPATCH_LOADER_ELF_IMAGE_H
#define HVPATCH_LOADER_ELF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of memory the image needs (from its lowest to highest segment
 * address), or 0 if it is not a loadable x86-64 PIE image. */
uint64_t hvp_elf_image_size(const uint8_t *elf, size_t len);

/* Loads into dest (image_size bytes, zeroed by this function); returns
 * the entry point's address in dest, or 0 with *error set. */
uint64_t hvp_elf_image_load(const uint8_t *elf, size_t len, uint8_t *dest,
			    const char **error);

#endif /* HVPATCH_LOADER_ELF_IMAGE_H */
