/* SPDX-License-Identifier: MIT */
/*
 * A byte ring that counts every byte ever written, so that a reader names
 * a position in the whole stream (an offset) rather than in the ring, and
 * learns when the ring has already overwritten what it asked for.  No
 * locking here: the owner serializes writers and readers.
 */
#ifndef HVPATCH_LIB_BYTE_RING_H
#define HVPATCH_LIB_BYTE_RING_H

#include <stddef.h>
#include <stdint.h>

struct hvp_byte_ring {
	char *buf;
	size_t size;
	uint64_t written; /* bytes ever written; the ring holds the last size */
};

void hvp_byte_ring_write(struct hvp_byte_ring *r, const char *data, size_t len);

/* Copies up to `max` bytes starting at stream offset `from`, or at the
 * oldest byte still held if that is later; *start says where the copy
 * began.  Returns the number of bytes copied: 0 once `from` reaches the
 * end of the stream. */
size_t hvp_byte_ring_read(const struct hvp_byte_ring *r, uint64_t from,
			  char *out, size_t max, uint64_t *start);

#endif /* HVPATCH_LIB_BYTE_RING_H */
