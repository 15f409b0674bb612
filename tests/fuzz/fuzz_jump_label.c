// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for static-key switches after lock
 * (patch/jump_label.c).  The input is a sequence of guest writes to the
 * locked text, each handed to hvp_engine_jump_label_write() as the EPT
 * path would:
 *
 *   u16 text offset (little-endian), u8 length (taken mod 7), bytes
 *
 * After every write, whatever the engine answered: a refusal changed no
 * byte of text, and an accepted write changed bytes of one site only,
 * which is now in a state its table entry allows (its NOP or its
 * JMP-to-target, the first byte possibly INT3; checked here with the
 * fixture's own encodings, not the engine's).  A violation aborts, which
 * libFuzzer reports as a crash.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_fixture.h"

static struct fixture fx;
/* The text's physical pages, in physical order (the fixture maps them in
 * reverse): one memcmp tells whether anything changed. */
static uint8_t text[FX_TEXT_SIZE];

static uint8_t *text_ram(void)
{
	return fx.m.ram + FX_TEXT_GPA;
}

/* The text offset of byte i of the physical block. */
static uint32_t text_offset(uint32_t i)
{
	return (uint32_t)(FX_TEXT_SIZE / 4096 - 1 - i / 4096) * 4096 + i % 4096;
}

static bool site_state_allowed(const struct fx_jump_site *s, const uint8_t *w)
{
	uint8_t forms[2][5];

	fx_jump_nop(s, forms[0]);
	fx_jump_jmp(s, forms[1]);
	for (int f = 0; f < 2; f++)
		if ((w[0] == forms[f][0] || w[0] == 0xcc) &&
		    !memcmp(w + 1, forms[f] + 1, s->size - 1))
			return true;
	return false;
}

static const struct fx_jump_site *site_of(uint32_t offset)
{
	for (unsigned int i = 0; i < FX_JUMP_SITES; i++)
		if (offset >= fx_jump_sites[i].code &&
		    offset < fx_jump_sites[i].code + fx_jump_sites[i].size)
			return &fx_jump_sites[i];
	return NULL;
}

static void fail(const char *why, uint32_t offset, size_t len)
{
	fprintf(stderr, "fuzz_jump_label: %s (write of %zu at text +%#x)\n", why, len,
		offset);
	abort();
}

/* Compares the text now with the text before one write. */
static void check_write(enum hvp_status status, uint32_t offset, size_t len)
{
	const uint8_t *now = text_ram();
	const struct fx_jump_site *site = NULL;
	bool changed = memcmp(now, text, sizeof(text)) != 0;
	uint8_t window[5];

	for (uint32_t i = 0; changed && i < FX_TEXT_SIZE; i++) {
		if (now[i] == text[i])
			continue;
		if (status != HVP_OK)
			fail("a refused write changed text", offset, len);
		if (!site_of(text_offset(i)) || (site && site_of(text_offset(i)) != site))
			fail("an accepted write changed bytes outside one site", offset, len);
		site = site_of(text_offset(i));
	}
	if (status == HVP_OK) {
		site = site_of(offset);
		if (!site || site_of(offset + (uint32_t)len - 1) != site)
			fail("a write outside one site was accepted", offset, len);
		for (uint32_t b = 0; b < site->size; b++)
			window[b] = *fx_text(&fx, site->code + b);
		if (!site_state_allowed(site, window))
			fail("an accepted write left a site in a state its entry forbids",
			     offset, len);
	}
	if (changed)
		memcpy(text, now, sizeof(text));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fx_init_jump_labels(&fx);
	memcpy(text, text_ram(), sizeof(text));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Every input starts from the same sites: put back what it changed. */
	static uint8_t initial[FX_TEXT_SIZE];
	static bool have_initial;

	if (!have_initial) {
		memcpy(initial, text, sizeof(initial));
		have_initial = true;
	}
	while (size >= 3) {
		uint32_t offset = (uint32_t)(data[0] | data[1] << 8) % FX_TEXT_SIZE;
		size_t len = data[2] % 7;
		enum hvp_status status;

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		status = hvp_engine_jump_label_write(fx.engine, FX_TEXT_GVA + offset, data,
						     len);
		check_write(status, offset, len);
		data += len;
		size -= len;
	}
	memcpy(text_ram(), initial, sizeof(initial));
	memcpy(text, initial, sizeof(text));
	return 0;
}
