// SPDX-License-Identifier: MIT
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvpatch/abi.h"

void errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("hvpatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool read_file(const char *path, struct buffer *out)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (!f) {
		errorf("%s: %s", path, strerror(errno));
		return false;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		errorf("%s: cannot tell its size", path);
		fclose(f);
		return false;
	}
	/* aligned_alloc: the bundle parser wants 8-byte alignment. */
	out->data = aligned_alloc(8, ((size_t)size + 8) & ~(size_t)7);
	out->len = (size_t)size;
	if (!out->data || fread(out->data, 1, out->len, f) != out->len) {
		errorf("%s: read failed", path);
		free(out->data);
		fclose(f);
		return false;
	}
	fclose(f);
	return true;
}

bool write_file(const char *path, const void *data, size_t len, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	const uint8_t *p = data;

	if (fd < 0) {
		errorf("%s: %s", path, strerror(errno));
		return false;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n <= 0) {
			errorf("%s: write failed: %s", path, strerror(errno));
			close(fd);
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd) == 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool parse_hex(const char *hex, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(hex);

	if (n == 0 || n % 2 != 0 || n / 2 > max)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return true;
}

void hex_string(const uint8_t *bytes, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", bytes[i]);
	out[2 * len] = '\0';
}

