// SPDX-License-Identifier: MIT
/*
 * A canned backend for host tests of hvpatchctl (never in the guest).
 * HVPCTL_MOCK picks the scenario:
 *   nodev        open fails: no /dev/hvpatch (ENOENT)
 *   unprotected  every ioctl fails with ENODEV (no hypervisor)
 *   locked       (default) a locked guest with patches, a 150-event audit
 *                log (two pages), counters (10,000 ring-3 refusals, of
 *                which 9,982 were only counted), and a hypervisor log of 1000
 *                lines "line NNN\n" of which the ring kept the last 800
 *                (three pages); APPLY wants HVPBNDL1 magic
 *   empty        locked, nothing applied, empty log
 *   mbec, mbec-any  locked, with mode-based execute control in force and
 *                kernel_exec approved or any
 *   refuse=N     every call answered with status N
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvpctl.h"

static const char *scenario(void)
{
	const char *s = getenv("HVPCTL_MOCK");

	return s && *s ? s : "locked";
}

int hvpctl_dev_open(void)
{
	return strcmp(scenario(), "nodev") ? 0 : -ENOENT;
}

static void fill_status(struct hvp_status_info *st, bool empty)
{
	memset(st, 0, sizeof(*st));
	st->abi_version = HVP_ABI_VERSION;
	st->flags = HVP_STATUS_LOCKED;
	if (!strncmp(scenario(), "mbec", 4))
		st->flags |= HVP_STATUS_MBEC;
	if (!strcmp(scenario(), "mbec-any"))
		st->flags |= HVP_STATUS_KERNEL_EXEC_ANY;
	st->cpu_count = 2;
	st->key_count = 1;
	st->applied_count = empty ? 0 : 2;
	st->build_id_len = 20;
	for (int i = 0; i < 20; i++)
		st->build_id[i] = (hvp_u8)(0xa0 + i);
	st->reserved_base = 0x7e000000;
	st->reserved_size = 0x1000000;
	st->region_gva[0] = 0xffffffff81000000ull;
	st->region_size[0] = 0xe02000;
	st->region_gva[1] = 0xffffffff82000000ull;
	st->region_size[1] = 0x5f7000;
	st->region_gva[2] = 0xffffffffc0001000ull;
	st->region_size[2] = 0x10000;
	st->arena_used = empty ? 0 : 96;
	st->applies = empty ? 0 : 3;
	st->reverts = empty ? 0 : 1;
	st->refusals = empty ? 0 : 4;
	st->blocked_writes = empty ? 0 : 1;
	st->last_hold_cycles = empty ? 0 : 123456;
}

static hvp_u64 fill_audit(struct hvp_audit_event *ev, hvp_u64 first, bool empty)
{
	const hvp_u64 last = empty ? 0 : 150;
	hvp_u64 n = 0;

	for (hvp_u64 s = first ? first : 1; s <= last && n < HVPATCH_AUDIT_MAX; s++, n++) {
		ev[n] = (struct hvp_audit_event){
			.serial = s,
			.timestamp = 1000000 + s * 1000,
			.type = (hvp_u16)(1 + s % 6),
			.status = s % 6 == 4 ? HVP_E_BAD_SIGNATURE : HVP_OK,
			.patch_id = (hvp_u32)(s % 6 == 2 ? s : 0),
			.sequence = s,
			.detail = (hvp_u32)(s % 3),
		};
	}
	return n;
}

/* Byte `offset` of the log stream is in line offset / 9 ("line %03u\n"). */
enum { MOCK_LOG_LINE = 9, MOCK_LOG_END = 1000 * MOCK_LOG_LINE,
       MOCK_LOG_OLDEST = 200 * MOCK_LOG_LINE };

static hvp_u64 fill_hvlog(struct hvp_log_page *page, hvp_u64 from, bool empty)
{
	const hvp_u64 end = empty ? 0 : MOCK_LOG_END;
	hvp_u64 n = 0;

	page->start = from < end ? (from > MOCK_LOG_OLDEST ? from : MOCK_LOG_OLDEST) : end;
	page->written = end;
	for (; n < sizeof(page->text) && page->start + n < end; n++) {
		hvp_u64 at = page->start + n;
		char line[MOCK_LOG_LINE + 1];

		snprintf(line, sizeof(line), "line %03u\n", (unsigned int)(at / MOCK_LOG_LINE));
		page->text[n] = line[at % MOCK_LOG_LINE];
	}
	return n;
}

int hvpctl_dev_ioctl(unsigned long cmd, void *arg)
{
	const char *sc = scenario();
	bool empty = !strcmp(sc, "empty");
	hvp_u32 status = HVP_OK;

	if (!strcmp(sc, "unprotected"))
		return -ENODEV;
	if (!strncmp(sc, "refuse=", 7))
		status = (hvp_u32)strtoul(sc + 7, NULL, 0);

	if (cmd == HVPATCH_IOC_APPLY) {
		struct hvpatch_ioc_apply *a = arg;
		const char *buf = (const char *)(unsigned long)a->buf;

		if (a->len == 0 || a->len > HVP_MAX_BUNDLE_SIZE)
			return -EINVAL;
		if (status == HVP_OK && (a->len < HVP_BUNDLE_MAGIC_LEN ||
					 memcmp(buf, HVP_BUNDLE_MAGIC, HVP_BUNDLE_MAGIC_LEN)))
			status = HVP_E_BAD_MAGIC;
		a->status = status;
		a->patch_id = status == HVP_OK ? 7 : 0;
		return 0;
	}
	if (cmd == HVPATCH_IOC_REVERT) {
		struct hvpatch_ioc_revert *r = arg;

		if (status == HVP_OK && r->patch_id != 7)
			status = HVP_E_NO_SUCH_PATCH;
		r->status = status;
		return 0;
	}

	struct hvpatch_ioc_page *io = arg;

	io->status = status;
	io->result = 0;
	if (status != HVP_OK)
		return 0;
	memset(io->page, 0, sizeof(io->page));
	if (cmd == HVPATCH_IOC_STATUS) {
		fill_status((struct hvp_status_info *)io->page, empty);
	} else if (cmd == HVPATCH_IOC_LIST) {
		struct hvp_patch_info *p = (struct hvp_patch_info *)io->page;

		if (!empty) {
			p[0] = (struct hvp_patch_info){ .id = 2, .site_count = 1, .sequence = 5,
							.arena_gva = 0xffffffffc0001000ull };
			p[1] = (struct hvp_patch_info){ .id = 3, .site_count = 2, .sequence = 6,
							.arena_gva = 0xffffffffc0001040ull };
			memset(p[0].key_id, 0x11, sizeof(p[0].key_id));
			memset(p[1].key_id, 0x22, sizeof(p[1].key_id));
			io->result = 2;
		}
	} else if (cmd == HVPATCH_IOC_AUDIT) {
		io->result = fill_audit((struct hvp_audit_event *)io->page, io->arg, empty);
	} else if (cmd == HVPATCH_IOC_HVLOG) {
		io->result = fill_hvlog((struct hvp_log_page *)io->page, io->arg, empty);
	} else if (cmd == HVPATCH_IOC_COUNTERS) {
		struct hvp_counters *c = (struct hvp_counters *)io->page;

		if (!empty) {
			c->refusals[HVP_E_BAD_SIGNATURE] = 3;
			c->refusals[HVP_E_CPL] = 10000;
			c->unrecorded[HVP_E_CPL] = 9982;
			c->audit_floodable_overwritten = 2;
			c->exits[10] = 5000;
			c->exits[48] = 2;
			c->blocked_writes = 1;
			c->jump_label_writes = 6;
		}
	} else {
		return -ENOTTY;
	}
	return 0;
}
