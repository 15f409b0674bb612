/* SPDX-License-Identifier: MIT */
/* The hypervisor's ELF image, carried inside hvpatch.efi. */
	.section .data
	.p2align 12
	.globl hvp_image_start, hvp_image_end
hvp_image_start:
	.incbin HVP_IMAGE_PATH
hvp_image_end:
	.section .note.GNU-stack, "", @progbits
