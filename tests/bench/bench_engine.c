// SPDX-License-Identifier: MIT
/*
 * The portable core's costs on the host, with the simulated guest:
 * EPT edits and lookups, guest page walks, and a whole apply + revert
 * (copy-in, parse, signature check, plan, commit) of a small bundle.
 */
#include "bench_util.h"
#include "engine_fixture.h"

int main(void)
{
	static const struct fx_replacement one = { FX_FN_A };
	struct hvp_gva_translation walk;
	struct hvp_ept_mapping mapping;
	struct fixture f;
	struct buffer bundle;
	uint64_t sequence = 1, list;
	uint32_t id;
	double ns;

	fx_init(&f, true);
	bench_header("EPT model and guest page walk");
	BENCH_LOOP(0.5, ns, hvp_ept_set_perms(&f.ept, FX_TEXT_GPA, 4096,
					       bench_i_ & 1 ? HVP_EPT_READ | HVP_EPT_EXEC : HVP_EPT_RWX));
	bench_row("EPT set_perms, one 4 KiB page", ns);
	BENCH_LOOP(0.5, ns, hvp_ept_set_perms(&f.ept, FX_TEXT_GPA, FX_TEXT_SIZE,
					       bench_i_ & 1 ? HVP_EPT_READ | HVP_EPT_EXEC : HVP_EPT_RWX));
	bench_row("EPT set_perms, 64 KiB of text", ns);
	BENCH_LOOP(0.5, ns, hvp_ept_lookup(&f.ept, FX_TEXT_GPA + 0x123, &mapping));
	bench_row("EPT lookup", ns);
	BENCH_LOOP(0.5, ns, hvp_guest_walk(&f.m.reader, f.cr3, FX_TEXT_GVA + 0x1234, &walk));
	bench_row("guest 4-level page walk", ns);

	bench_header("patch engine, one replacement, 3 relocations");
	fx_bundle(&f, &one, 1, sequence, &bundle);
	list = fx_place(&f, bundle.data, bundle.len);
	BENCH_LOOP(0.5, ns, hvp_engine_apply(f.engine, list, &id));
	bench_row("apply refused as a replay (copy, parse, check)", ns);
	free(bundle.data);

	fx_destroy(&f);
	ns = 0;
	for (int i = 0; i < 100; i++) {
		double t0;

		/* A fresh guest every 50 patches: the arena only grows. */
		if (i % 50 == 0) {
			if (i)
				fx_destroy(&f);
			fx_init(&f, true);
			sequence = 1;
		}
		fx_bundle(&f, &one, 1, ++sequence, &bundle);
		list = fx_place(&f, bundle.data, bundle.len);
		t0 = bench_now();
		if (hvp_engine_apply(f.engine, list, &id) != HVP_OK ||
		    hvp_engine_revert(f.engine, id) != HVP_OK) {
			fprintf(stderr, "bench_engine: apply/revert failed\n");
			return 1;
		}
		ns += (bench_now() - t0) * 1e9;
		free(bundle.data);
	}
	bench_row("apply + revert (signature check included)", ns / 100);
	fx_destroy(&f);
	return 0;
}
