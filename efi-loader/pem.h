/* SPDX-License-Identifier: MIT */
/*
 * Reads a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo, as OpenSSL and
 * `hvpatch keygen` write it) into DER.  The hypervisor then checks the
 * DER itself; this only undoes the base64.  Plain C, tested on the host.
 */
#ifndef HVPATCH_LOADER_PEM_H
#define HVPATCH_LOADER_PEM_H

#include <stddef.h>
#include <stdint.h>

/* DER length, or 0 if text holds no well-formed PUBLIC KEY block that
 * fits in max bytes. */
size_t hvp_pem_public_key(const char *text, size_t len, uint8_t *der,
			  size_t max);

#endif /* HVPATCH_LOADER_PEM_H */
