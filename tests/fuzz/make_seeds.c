// SPDX-License-Identifier: MIT
/*
 * Writes the fuzzers' seed corpus: good bundles for the simulated guest
 * (one, two and three replacements, a page-crossing target, an ENDBR64
 * target), signed and unsigned.  Made at build time, never committed.
 * Usage: make_seeds DIR
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine_fixture.h"

static void write_seed(const char *dir, const char *name,
		       const struct buffer *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	static const struct fx_replacement sets[][3] = {
		{ { FX_FN_A } }, { { FX_FN_B } }, { { FX_FN_C } },
		{ { FX_FN_A }, { FX_FN_C } }, { { FX_FN_A }, { FX_FN_B }, { FX_FN_C } },
	};
	static const uint32_t counts[] = { 1, 1, 1, 2, 3 };
	struct fixture f;

	if (argc != 2) {
		fprintf(stderr, "usage: make_seeds DIR\n");
		return 1;
	}
	fx_init(&f, false);
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		struct buffer plain, signed_bundle;
		char name[32];

		fx_unsigned_bundle(&f, sets[i], counts[i], 1, &plain);
		fx_sign(&f, &plain, &signed_bundle);
		snprintf(name, sizeof(name), "unsigned-%zu", i);
		write_seed(argv[1], name, &plain);
		snprintf(name, sizeof(name), "signed-%zu", i);
		write_seed(argv[1], name, &signed_bundle);
		free(plain.data);
		free(signed_bundle.data);
	}
	fx_destroy(&f);
	return 0;
}
