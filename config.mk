# config.mk: the flags more than one fragment uses, defined once.  The
# Makefile reads this first, then the fragments in the order it lists.

HOST_CC ?= gcc
# Host programs: the tool, hvpatchctl, the tests.
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wno-unused-parameter -Werror=implicit-function-declaration \
	-I$(TOP)/include -I$(TOP)/hypervisor -I$(TOP)/crypto
HOST_LDFLAGS :=

# Code that runs in VMX root (the hypervisor and its mbedtls): no libc and
# no SSE/AVX, because it runs on the guest's FPU state, which the
# hypervisor neither saves nor touches.
FREESTANDING_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(HOST_CC) -print-file-name=include) \
	-mgeneral-regs-only -mno-red-zone -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fpic -fvisibility=hidden \
	-Wall -Wno-unused-parameter

# Patch objects: what `hvpatch build --help` tells patch authors to use
# (the demo's patch and the test fixtures are built with it).
PATCH_CFLAGS := -O2 -mcmodel=kernel -fno-pic -mno-red-zone \
	-fno-asynchronous-unwind-tables -fcf-protection=none
