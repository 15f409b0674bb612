/* SPDX-License-Identifier: MIT */
/* Freestanding stand-in: mbedtls includes <stdio.h> but, configured with
 * MBEDTLS_PLATFORM_NO_STD_FUNCTIONS, calls nothing from it. */
#ifndef HVPATCH_FREESTANDING_STDIO_H
#define HVPATCH_FREESTANDING_STDIO_H
#include <stddef.h>
#endif
