// SPDX-License-Identifier: MIT
#include "pem.h"

#include <stdbool.h>

static const char begin[] = "-----BEGIN PUBLIC KEY-----";
static const char end[] = "-----END PUBLIC KEY-----";

static bool starts_with(const char *s, size_t len, const char *prefix, size_t n)
{
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] != prefix[i])
			return false;
	return true;
}

static int sextet(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

size_t hvp_pem_public_key(const char *text, size_t len, uint8_t *der, size_t max)
{
	size_t pos = 0, out = 0;
	unsigned int bits = 0, acc = 0, padding = 0;

	while (pos < len && !starts_with(text + pos, len - pos, begin, sizeof(begin) - 1))
		pos++;
	if (pos == len)
		return 0;
	for (pos += sizeof(begin) - 1; pos < len; pos++) {
		char c = text[pos];
		int v;

		if (starts_with(text + pos, len - pos, end, sizeof(end) - 1))
			return bits == 0 || padding ? out : 0;
		if (c == '\r' || c == '\n' || c == ' ' || c == '\t')
			continue;
		if (c == '=') {
			padding++;
			bits = 0; /* the leftover bits are padding */
			continue;
		}
		v = sextet(c);
		if (v < 0 || padding)
			return 0;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (out == max)
				return 0;
			der[out++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return 0; /* no END line */
}
