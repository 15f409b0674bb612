// SPDX-License-Identifier: MIT
/*
 * VMCALL: the guest agent's hypercalls (docs/hypercalls.md).  VMCALL
 * exits unconditionally in VMX non-root operation, at any privilege level
 * (SDM Vol. 3C, 26.1.2), so the CPL check is ours: CPL is SS.DPL (SDM
 * Vol. 3A, 5.5).  Every call returns a status in RAX and never faults
 * the guest; the instruction is always skipped.
 *
 * Calls are serialized by a try-lock: a second caller while one is in
 * progress gets HVP_E_BUSY rather than spinning in VMX root, where it
 * could never be held for the first caller's patch.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx.h"
#include "vmx/exit.h"
#include "vmx/guest_memory.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"
#include "vmx/smp.h"

static uint8_t out_page[HVP_PAGE_SIZE] __attribute__((aligned(HVP_PAGE_SIZE)));
static const char *const call_names[] = {
	[HVP_HC_VERSION] = "version", [HVP_HC_STATUS] = "status",
	[HVP_HC_REGISTER_TEXT] = "register text",
	[HVP_HC_REGISTER_RODATA] = "register rodata",
	[HVP_HC_REGISTER_ARENA] = "register arena", [HVP_HC_LOCK] = "lock",
	[HVP_HC_REGISTER_JUMP_TABLE] = "register jump table",
	[HVP_HC_APPLY] = "apply", [HVP_HC_REVERT] = "revert",
	[HVP_HC_LIST] = "list", [HVP_HC_AUDIT_READ] = "audit read",
	[HVP_HC_COUNTERS] = "counters", [HVP_HC_LOG_READ] = "log read",
};

/* The page a call fills in, zeroed so no earlier answer shows through. */
static void *fresh_out_page(void)
{
	for (size_t i = 0; i < sizeof(out_page); i++)
		out_page[i] = 0;
	return out_page;
}

/* One whole guest page of RAM that holds nothing protected. */
static enum hvp_status copy_out(uint64_t gpa, const void *data, size_t len)
{
	enum hvp_region_kind kind;

	if ((gpa & (HVP_PAGE_SIZE - 1)) || len > HVP_PAGE_SIZE ||
	    hvp_engine_protects(&hv_engine, gpa, &kind))
		return HVP_E_BAD_POINTER;
	return hvp_guest_write(gpa, data, len);
}

static enum hvp_status status_info(uint64_t gpa)
{
	struct hvp_status_info *s = fresh_out_page();
	const struct hvp_engine *e = &hv_engine;
	uint64_t refusals = 0;

	s->abi_version = HVP_ABI_VERSION;
	s->flags = e->locked ? HVP_STATUS_LOCKED : 0;
	s->cpu_count = hv.vcpu_count;
	s->key_count = e->key_count;
	for (uint32_t i = 0; i < HVP_MAX_APPLIED; i++)
		s->applied_count += e->patches[i].id != 0;
	s->build_id_len = e->build_id_len;
	for (uint32_t i = 0; i < e->build_id_len; i++)
		s->build_id[i] = e->build_id[i];
	s->reserved_base = hv.boot->region_base;
	s->reserved_size = hv.boot->region_size;
	for (int r = 0; r < HVP_REGION_COUNT; r++) {
		s->region_gva[r] = e->regions[r].gva;
		s->region_size[r] = e->regions[r].size;
	}
	s->arena_used = e->arena_used;
	s->applies = e->counters.applies;
	s->reverts = e->counters.reverts;
	for (int i = 0; i < HVP_STATUS_COUNT; i++)
		refusals += e->counters.refusals[i];
	s->refusals = refusals;
	s->blocked_writes = e->counters.blocked_writes;
	s->last_hold_cycles = e->counters.last_hold_cycles;
	return copy_out(gpa, s, sizeof(*s));
}

static uint32_t list_patches(struct hvp_patch_info *out)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < HVP_MAX_APPLIED; i++) {
		const struct hvp_applied_patch *p = &hv_engine.patches[i];

		if (!p->id)
			continue;
		out[n] = (struct hvp_patch_info){ .id = p->id, .site_count = p->site_count,
						  .sequence = p->sequence,
						  .arena_gva = p->arena_gva };
		for (int k = 0; k < 32; k++)
			out[n].key_id[k] = p->key_id[k];
		n++;
	}
	return n;
}

static enum hvp_status counters(uint64_t gpa)
{
	struct hvp_counters *c = fresh_out_page();

	for (int i = 0; i < HVP_STATUS_COUNT && i < 32; i++)
		c->refusals[i] = hv_engine.counters.refusals[i];
	for (uint32_t v = 0; v < hv.vcpu_count; v++)
		for (unsigned int e = 0; e < HVP_EXIT_REASONS && e < EXIT_REASON_COUNT; e++)
			c->exits[e] += hv.vcpus[v]->exits[e];
	c->blocked_writes = hv_engine.counters.blocked_writes;
	c->blocked_cr_writes = hv.blocked_cr_writes;
	c->jump_label_writes = hv_engine.counters.jump_label_writes;
	for (int i = 0; i < HVP_STATUS_COUNT && i < 32; i++)
		c->unrecorded[i] = hv_engine.counters.unrecorded[i];
	c->audit_overwritten = hvp_audit_overwritten(&hv_engine.audit,
						     HVP_AUDIT_GUARDED);
	c->audit_floodable_overwritten =
		hvp_audit_overwritten(&hv_engine.audit, HVP_AUDIT_FLOODABLE);
	c->blocked_control_writes = hv_engine.counters.blocked_control_writes;
	c->jump_label_int3 = hv_engine.counters.jump_label_int3;
	return copy_out(gpa, c, sizeof(*c));
}

static enum hvp_status log_read(uint64_t gpa, uint64_t from, uint64_t *bytes)
{
	struct hvp_log_page *page = fresh_out_page();

	*bytes = hvp_log_read(from, page->text, sizeof(page->text), &page->start,
			      &page->written);
	return copy_out(gpa, page, HVP_PAGE_SIZE);
}

/* Lock holds every other vCPU, so that the EPT flush reaches them all and
 * each takes on the CR pinning before it runs guest code again. */
static enum hvp_status lock(struct vcpu *v, uint64_t note_gva)
{
	uint64_t t0 = rdtsc(), t1;
	enum hvp_status status = hvp_smp_hold_others(v);

	if (status != HVP_OK)
		return status;
	t1 = rdtsc();
	status = hvp_engine_lock(&hv_engine, vmread(GUEST_CR3), note_gva);
	hvp_info("lock: others held after %llu cycles, lock took %llu cycles\n",
		 (unsigned long long)(t1 - t0), (unsigned long long)(rdtsc() - t1));
	if (status == HVP_OK)
		__atomic_store_n(&hv.cr_pinning, true, __ATOMIC_SEQ_CST);
	hvp_smp_release_others();
	return status;
}

static enum hvp_status dispatch(struct vcpu *v, uint64_t call, uint64_t a, uint64_t b,
				uint64_t *result)
{
	switch (call) {
	case HVP_HC_VERSION:
		*result = HVP_ABI_VERSION;
		return HVP_OK;
	case HVP_HC_STATUS:
		return status_info(a);
	case HVP_HC_REGISTER_TEXT:
		return hvp_engine_register(&hv_engine, HVP_REGION_TEXT, a, b);
	case HVP_HC_REGISTER_RODATA:
		return hvp_engine_register(&hv_engine, HVP_REGION_RODATA, a, b);
	case HVP_HC_REGISTER_ARENA:
		return hvp_engine_register(&hv_engine, HVP_REGION_ARENA, a, b);
	case HVP_HC_REGISTER_JUMP_TABLE:
		return hvp_engine_register_jump_table(&hv_engine, a, b);
	case HVP_HC_LOCK:
		return lock(v, a);
	case HVP_HC_APPLY: {
		uint32_t id = 0;
		enum hvp_status status = hvp_engine_apply(&hv_engine, a, &id);

		*result = id;
		return status;
	}
	case HVP_HC_REVERT:
		return hvp_engine_revert(&hv_engine, (uint32_t)a);
	case HVP_HC_LIST: {
		uint32_t n = list_patches((struct hvp_patch_info *)out_page);

		*result = n;
		return copy_out(a, out_page, n * sizeof(struct hvp_patch_info));
	}
	case HVP_HC_AUDIT_READ: {
		uint32_t n = hvp_audit_read(&hv_engine.audit, b,
					    (struct hvp_audit_event *)out_page,
					    HVP_PAGE_SIZE / sizeof(struct hvp_audit_event));

		*result = n;
		return copy_out(a, out_page, n * sizeof(struct hvp_audit_event));
	}
	case HVP_HC_COUNTERS:
		return counters(a);
	case HVP_HC_LOG_READ:
		return log_read(a, b, result);
	default:
		return HVP_E_UNKNOWN_CALL;
	}
}

static const char *call_name(uint64_t call)
{
	return call < sizeof(call_names) / sizeof(call_names[0]) && call_names[call] ?
		       call_names[call] : "unknown call";
}

enum exit_action hvp_exit_vmcall(struct vcpu *v, struct guest_regs *r)
{
	unsigned int cpl = hvp_guest_cpl();
	uint64_t call = r->rax, result = r->rbx;
	enum hvp_status status;

	/* Refusals of the call itself are rate-limited by the engine, and
	 * get no debug line either, so that no caller can flood the log. */
	if (cpl != 0) {
		status = hvp_engine_refuse_call(&hv_engine, HVP_E_CPL, call_name(call));
	} else if (!hvp_patch_host_try_enter(v)) {
		status = HVP_E_BUSY;
	} else {
		status = dispatch(v, call, r->rbx, r->rcx, &result);
		hvp_patch_host_leave();
		/* The engine logs and counts its own refusals; these are ours. */
		if (status == HVP_E_UNKNOWN_CALL || (status == HVP_E_BAD_POINTER &&
		    (call == HVP_HC_STATUS || call == HVP_HC_LIST ||
		     call == HVP_HC_AUDIT_READ || call == HVP_HC_COUNTERS ||
		     call == HVP_HC_LOG_READ)))
			hvp_engine_refuse_call(&hv_engine, status, call_name(call));
		else
			hvp_debug("cpu %u: hypercall %s -> %u\n", v->index,
				  call_name(call), status);
	}
	r->rax = status;
	r->rbx = result;
	return EXIT_SKIP_INSTRUCTION;
}
