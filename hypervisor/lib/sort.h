/* SPDX-License-Identifier: MIT */
/* Sorting without an allocator or recursion, for tables built once. */
#ifndef HVPATCH_LIB_SORT_H
#define HVPATCH_LIB_SORT_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n) ascending, in place: heapsort, O(n log n) at worst. */
void hvp_sort_u64(uint64_t *v, size_t n);

#endif /* HVPATCH_LIB_SORT_H */
