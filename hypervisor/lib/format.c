// SPDX-License-Identifier: MIT
#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len++] = c;
}

static void put_padded(struct out *o, const char *s, size_t n, unsigned int width,
		       bool left, char pad)
{
	size_t fill = width > n ? width - n : 0;

	/* Zero padding goes after a sign. */
	if (pad == '0' && n && *s == '-') {
		put(o, *s++);
		n--;
	}
	for (; !left && fill; fill--)
		put(o, pad);
	while (n--)
		put(o, *s++);
	for (; left && fill; fill--)
		put(o, ' ');
}

static size_t to_digits(char *end, uint64_t v, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		*--end = digits[v % base];
		v /= base;
		n++;
	} while (v);
	return n;
}

size_t hvp_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		char num[24], *end = num + sizeof(num);
		unsigned int width = 0, longs = 0;
		bool left = false, is_size = false, alternate = false;
		char pad = ' ';
		uint64_t v;
		size_t n;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '0' || *fmt == '-' || *fmt == '#'; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '#')
				alternate = true;
			else
				pad = '0';
		}
		if (left)
			pad = ' ';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++) {
			if (*fmt == 'z')
				is_size = true;
			else
				longs++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			for (n = 0; s[n]; n++)
				;
			put_padded(&o, s, n, width, left, ' ');
			break;
		}
		case 'c':
			num[0] = (char)va_arg(ap, int);
			put_padded(&o, num, 1, width, left, ' ');
			break;
		case 'd':
		case 'i': {
			int64_t s = is_size ? (int64_t)va_arg(ap, long) :
				    longs ? (int64_t)va_arg(ap, long long) :
					    (int64_t)va_arg(ap, int);

			v = s < 0 ? 0 - (uint64_t)s : (uint64_t)s;
			n = to_digits(end, v, 10, false);
			if (s < 0) {
				*(end - n - 1) = '-';
				n++;
			}
			put_padded(&o, end - n, n, width, left, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = is_size || longs ? (uint64_t)va_arg(ap, unsigned long long) :
					       (uint64_t)va_arg(ap, unsigned int);
			n = to_digits(end, v, *fmt == 'u' ? 10 : 16, *fmt == 'X');
			if (alternate && *fmt != 'u' && v) {
				put(&o, '0');
				put(&o, *fmt);
			}
			put_padded(&o, end - n, n, width, left, pad);
			break;
		case 'p':
			v = (uint64_t)(uintptr_t)va_arg(ap, void *);
			n = to_digits(end, v, 16, false);
			put(&o, '0');
			put(&o, 'x');
			put_padded(&o, end - n, n, width, left, pad);
			break;
		case '%':
			put(&o, '%');
			break;
		default: /* unknown conversion: print it, so the bug shows */
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			else
				fmt--;
			break;
		}
	}
	if (o.size)
		o.buf[o.len] = '\0';
	return o.len;
}

size_t hvp_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = hvp_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
