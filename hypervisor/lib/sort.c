// SPDX-License-Identifier: MIT
#include "lib/sort.h"

/* Moves v[root] down until the max-heap v[0..n) holds again. */
static void sift_down(uint64_t *v, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		uint64_t t;

		if (child >= n)
			return;
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (v[root] >= v[child])
			return;
		t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

void hvp_sort_u64(uint64_t *v, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	while (n > 1) {
		uint64_t t = v[0];

		v[0] = v[--n];
		v[n] = t;
		sift_down(v, 0, n);
	}
}
