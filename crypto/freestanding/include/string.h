/* SPDX-License-Identifier: MIT */
/* Freestanding stand-in: what mbedtls needs of <string.h> (libc_shim.c). */
#ifndef HVPATCH_FREESTANDING_STRING_H
#define HVPATCH_FREESTANDING_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
#endif
