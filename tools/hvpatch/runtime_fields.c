// SPDX-License-Identifier: MIT
/*
 * Encodings follow Linux 6.1 x86 (arch/x86/kernel/alternative.c,
 * jump_label.c, ftrace.c): ftrace turns the fentry CALL into NOP5; a
 * static-key site is its NOP or its JMP; alternatives_smp_unlock() turns
 * LOCK (F0) into DS (3E) on a one-CPU machine; patch_return() turns
 * "JMP __x86_return_thunk" into RET and INT3s, or a JMP to the return
 * thunk the CPU needs; patch_retpoline() turns "CALL/JMP
 * __x86_indirect_thunk_REG" into the indirect CALL/JMP (after LFENCE with
 * retpoline=lfence), padded with the kernel's NOPs.
 */
#include "runtime_fields.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const uint8_t nops[9][8] = {
	{ 0 },
	{ 0x90 },
	{ 0x66, 0x90 },
	{ 0x0f, 0x1f, 0x00 },
	{ 0x0f, 0x1f, 0x40, 0x00 },
	{ 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

struct builder {
	const struct vmlinux *v;
	const char *name;
	uint64_t address, size;
	const uint8_t *built;
	struct field_set *out;
};

static bool add(struct builder *b, uint64_t at, uint8_t kind, uint8_t length,
		int64_t value)
{
	struct hvp_field *f;

	if (b->out->count == HVP_MAX_FIELDS) {
		errorf("%s: more than %u run-time fields", b->name,
		       HVP_MAX_FIELDS);
		return false;
	}
	f = &b->out->fields[b->out->count++];
	*f = (struct hvp_field){ .offset = (uint32_t)(at - b->address),
				 .kind = kind, .length = length,
				 .value = value };
	return true;
}

/* A ONE_OF field at `at` with encodings [enc, enc + count * len). */
static bool put_one_of(struct builder *b, uint64_t at, const uint8_t *enc,
		       unsigned int count, unsigned int len)
{
	struct field_set *o = b->out;

	if (count * len > sizeof(o->encodings) - o->encodings_len) {
		errorf("%s: the run-time fields' encodings exceed %zu bytes",
		       b->name, sizeof(o->encodings));
		return false;
	}
	if (!add(b, at, HVP_FIELD_ONE_OF, (uint8_t)len, 0))
		return false;
	o->fields[o->count - 1].encoding_count = (uint8_t)count;
	o->fields[o->count - 1].encodings_offset = o->encodings_len;
	memcpy(o->encodings + o->encodings_len, enc, count * len);
	o->encodings_len += count * len;
	return true;
}

/* The same, for a site whose as-built bytes are one of its encodings. */
static bool add_one_of(struct builder *b, uint64_t at, const uint8_t *enc,
		       unsigned int count, unsigned int len)
{
	bool holds_built = false;

	for (unsigned int i = 0; i < count; i++)
		holds_built |= memcmp(enc + i * len, b->built + (at - b->address),
				      len) == 0;
	if (!holds_built) {
		errorf("%s: the site at +%#llx does not hold, as built, what its kind of site holds",
		       b->name, (unsigned long long)(at - b->address));
		return false;
	}
	return put_one_of(b, at, enc, count, len);
}

static void put_rel32(uint8_t *out, uint8_t opcode, uint64_t at,
		      uint64_t target)
{
	int32_t rel = (int32_t)(target - (at + 5));

	out[0] = opcode;
	memcpy(out + 1, &rel, 4);
}

static uint64_t rel32_target(const uint8_t *insn, uint64_t at)
{
	int32_t rel;

	memcpy(&rel, insn + 1, 4);
	return at + 5 + (uint64_t)(int64_t)rel;
}

/* KASLR: Linux's relocs32, relocs32s, relocs64 and relocs32neg. */
static bool relocations(struct builder *b, uint64_t site)
{
	const struct vmlinux *v = b->v;
	size_t lo = 0, hi = v->reloc_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->relocs[mid].offset < b->address)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < v->reloc_count && v->relocs[lo].offset < b->address + b->size;
	     lo++) {
		const struct vmlinux_reloc *r = &v->relocs[lo];
		const uint8_t *at = b->built + (r->offset - b->address);
		int32_t s32;
		uint64_t u64;
		bool ok = true;

		if (r->offset >= site && r->offset < site + HVP_TRAMPOLINE_LEN)
			continue; /* the fentry call: a field already */
		memcpy(&s32, at, 4);
		switch (r->type) {
		case R_X86_64_NONE:
			break;
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			if (r->percpu)
				ok = add(b, r->offset, HVP_FIELD_SLIDE_NEG, 4,
					 (int64_t)s32 + (int64_t)v->stext);
			break;
		case R_X86_64_32:
		case R_X86_64_32S:
			if (!r->percpu && !r->absolute)
				ok = add(b, r->offset, HVP_FIELD_SLIDE, 4,
					 (r->type == R_X86_64_32 ?
						  (int64_t)(uint32_t)s32 :
						  (int64_t)s32) -
						 (int64_t)v->stext);
			break;
		case R_X86_64_64:
			memcpy(&u64, at, 8);
			if (!r->percpu && !r->absolute)
				ok = add(b, r->offset, HVP_FIELD_SLIDE, 8,
					 (int64_t)(u64 - v->stext));
			break;
		default:
			errorf("%s: relocation type %u at +%#llx is not modelled",
			       b->name, r->type,
			       (unsigned long long)(r->offset - b->address));
			return false;
		}
		if (!ok)
			return false;
	}
	return true;
}

static bool fentry(struct builder *b, uint64_t site)
{
	static const uint8_t nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	const struct site_list *l = &b->v->fentry;
	size_t i = site_list_first(l, site);

	if (i == l->count || l->sites[i].at != site) {
		errorf("%s: no fentry site at +%#llx (not in __mcount_loc): hvpatch patches the fentry NOP",
		       b->name, (unsigned long long)(site - b->address));
		return false;
	}
	/* As built: CALL __fentry__ or already NOP5; at run time NOP5, and
	 * the pre-image insists on it (a traced function is refused). */
	if (b->built[site - b->address] != 0xe8 &&
	    memcmp(b->built + (site - b->address), nop5, 5) != 0) {
		errorf("%s: the fentry site holds neither CALL nor NOP5", b->name);
		return false;
	}
	return put_one_of(b, site, nop5, 1, 5);
}

/* Sites of one table inside the function, one call of `each` per site. */
static bool each_site(struct builder *b, const struct site_list *l,
		      bool (*each)(struct builder *, const struct site *))
{
	for (size_t i = site_list_first(l, b->address);
	     i < l->count && l->sites[i].at < b->address + b->size; i++)
		if (!each(b, &l->sites[i]))
			return false;
	return true;
}

static bool smp_lock(struct builder *b, const struct site *s)
{
	static const uint8_t forms[2] = { 0xf0, 0x3e };

	return add_one_of(b, s->at, forms, 2, 1);
}

static bool return_site(struct builder *b, const struct site *s)
{
	uint8_t enc[HVP_FIELD_MAX_ENCODINGS][5];
	const uint8_t *insn = b->built + (s->at - b->address);
	unsigned int n = 0;

	if (insn[0] != 0xe9 || s->at + 5 > b->address + b->size) {
		errorf("%s: return site at +%#llx is not a JMP rel32",
		       b->name, (unsigned long long)(s->at - b->address));
		return false;
	}
	memcpy(enc[n++], (const uint8_t[]){ 0xc3, 0xcc, 0xcc, 0xcc, 0xcc }, 5);
	memcpy(enc[n++], insn, 5);
	for (size_t i = 0; i < b->v->return_thunk_count; i++)
		if (b->v->return_thunks[i] != rel32_target(insn, s->at))
			put_rel32(enc[n++], 0xe9, s->at, b->v->return_thunks[i]);
	return add_one_of(b, s->at, &enc[0][0], n, 5);
}

static int thunk_register(const char *thunk)
{
	static const char *const regs[16] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	static const char prefix[] = "__x86_indirect_thunk_";

	if (!thunk || strncmp(thunk, prefix, sizeof(prefix) - 1) != 0)
		return -1;
	for (int i = 0; i < 16; i++)
		if (strcmp(thunk + sizeof(prefix) - 1, regs[i]) == 0)
			return i;
	return -1;
}

/* CALL/JMP *%reg (FF /2, FF /4), after an LFENCE if asked, then (JMP)
 * an INT3, NOP-padded to len bytes. */
static bool indirect(uint8_t *out, unsigned int len, bool call, int reg,
		     bool lfence)
{
	unsigned int i = 0;

	if (lfence) {
		memcpy(out, (const uint8_t[]){ 0x0f, 0xae, 0xe8 }, 3);
		i = 3;
	}
	if (reg >= 8)
		out[i++] = 0x41;
	out[i++] = 0xff;
	out[i++] = (uint8_t)((call ? 0xd0 : 0xe0) + (reg & 7));
	if (i > len)
		return false;
	/* An INT3 after an indirect JMP stops straight-line speculation. */
	if (!call && i < len)
		out[i++] = 0xcc;
	memcpy(out + i, nops[len - i], len - i);
	return true;
}

/* CALL/JMP rel32 to a thunk, possibly after a CS prefix (the compiler's
 * -mindirect-branch-cs-prefix, which leaves room for LFENCE variants). */
static bool retpoline(struct builder *b, const struct site *s)
{
	uint8_t enc[3 * 6]; /* back to back, len bytes each */
	const uint8_t *insn = b->built + (s->at - b->address);
	unsigned int prefix = insn[0] == 0x2e, len = 5 + prefix, n;
	const uint8_t *op = insn + prefix;
	int reg = -1;

	if ((op[0] == 0xe8 || op[0] == 0xe9) &&
	    s->at + len <= b->address + b->size)
		reg = thunk_register(vmlinux_symbol_at(
			b->v, rel32_target(op, s->at + prefix)));
	if (reg < 0) {
		errorf("%s: retpoline site at +%#llx is not a CALL/JMP to __x86_indirect_thunk_REG",
		       b->name, (unsigned long long)(s->at - b->address));
		return false;
	}
	memcpy(enc, insn, len);
	indirect(enc + len, len, op[0] == 0xe8, reg, false);
	n = indirect(enc + 2 * len, len, op[0] == 0xe8, reg, true) ? 3 : 2;
	return add_one_of(b, s->at, enc, n, len);
}

static bool static_key(struct builder *b, const struct jump_site *j)
{
	const uint8_t *built = b->built + (j->code - b->address);
	uint8_t enc[2][5];
	unsigned int len = built[0] == 0xe9 || built[0] == 0x0f ? 5 : 2;

	if (j->code + len > b->address + b->size) {
		errorf("%s: a static-key site crosses its end", b->name);
		return false;
	}
	memcpy(enc[0], nops[len], len);
	if (len == 5) {
		put_rel32(enc[1], 0xe9, j->code, j->target);
	} else {
		enc[1][0] = 0xeb;
		enc[1][1] = (uint8_t)(j->target - (j->code + 2));
	}
	memcpy(enc[0] + len, enc[1], len); /* back to back, len each */
	return add_one_of(b, j->code, &enc[0][0], 2, len);
}

static bool not_modelled(struct builder *b, const struct site *s)
{
	errorf("%s: a site the kernel rewrites at boot (alternative, paravirt or static call) at +%#llx: its encodings are not modelled yet",
	       b->name, (unsigned long long)(s->at - b->address));
	return false;
}

static int by_field_offset(const void *a, const void *b)
{
	const struct hvp_field *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

bool runtime_fields(const struct vmlinux *v, const char *name,
		    uint64_t address, uint64_t size, uint32_t site_offset,
		    struct field_set *out)
{
	struct builder b = { v, name, address, size,
			     vmlinux_bytes(v, address, size), out };
	uint64_t site = address + site_offset;

	out->count = 0;
	out->encodings_len = 0;
	if (!b.built) {
		errorf("%s: no bytes in the vmlinux", name);
		return false;
	}
	if (!fentry(&b, site) || !relocations(&b, site) ||
	    !each_site(&b, &v->smp_locks, smp_lock) ||
	    !each_site(&b, &v->return_sites, return_site) ||
	    !each_site(&b, &v->retpolines, retpoline) ||
	    !each_site(&b, &v->alternatives, not_modelled) ||
	    !each_site(&b, &v->paravirt, not_modelled) ||
	    !each_site(&b, &v->static_calls, not_modelled))
		return false;
	for (size_t i = 0; i < v->jump_count; i++)
		if (v->jumps[i].code >= address &&
		    v->jumps[i].code < address + size &&
		    !static_key(&b, &v->jumps[i]))
			return false;
	qsort(out->fields, out->count, sizeof(out->fields[0]), by_field_offset);
	for (uint32_t i = 1; i < out->count; i++)
		if (out->fields[i].offset <
		    out->fields[i - 1].offset + out->fields[i - 1].length) {
			errorf("%s: run-time fields overlap at +%#x", name,
			       out->fields[i].offset);
			return false;
		}
	return true;
}
