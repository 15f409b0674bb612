// SPDX-License-Identifier: MIT
/*
 * hvpatchctl: the guest's command line for the hvpatch hypervisor, through
 * /dev/hvpatch (hvpatch.ko).
 *
 * Exit codes: 0 ok, 1 usage, 2 cannot open or read (no device, no
 * hypervisor, unreadable file), 3 refused by the hypervisor.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvpctl.h"

static bool json;

static void usage(FILE *f)
{
	fputs("usage: hvpatchctl [--json] COMMAND [ARG]\n"
	      "\n"
	      "  apply FILE     apply a signed patch bundle; prints the patch id\n"
	      "  revert ID      revert an applied patch\n"
	      "  list           applied patches\n"
	      "  status         protection state, regions, build-id, totals\n"
	      "  log [SERIAL]   the hypervisor's audit log, from SERIAL (default 1)\n"
	      "  counters       refusals by status and VM exits by reason\n"
	      "  hvlog [OFFSET] the hypervisor's own log (boot log, refusals, blocked\n"
	      "                 writes), from byte OFFSET of it (default 0)\n"
	      "\n"
	      "  --json         one JSON object on stdout, also on errors\n"
	      "  --help         this text\n"
	      "\n"
	      "exit codes: 0 ok, 1 usage, 2 cannot open or read (no " HVPATCH_DEVICE ",\n"
	      "no hypervisor, unreadable file), 3 refused by the hypervisor\n",
	      f);
}

/* A device call that failed (negative errno): exit code 2. */
static int fail_errno(const char *cmd, int err)
{
	const char *msg = hvpctl_errno_message(err);

	if (json)
		hvpctl_print_error_json(stdout, cmd, err);
	fprintf(stderr, "hvpatchctl: %s: %s\n", cmd, msg ? msg : strerror(-err));
	return HVPCTL_EXIT_IO;
}

static int refused(const char *cmd, hvp_u32 status)
{
	hvpctl_print_refusal(json ? stdout : stderr, cmd, status, json);
	return HVPCTL_EXIT_REFUSED;
}

static int call(unsigned long req, void *arg)
{
	int err = hvpctl_dev_open();

	if (!err)
		err = hvpctl_dev_ioctl(req, arg);
	return err;
}

static bool parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

/* An optional number argument: *v keeps its default when arg is NULL. */
static bool optional_u64(const char *cmd, const char *arg, const char *what,
			 unsigned long long *v)
{
	if (!arg || parse_u64(arg, v))
		return true;
	fprintf(stderr, "hvpatchctl: %s: '%s' is not %s\n", cmd, arg, what);
	return false;
}

static int cmd_apply(const char *path)
{
	static unsigned char buf[HVP_MAX_BUNDLE_SIZE + 1];
	struct hvpatch_ioc_apply a = { 0 };
	FILE *f = fopen(path, "rb");
	size_t n;
	int err;

	if (!f) {
		err = -errno;
		fprintf(stderr, "hvpatchctl: apply: cannot open %s: %s\n", path, strerror(-err));
		if (json)
			hvpctl_print_error_json(stdout, "apply", err);
		return HVPCTL_EXIT_IO;
	}
	n = fread(buf, 1, sizeof(buf), f);
	err = ferror(f) ? -EIO : 0;
	fclose(f);
	if (err || n == 0 || n > HVP_MAX_BUNDLE_SIZE) {
		fprintf(stderr, "hvpatchctl: apply: %s: %s\n", path,
			err ? "read error" : n == 0 ? "empty file" : "larger than 256 KiB, the most the hypervisor accepts");
		if (json)
			hvpctl_print_error_json(stdout, "apply", err ? err : -EINVAL);
		return HVPCTL_EXIT_IO;
	}
	a.buf = (hvp_u64)(unsigned long)buf;
	a.len = (hvp_u32)n;
	err = call(HVPATCH_IOC_APPLY, &a);
	if (err)
		return fail_errno("apply", err);
	if (a.status != HVP_OK)
		return refused("apply", a.status);
	hvpctl_print_applied(stdout, a.patch_id, json);
	return HVPCTL_EXIT_OK;
}

static int cmd_revert(const char *arg)
{
	struct hvpatch_ioc_revert r = { 0 };
	unsigned long long id;
	int err;

	if (!parse_u64(arg, &id) || id > UINT32_MAX) {
		fprintf(stderr, "hvpatchctl: revert: '%s' is not a patch id\n", arg);
		return HVPCTL_EXIT_USAGE;
	}
	r.patch_id = (hvp_u32)id;
	err = call(HVPATCH_IOC_REVERT, &r);
	if (err)
		return fail_errno("revert", err);
	if (r.status != HVP_OK)
		return refused("revert", r.status);
	hvpctl_print_reverted(stdout, r.patch_id, json);
	return HVPCTL_EXIT_OK;
}

static struct hvpatch_ioc_page io;

/* One page-returning call; 0 on HVP_OK, else the exit code. */
static int page_call(const char *cmd, unsigned long req, hvp_u64 arg)
{
	int err;

	memset(&io, 0, sizeof(io));
	io.arg = arg;
	err = call(req, &io);
	if (err)
		return fail_errno(cmd, err);
	if (io.status != HVP_OK)
		return refused(cmd, io.status);
	return 0;
}

static int cmd_status(void)
{
	struct hvp_status_info st;
	int rc = page_call("status", HVPATCH_IOC_STATUS, 0);

	if (rc)
		return rc;
	memcpy(&st, io.page, sizeof(st));
	hvpctl_print_status(stdout, &st, json);
	return HVPCTL_EXIT_OK;
}

static int cmd_list(void)
{
	static struct hvp_patch_info p[HVP_PAGE_SIZE / sizeof(struct hvp_patch_info)];
	unsigned int n;
	int rc = page_call("list", HVPATCH_IOC_LIST, 0);

	if (rc)
		return rc;
	n = io.result < HVP_PATCH_INFO_MAX ? (unsigned int)io.result : HVP_PATCH_INFO_MAX;
	if (io.result > n)
		fprintf(stderr, "hvpatchctl: list: hypervisor says %llu patches, showing %u\n",
			(unsigned long long)io.result, n);
	memcpy(p, io.page, n * sizeof(p[0]));
	hvpctl_print_list(stdout, p, n, json);
	return HVPCTL_EXIT_OK;
}

/* The counters, which also say what a reader of the logs cannot see. */
static int read_counters(const char *cmd, struct hvp_counters *c)
{
	int rc = page_call(cmd, HVPATCH_IOC_COUNTERS, 0);

	if (!rc)
		memcpy(c, io.page, sizeof(*c));
	return rc;
}

/* The whole log from `first`: one call per page of events. */
static int cmd_log(hvp_u64 first)
{
	enum { MAX_EVENTS = 1 << 16 };
	struct hvp_audit_event *all = NULL;
	struct hvp_counters drops;
	unsigned int total = 0;
	int rc = 0;

	for (;;) {
		unsigned int n;

		rc = page_call("log", HVPATCH_IOC_AUDIT, first);
		if (rc)
			break;
		n = io.result < HVPATCH_AUDIT_MAX ? (unsigned int)io.result : HVPATCH_AUDIT_MAX;
		if (n == 0 || total + n > MAX_EVENTS)
			break;
		all = realloc(all, (total + n) * sizeof(*all));
		if (!all) {
			fprintf(stderr, "hvpatchctl: log: out of memory\n");
			return HVPCTL_EXIT_IO;
		}
		memcpy(all + total, io.page, n * sizeof(*all));
		total += n;
		/* Serials rise by one; a page that does not move on ends the read. */
		if (all[total - 1].serial < first)
			break;
		first = all[total - 1].serial + 1;
		if (n < HVPATCH_AUDIT_MAX)
			break;
	}
	if (!rc)
		rc = read_counters("log", &drops);
	if (!rc)
		hvpctl_print_audit(stdout, all, total, &drops, json);
	free(all);
	return rc;
}

/* The hypervisor's log from `from` up to where it ended at the first
 * call: lines logged while we read (one per call, at debug level) must
 * not keep the loop going. */
static int cmd_hvlog(hvp_u64 from)
{
	const struct hvp_log_page *page = (const void *)io.page;
	hvp_u64 requested = from, start = 0, end = 0;
	struct hvp_counters drops;
	char *text = NULL;
	size_t len = 0;
	int rc;

	for (;;) {
		size_t n;
		char *grown;

		rc = page_call("hvlog", HVPATCH_IOC_HVLOG, from);
		if (rc)
			break;
		n = io.result < sizeof(page->text) ? (size_t)io.result : sizeof(page->text);
		if (!text) {
			start = page->start;
			end = page->written;
		}
		if (n == 0 || page->start >= end)
			break;
		if (page->start + n > end)
			n = end - page->start;
		grown = realloc(text, len + n + 1);
		if (!grown) {
			fprintf(stderr, "hvpatchctl: hvlog: out of memory\n");
			free(text);
			return HVPCTL_EXIT_IO;
		}
		text = grown;
		memcpy(text + len, page->text, n);
		len += n;
		text[len] = '\0';
		from = page->start + n;
	}
	if (!rc)
		rc = read_counters("hvlog", &drops);
	if (!rc)
		hvpctl_print_hvlog(stdout, text ? text : "", len, requested, start, end,
				   &drops, json);
	free(text);
	return rc;
}

static int cmd_counters(void)
{
	struct hvp_counters c;
	int rc = read_counters("counters", &c);

	if (rc)
		return rc;
	hvpctl_print_counters(stdout, &c, json);
	return HVPCTL_EXIT_OK;
}

int main(int argc, char **argv)
{
	int i = 1;
	const char *cmd;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return HVPCTL_EXIT_OK;
		} else {
			fprintf(stderr, "hvpatchctl: unknown option %s\n", argv[i]);
			usage(stderr);
			return HVPCTL_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return HVPCTL_EXIT_USAGE;
	}
	cmd = argv[i++];
	int nargs = argc - i;
	const char *arg = nargs > 0 ? argv[i] : NULL;

	if (!strcmp(cmd, "apply") && nargs == 1)
		return cmd_apply(arg);
	if (!strcmp(cmd, "revert") && nargs == 1)
		return cmd_revert(arg);
	if (!strcmp(cmd, "list") && nargs == 0)
		return cmd_list();
	if (!strcmp(cmd, "status") && nargs == 0)
		return cmd_status();
	if (!strcmp(cmd, "counters") && nargs == 0)
		return cmd_counters();
	if (!strcmp(cmd, "log") && nargs <= 1) {
		unsigned long long first = 1;

		return optional_u64(cmd, arg, "a serial number", &first) ?
			       cmd_log(first) : HVPCTL_EXIT_USAGE;
	}
	if (!strcmp(cmd, "hvlog") && nargs <= 1) {
		unsigned long long from = 0;

		return optional_u64(cmd, arg, "an offset", &from) ?
			       cmd_hvlog(from) : HVPCTL_EXIT_USAGE;
	}
	fprintf(stderr, "hvpatchctl: bad command or arguments: %s\n", cmd);
	usage(stderr);
	return HVPCTL_EXIT_USAGE;
}
