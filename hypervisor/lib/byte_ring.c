// SPDX-License-Identifier: MIT
#include "lib/byte_ring.h"

void hvp_byte_ring_write(struct hvp_byte_ring *r, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		r->buf[r->written++ % r->size] = data[i];
}

size_t hvp_byte_ring_read(const struct hvp_byte_ring *r, uint64_t from,
			  char *out, size_t max, uint64_t *start)
{
	uint64_t oldest = r->written > r->size ? r->written - r->size : 0;
	size_t n = 0;

	if (from < oldest)
		from = oldest;
	if (from > r->written)
		from = r->written;
	*start = from;
	for (; n < max && from + n < r->written; n++)
		out[n] = r->buf[(from + n) % r->size];
	return n;
}
