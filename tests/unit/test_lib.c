// SPDX-License-Identifier: MIT
/*
 * The portable helpers of hypervisor/lib: the log formatter and the
 * byte ring that HVP_HC_LOG_READ reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/byte_ring.h"
#include "lib/format.h"
#include "lib/sort.h"

/* Every array of six values from 0 to 5, and a large one with
 * duplicates, come out ascending, the large one with the same sum. */
static void sort_u64(void **state)
{
	uint64_t v[6], big[1000], sum = 0, sorted_sum = 0;

	for (uint64_t code = 0; code < 6 * 6 * 6 * 6 * 6 * 6; code++) {
		uint64_t c = code;

		for (int i = 0; i < 6; i++, c /= 6)
			v[i] = c % 6;
		hvp_sort_u64(v, 6);
		for (int i = 1; i < 6; i++)
			assert_true(v[i - 1] <= v[i]);
	}
	for (int i = 0; i < 1000; i++) {
		big[i] = (uint64_t)(i * 7919 % 1000) << 32 | (uint64_t)(i % 13);
		sum += big[i];
	}
	hvp_sort_u64(big, 1000);
	for (int i = 0; i < 1000; i++) {
		sorted_sum += big[i];
		if (i)
			assert_true(big[i - 1] <= big[i]);
	}
	assert_true(sum == sorted_sum);
	hvp_sort_u64(big, 0);
	hvp_sort_u64(big, 1);
}
static void formatter(void **state)
{
	char buf[64];

	hvp_format(buf, sizeof(buf), "%s=%d %u 0x%llx %5d|%-4s|%03x %zu %c%%", "a", -42,
		   4000000000u, 0xfee00000ull, 7, "ab", 0xa, (size_t)12, 'z');
	assert_string_equal(buf, "a=-42 4000000000 0xfee00000     7|ab  |00a 12 z%");
	hvp_format(buf, sizeof(buf), "%lld %s", -9223372036854775807ll - 1, NULL);
	assert_string_equal(buf, "-9223372036854775808 (null)");
	/* Truncates, always terminated; returns what fits. */
	assert_int_equal(hvp_format(buf, 8, "%s", "0123456789"), 7);
	assert_string_equal(buf, "0123456");
	hvp_format(buf, sizeof(buf), "%#llx %#x %#x", 0xffffffff81000000ull, 0, 255);
	assert_string_equal(buf, "0xffffffff81000000 0 0xff");
	hvp_format(buf, sizeof(buf), "%q");
	assert_string_equal(buf, "%q");
}

/* A reader names stream offsets; the ring keeps only the last `size`. */
static void log_ring(void **state)
{
	char buf[8], out[16];
	struct hvp_byte_ring r = { .buf = buf, .size = sizeof(buf) };
	uint64_t start;

	assert_int_equal(hvp_byte_ring_read(&r, 0, out, sizeof(out), &start), 0);
	assert_int_equal(start, 0);
	hvp_byte_ring_write(&r, "hello", 5);
	assert_int_equal(hvp_byte_ring_read(&r, 1, out, sizeof(out), &start), 4);
	assert_int_equal(start, 1);
	assert_memory_equal(out, "ello", 4);
	/* Wraps: 13 bytes written, the oldest 5 are gone. */
	hvp_byte_ring_write(&r, ", world!", 8);
	assert_int_equal(r.written, 13);
	assert_int_equal(hvp_byte_ring_read(&r, 0, out, sizeof(out), &start), 8);
	assert_int_equal(start, 5);
	assert_memory_equal(out, ", world!", 8);
	/* A small buffer takes the next piece; the reader moves on by it. */
	assert_int_equal(hvp_byte_ring_read(&r, 7, out, 3, &start), 3);
	assert_int_equal(start, 7);
	assert_memory_equal(out, "wor", 3);
	assert_int_equal(hvp_byte_ring_read(&r, 10, out, 3, &start), 3);
	assert_memory_equal(out, "ld!", 3);
	/* At or past the end: nothing, and start says where the end is. */
	assert_int_equal(hvp_byte_ring_read(&r, 13, out, sizeof(out), &start), 0);
	assert_int_equal(hvp_byte_ring_read(&r, ~0ull, out, sizeof(out), &start), 0);
	assert_int_equal(start, 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formatter),
		cmocka_unit_test(log_ring),
		cmocka_unit_test(sort_u64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
