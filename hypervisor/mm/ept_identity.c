// SPDX-License-Identifier: MIT
#include "mm/ept_identity.h"

#define SIZE_2M 0x200000ull
#define SIZE_4K 0x1000ull

/* Maps [start, end) in pieces of `step`, merging runs of one type. */
static enum hvp_status map_run(struct hvp_ept *ept, uint64_t start,
			       uint64_t size, enum hvp_mem_type type)
{
	return size ? hvp_ept_map(ept, start, start, size, HVP_EPT_RWX, type) :
		      HVP_OK;
}

enum hvp_status hvp_ept_identity_map(struct hvp_ept *ept,
				     const struct hvp_mtrr_state *mtrr,
				     uint64_t limit, uint64_t hidden,
				     uint64_t hidden_size)
{
	uint64_t run_start = 0;
	enum hvp_mem_type run_type = HVP_MT_UC, type;
	enum hvp_status st;

	limit = (limit + SIZE_2M - 1) & ~(SIZE_2M - 1);
	for (uint64_t chunk = 0; chunk < limit; chunk += SIZE_2M) {
		if (hvp_mtrr_range_type(mtrr, chunk, SIZE_2M, &type)) {
			if (chunk != run_start && type != run_type) {
				st = map_run(ept, run_start, chunk - run_start, run_type);
				if (st != HVP_OK)
					return st;
				run_start = chunk;
			}
			if (chunk == run_start)
				run_type = type;
			continue;
		}
		/* Mixed types inside this 2 MiB: 4 KiB pages, each its own. */
		st = map_run(ept, run_start, chunk - run_start, run_type);
		if (st != HVP_OK)
			return st;
		for (uint64_t page = chunk; page < chunk + SIZE_2M; page += SIZE_4K) {
			hvp_mtrr_range_type(mtrr, page, SIZE_4K, &type);
			st = map_run(ept, page, SIZE_4K, type);
			if (st != HVP_OK)
				return st;
		}
		run_start = chunk + SIZE_2M;
	}
	st = map_run(ept, run_start, limit - run_start, run_type);
	if (st != HVP_OK)
		return st;
	return hvp_ept_unmap(ept, hidden & ~(SIZE_4K - 1),
			     (hidden_size + (hidden & (SIZE_4K - 1)) + SIZE_4K - 1) &
				     ~(SIZE_4K - 1));
}
