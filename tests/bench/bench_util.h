/* SPDX-License-Identifier: MIT */
/* Timing helpers for the benchmark tables (never pass/fail tests). */
#ifndef HVPATCH_BENCH_UTIL_H
#define HVPATCH_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Runs BODY repeatedly for about `seconds`; sets per_op_ns. */
#define BENCH_LOOP(seconds, per_op_ns, BODY)                            \
	do {                                                            \
		unsigned long bench_n_ = 0;                             \
		double bench_t0_ = bench_now(), bench_dt_;              \
		do {                                                    \
			for (int bench_i_ = 0; bench_i_ < 16; bench_i_++) { \
				BODY;                                   \
			}                                               \
			bench_n_ += 16;                                 \
		} while ((bench_dt_ = bench_now() - bench_t0_) < (seconds)); \
		(per_op_ns) = bench_dt_ * 1e9 / (double)bench_n_;       \
	} while (0)

/* DIR/NAME into buf (at most max bytes): its length; exits if unreadable. */
static inline size_t bench_load(const char *dir, const char *name, uint8_t *buf,
				size_t max)
{
	char path[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

static inline void bench_row(const char *what, double ns)
{
	printf("| %-48s | %12.0f | %12.0f |\n", what, ns, 1e9 / ns);
}

static inline void bench_header(const char *title)
{
	printf("\n%s\n| %-48s | %12s | %12s |\n|%s|%s|%s|\n", title, "operation",
	       "ns/op", "ops/s", "--------------------------------------------------",
	       "--------------", "--------------");
}

#endif /* HVPATCH_BENCH_UTIL_H */
