// SPDX-License-Identifier: MIT
/*
 * hvpatchctl output: human-readable text and JSON.  Pure functions of the
 * hypervisor's answers (include/hvpatch/abi.h), so the host tests them
 * with cmocka (tests/agent).  Addresses are JSON strings ("0x..."),
 * since a 64-bit address does not fit a double; counts are numbers.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "hvpctl.h"


const char *hvpctl_status_name(hvp_u32 status)
{
	return hvp_status_name(status);
}

const char *hvpctl_status_text(hvp_u32 status)
{
	return hvp_status_text(status);
}

const char *hvpctl_audit_type_name(hvp_u16 type)
{
	switch (type) {
	case HVP_AUDIT_REGISTER: return "REGISTER";
	case HVP_AUDIT_LOCK: return "LOCK";
	case HVP_AUDIT_APPLY: return "APPLY";
	case HVP_AUDIT_REVERT: return "REVERT";
	case HVP_AUDIT_REFUSAL: return "REFUSAL";
	case HVP_AUDIT_BLOCKED_WRITE: return "BLOCKED_WRITE";
	case HVP_AUDIT_BLOCKED_MAPPING: return "BLOCKED_MAPPING";
	case HVP_AUDIT_BLOCKED_CONTROL: return "BLOCKED_CONTROL";
	case HVP_AUDIT_BLOCKED_EXEC: return "BLOCKED_EXEC";
	case HVP_AUDIT_NEW_KERNEL_CODE: return "NEW_KERNEL_CODE";
	default: return "UNKNOWN";
	}
}

/* SDM Vol. 3D, appendix C, table C-1. */
static const char *const exit_names[HVP_EXIT_REASONS] = {
	[0] = "exception or NMI", [1] = "external interrupt", [2] = "triple fault",
	[3] = "INIT", [4] = "SIPI", [5] = "I/O SMI", [6] = "other SMI",
	[7] = "interrupt window", [8] = "NMI window", [9] = "task switch",
	[10] = "CPUID", [11] = "GETSEC", [12] = "HLT", [13] = "INVD", [14] = "INVLPG",
	[15] = "RDPMC", [16] = "RDTSC", [17] = "RSM", [18] = "VMCALL", [19] = "VMCLEAR",
	[20] = "VMLAUNCH", [21] = "VMPTRLD", [22] = "VMPTRST", [23] = "VMREAD",
	[24] = "VMRESUME", [25] = "VMWRITE", [26] = "VMXOFF", [27] = "VMXON",
	[28] = "CR access", [29] = "MOV DR", [30] = "I/O instruction", [31] = "RDMSR",
	[32] = "WRMSR", [33] = "entry failure: guest state", [34] = "entry failure: MSR load",
	[36] = "MWAIT", [37] = "monitor trap flag", [39] = "MONITOR", [40] = "PAUSE",
	[41] = "entry failure: machine check", [43] = "TPR below threshold",
	[44] = "APIC access", [45] = "virtualized EOI", [46] = "GDTR/IDTR access",
	[47] = "LDTR/TR access", [48] = "EPT violation", [49] = "EPT misconfiguration",
	[50] = "INVEPT", [51] = "RDTSCP", [52] = "preemption timer", [53] = "INVVPID",
	[54] = "WBINVD", [55] = "XSETBV", [56] = "APIC write", [57] = "RDRAND",
	[58] = "INVPCID", [59] = "VMFUNC", [60] = "ENCLS", [61] = "RDSEED",
	[62] = "PML full", [63] = "XSAVES", [64] = "XRSTORS", [66] = "SPP event",
	[67] = "UMWAIT", [68] = "TPAUSE", [69] = "LOADIWKEY",
};

const char *hvpctl_exit_reason_name(unsigned int reason)
{
	return reason < HVP_EXIT_REASONS ? exit_names[reason] : NULL;
}

const char *hvpctl_errno_message(int err)
{
	switch (err) {
	case -ENODEV: return "no hvpatch hypervisor (this kernel runs unprotected)";
	case -ENOENT: return "cannot open " HVPATCH_DEVICE ": no such device node (is hvpatch.ko loaded?)";
	case -EACCES:
	case -EPERM: return "permission denied (run as root)";
	case -ENOTTY: return "the module does not know this request (hvpatch.ko and hvpatchctl differ)";
	case -ENOMEM: return "out of memory in the kernel";
	case -EINVAL: return "invalid request (bad length or field)";
	case -EFAULT: return "bad address";
	default: return NULL;
	}
}

void hvpctl_json_string(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
}

static void json_kv_str(FILE *f, const char *key, const char *value)
{
	fprintf(f, "\"%s\": \"", key);
	hvpctl_json_string(f, value);
	fputc('"', f);
}

static void print_hex(FILE *f, const hvp_u8 *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

static const char *const region_names[3] = { "text", "rodata", "arena" };

/* What code the kernel may run: said plainly, MBEC or not. */
static const char *kernel_exec_text(hvp_u32 flags)
{
	if (!(flags & HVP_STATUS_MBEC))
		return "no MBEC on this CPU: new kernel code can still run";
	if (flags & HVP_STATUS_KERNEL_EXEC_ANY)
		return "MBEC in force, new kernel code allowed and logged (kernel_exec any)";
	return "MBEC in force, approved code only";
}

void hvpctl_print_status(FILE *f, const struct hvp_status_info *st, bool json)
{
	hvp_u32 idlen = st->build_id_len <= HVP_BUILD_ID_MAX ? st->build_id_len : HVP_BUILD_ID_MAX;
	bool locked = st->flags & HVP_STATUS_LOCKED;

	if (json) {
		fprintf(f, "{\"command\": \"status\", \"ok\": true, \"abi_version\": %" PRIu32
			   ", \"locked\": %s, \"flags\": %" PRIu32 ", \"mbec\": %s"
			   ", \"kernel_exec\": \"%s\", \"kernel_exec_text\": \"%s\""
			   ", \"cpu_count\": %" PRIu32
			   ", \"key_count\": %" PRIu32 ", \"applied_count\": %" PRIu32
			   ", \"build_id\": \"",
			st->abi_version, locked ? "true" : "false", st->flags,
			st->flags & HVP_STATUS_MBEC ? "true" : "false",
			st->flags & HVP_STATUS_KERNEL_EXEC_ANY ? "any" : "approved",
			kernel_exec_text(st->flags), st->cpu_count,
			st->key_count, st->applied_count);
		print_hex(f, st->build_id, idlen);
		fprintf(f, "\", \"reserved_base\": \"0x%" PRIx64 "\", \"reserved_size\": %" PRIu64
			   ", \"regions\": [",
			st->reserved_base, st->reserved_size);
		for (int i = 0; i < 3; i++)
			fprintf(f, "%s{\"name\": \"%s\", \"gva\": \"0x%" PRIx64 "\", \"size\": %" PRIu64 "}",
				i ? ", " : "", region_names[i], st->region_gva[i], st->region_size[i]);
		fprintf(f, "], \"arena_used\": %" PRIu64 ", \"applies\": %" PRIu64
			   ", \"reverts\": %" PRIu64 ", \"refusals\": %" PRIu64
			   ", \"blocked_writes\": %" PRIu64 ", \"last_hold_cycles\": %" PRIu64 "}\n",
			st->arena_used, st->applies, st->reverts, st->refusals, st->blocked_writes,
			st->last_hold_cycles);
		return;
	}
	fprintf(f, "protection: %s\n", locked ? "LOCKED" : "NOT LOCKED (kernel text is not protected)");
	fprintf(f, "kernel exec: %s\n", kernel_exec_text(st->flags));
	fprintf(f, "abi version: %" PRIu32 "\n", st->abi_version);
	fprintf(f, "cpus: %" PRIu32 ", enrolled keys: %" PRIu32 ", applied patches: %" PRIu32 "\n",
		st->cpu_count, st->key_count, st->applied_count);
	fputs("build-id: ", f);
	if (idlen)
		print_hex(f, st->build_id, idlen);
	else
		fputs("(none)", f);
	fputc('\n', f);
	for (int i = 0; i < 3; i++) {
		fprintf(f, "%-7s 0x%016" PRIx64 " +0x%" PRIx64, region_names[i], st->region_gva[i],
			st->region_size[i]);
		if (i == 2)
			fprintf(f, " (%" PRIu64 " bytes used)", st->arena_used);
		fputc('\n', f);
	}
	fprintf(f, "hypervisor memory: 0x%" PRIx64 " +0x%" PRIx64 "\n", st->reserved_base,
		st->reserved_size);
	fprintf(f, "applies %" PRIu64 ", reverts %" PRIu64 ", refusals %" PRIu64
		   ", blocked writes %" PRIu64 ", last hold %" PRIu64 " cycles\n",
		st->applies, st->reverts, st->refusals, st->blocked_writes, st->last_hold_cycles);
}

void hvpctl_print_list(FILE *f, const struct hvp_patch_info *p, unsigned int n, bool json)
{
	if (json) {
		fputs("{\"command\": \"list\", \"ok\": true, \"patches\": [", f);
		for (unsigned int i = 0; i < n; i++) {
			fprintf(f, "%s{\"id\": %" PRIu32 ", \"sites\": %" PRIu32 ", \"sequence\": %" PRIu64
				   ", \"arena_gva\": \"0x%" PRIx64 "\", \"key_id\": \"",
				i ? ", " : "", p[i].id, p[i].site_count, p[i].sequence, p[i].arena_gva);
			print_hex(f, p[i].key_id, sizeof(p[i].key_id));
			fputs("\"}", f);
		}
		fputs("]}\n", f);
		return;
	}
	if (n == 0) {
		fputs("no patches applied\n", f);
		return;
	}
	fprintf(f, "%-6s %-6s %-10s %-18s %s\n", "ID", "SITES", "SEQUENCE", "ARENA", "KEY");
	for (unsigned int i = 0; i < n; i++) {
		fprintf(f, "%-6" PRIu32 " %-6" PRIu32 " %-10" PRIu64 " 0x%016" PRIx64 " ", p[i].id,
			p[i].site_count, p[i].sequence, p[i].arena_gva);
		print_hex(f, p[i].key_id, 8);
		fputs("...\n", f);
	}
}

/* "HVP_E_CPL", or "status_31" past the known codes. */
static void print_status_key(FILE *f, unsigned int s)
{
	if (s < HVP_STATUS_COUNT)
		fputs(hvpctl_status_name(s), f);
	else
		fprintf(f, "status_%u", s);
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* "KEY": {"HVP_E_CPL": 9982, ...}: the non-zero counts by status. */
static void print_status_counts_json(FILE *f, const char *key,
				     const hvp_u64 counts[HVP_REFUSAL_SLOTS])
{
	bool any = false;

	fprintf(f, "\"%s\": {", key);
	for (unsigned int s = 0; s < HVP_REFUSAL_SLOTS; s++) {
		if (!counts[s])
			continue;
		fprintf(f, "%s\"", any ? ", " : "");
		print_status_key(f, s);
		fprintf(f, "\": %" PRIu64, counts[s]);
		any = true;
	}
	fputc('}', f);
}

/* "unrecorded": refusals counted only (rate limit). */
static void print_unrecorded_json(FILE *f, const struct hvp_counters *c)
{
	print_status_counts_json(f, "unrecorded", c->unrecorded);
}

static void print_unrecorded_text(FILE *f, const struct hvp_counters *c)
{
	for (unsigned int s = 0; s < ARRAY_LEN(c->unrecorded); s++) {
		if (!c->unrecorded[s])
			continue;
		fprintf(f, "[dropped: %" PRIu64 " ", c->unrecorded[s]);
		print_status_key(f, s);
		fputs(" refusals were counted but not recorded (rate limit)]\n", f);
	}
}

void hvpctl_print_audit(FILE *f, const struct hvp_audit_event *ev, unsigned int n,
			const struct hvp_counters *drops, bool json)
{
	if (json) {
		fputs("{\"command\": \"log\", \"ok\": true, \"events\": [", f);
		for (unsigned int i = 0; i < n; i++) {
			fprintf(f, "%s{\"serial\": %" PRIu64 ", \"tsc\": %" PRIu64 ", ", i ? ", " : "",
				ev[i].serial, ev[i].timestamp);
			json_kv_str(f, "type", hvpctl_audit_type_name(ev[i].type));
			fputs(", ", f);
			json_kv_str(f, "status", hvpctl_status_name(ev[i].status));
			fprintf(f, ", \"patch_id\": %" PRIu32 ", \"sequence\": %" PRIu64
				   ", \"detail\": %" PRIu32 "}",
				ev[i].patch_id, ev[i].sequence, ev[i].detail);
		}
		fprintf(f, "], \"dropped\": {\"overwritten\": %" PRIu64
			   ", \"floodable_overwritten\": %" PRIu64 ", ",
			drops->audit_overwritten, drops->audit_floodable_overwritten);
		print_unrecorded_json(f, drops);
		fputs("}}\n", f);
		return;
	}
	print_unrecorded_text(f, drops);
	if (drops->audit_overwritten || drops->audit_floodable_overwritten)
		fprintf(f, "[dropped: %" PRIu64 " events and %" PRIu64
			   " rate-limited refusals were overwritten in the audit ring]\n",
			drops->audit_overwritten, drops->audit_floodable_overwritten);
	if (n == 0) {
		fputs("audit log is empty\n", f);
		return;
	}
	fprintf(f, "%-6s %-20s %-13s %-22s %-6s %-18s %s\n", "SERIAL", "TSC", "TYPE", "STATUS",
		"PATCH", "SEQUENCE/GPA", "DETAIL");
	for (unsigned int i = 0; i < n; i++)
		fprintf(f, "%-6" PRIu64 " %-20" PRIu64 " %-13s %-22s %-6" PRIu32 " 0x%-16" PRIx64
			   " %" PRIu32 "\n",
			ev[i].serial, ev[i].timestamp, hvpctl_audit_type_name(ev[i].type),
			hvpctl_status_name(ev[i].status), ev[i].patch_id, ev[i].sequence,
			ev[i].detail);
}

void hvpctl_print_hvlog(FILE *f, const char *text, size_t len, hvp_u64 requested,
			hvp_u64 start, hvp_u64 end, const struct hvp_counters *drops,
			bool json)
{
	hvp_u64 dropped = start > requested ? start - requested : 0;

	if (json) {
		fprintf(f, "{\"command\": \"hvlog\", \"ok\": true, \"start\": %" PRIu64
			   ", \"end\": %" PRIu64 ", \"dropped\": %" PRIu64 ", ",
			start, end, dropped);
		print_unrecorded_json(f, drops);
		fputs(", ", f);
		json_kv_str(f, "text", text);
		fputs("}\n", f);
		return;
	}
	if (dropped)
		fprintf(f, "[%" PRIu64 " earlier bytes were overwritten in the hypervisor's log ring]\n",
			dropped);
	print_unrecorded_text(f, drops);
	fwrite(text, 1, len, f);
	if (len && text[len - 1] != '\n')
		fputc('\n', f);
}

void hvpctl_print_counters(FILE *f, const struct hvp_counters *c, bool json)
{
	bool any = false;

	if (json) {
		fputs("{\"command\": \"counters\", \"ok\": true, ", f);
		print_status_counts_json(f, "refusals", c->refusals);
		fputs(", \"exits\": {", f);
		for (unsigned int r = 0; r < HVP_EXIT_REASONS; r++) {
			if (!c->exits[r])
				continue;
			fprintf(f, "%s\"%u\": %" PRIu64, any ? ", " : "", r, c->exits[r]);
			any = true;
		}
		fprintf(f, "}, \"blocked_writes\": %" PRIu64 ", \"blocked_cr_writes\": %" PRIu64
			   ", \"blocked_control_writes\": %" PRIu64
			   ", \"jump_label_writes\": %" PRIu64 ", \"jump_label_int3\": %" PRIu64
			   ", \"blocked_execs\": %" PRIu64 ", \"new_kernel_code\": %" PRIu64 "}\n",
			c->blocked_writes, c->blocked_cr_writes, c->blocked_control_writes,
			c->jump_label_writes, c->jump_label_int3, c->blocked_execs,
			c->new_kernel_code);
		return;
	}
	fputs("refusals:\n", f);
	for (unsigned int s = 0; s < ARRAY_LEN(c->refusals); s++) {
		if (!c->refusals[s])
			continue;
		fprintf(f, "  %-22s %10" PRIu64 "  %s\n", hvpctl_status_name(s),
			c->refusals[s], hvpctl_status_text(s));
		any = true;
	}
	if (!any)
		fputs("  none\n", f);
	fputs("vm exits:\n", f);
	any = false;
	for (unsigned int r = 0; r < HVP_EXIT_REASONS; r++) {
		const char *name = hvpctl_exit_reason_name(r);

		if (!c->exits[r])
			continue;
		fprintf(f, "  %3u %-28s %12" PRIu64 "\n", r, name ? name : "?", c->exits[r]);
		any = true;
	}
	if (!any)
		fputs("  none\n", f);
	fprintf(f, "blocked writes: %" PRIu64 " to protected memory, %" PRIu64
		   " to control registers, %" PRIu64 " to pinned IDTR, GDTR, MSRs, breakpoints\n",
		c->blocked_writes, c->blocked_cr_writes, c->blocked_control_writes);
	fprintf(f, "static-key switch steps done by the hypervisor: %" PRIu64 "\n",
		c->jump_label_writes);
	fprintf(f, "INT3s at switching static-key sites run by the hypervisor: %" PRIu64 "\n",
		c->jump_label_int3);
	fprintf(f, "kernel fetches outside approved code (MBEC): %" PRIu64 " refused, %" PRIu64
		   " pages allowed\n",
		c->blocked_execs, c->new_kernel_code);
}

void hvpctl_print_applied(FILE *f, hvp_u32 patch_id, bool json)
{
	if (json)
		fprintf(f, "{\"command\": \"apply\", \"ok\": true, \"status\": \"HVP_OK\", \"patch_id\": %" PRIu32 "}\n",
			patch_id);
	else
		fprintf(f, "applied: patch id %" PRIu32 "\n", patch_id);
}

void hvpctl_print_reverted(FILE *f, hvp_u32 patch_id, bool json)
{
	if (json)
		fprintf(f, "{\"command\": \"revert\", \"ok\": true, \"status\": \"HVP_OK\", \"patch_id\": %" PRIu32 "}\n",
			patch_id);
	else
		fprintf(f, "reverted: patch id %" PRIu32 "\n", patch_id);
}

void hvpctl_print_refusal(FILE *f, const char *cmd, hvp_u32 status, bool json)
{
	if (json) {
		fputs("{", f);
		json_kv_str(f, "command", cmd);
		fprintf(f, ", \"ok\": false, \"refused\": true, \"code\": %" PRIu32 ", ", status);
		json_kv_str(f, "status", hvpctl_status_name(status));
		fputs(", ", f);
		json_kv_str(f, "message", hvpctl_status_text(status));
		fputs("}\n", f);
	} else {
		fprintf(f, "REFUSED: %s: %s\n", hvpctl_status_name(status), hvpctl_status_text(status));
	}
}

void hvpctl_print_error_json(FILE *f, const char *cmd, int err)
{
	const char *msg = hvpctl_errno_message(err);

	fputs("{", f);
	json_kv_str(f, "command", cmd);
	fprintf(f, ", \"ok\": false, \"refused\": false, \"errno\": %d, ", -err);
	json_kv_str(f, "error", msg ? msg : strerror(-err));
	fputs("}\n", f);
}
