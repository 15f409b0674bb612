// SPDX-License-Identifier: MIT
/*
 * VMCALL: the guest agent's hypercalls (docs/hypercalls.md).  VMCALL
 * exits unconditionally in VMX non-root operation, at any privilege level
 * (SDM Vol. 3C, 26.1.2), so the CPL check is ours: CPL is SS.DPL (SDM
 * Vol. 3A, 5.5).  Every call returns a status in RAX and never faults
 * the guest; the instruction is always skipped.
 *
 * The calls, their numbers and flags come from the one table in
 * include/hvpatch/abi.h (HVP_HYPERCALLS); each has a handler hc_<name>
 * below.  Calls are serialized by a try-lock: a second caller while one
 * is in progress gets HVP_E_BUSY rather than spinning in VMX root, where
 * it could never be held for the first caller's patch.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx.h"
#include "patch/report.h"
#include "vmx/apic.h"
#include "vmx/exit.h"
#include "vmx/guest_memory.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"
#include "vmx/pool.h"
#include "vmx/smp.h"
#include "vmx/translation_exits.h"

/* One call: its arguments, and the result that goes back in RBX. */
struct hc_call {
	struct vcpu *v;
	uint64_t rbx, rcx;
	uint64_t result;
};

typedef enum hvp_status (*hc_handler)(struct hc_call *c);

static uint8_t out_page[HVP_PAGE_SIZE] __attribute__((aligned(HVP_PAGE_SIZE)));

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

static enum hvp_status hc_version(struct hc_call *c)
{
	c->result = HVP_ABI_VERSION;
	return HVP_OK;
}

static enum hvp_status hc_status(struct hc_call *c)
{
	struct hvp_status_info *s = fresh_out_page();

	hvp_engine_report_status(&hv_engine, s);
	s->abi_version = HVP_ABI_VERSION;
	s->cpu_count = hv.vcpu_count;
	s->reserved_base = hv.boot->region_base;
	s->reserved_size = hv.boot->region_size;
	return copy_out(c->rbx, s, sizeof(*s));
}

static enum hvp_status hc_register_text(struct hc_call *c)
{
	return hvp_engine_register(&hv_engine, HVP_REGION_TEXT, c->rbx, c->rcx);
}

static enum hvp_status hc_register_rodata(struct hc_call *c)
{
	return hvp_engine_register(&hv_engine, HVP_REGION_RODATA, c->rbx, c->rcx);
}

static enum hvp_status hc_register_arena(struct hc_call *c)
{
	return hvp_engine_register(&hv_engine, HVP_REGION_ARENA, c->rbx, c->rcx);
}

static enum hvp_status hc_register_jump_table(struct hc_call *c)
{
	return hvp_engine_register_jump_table(&hv_engine, c->rbx, c->rcx);
}

static enum hvp_status hc_register_image(struct hc_call *c)
{
	return hvp_engine_register_image(&hv_engine, c->rbx, c->rcx);
}

/* Lock holds every other vCPU, so that the EPT flush reaches them all,
 * their CR3s are verified, and each takes on the CR pinning and CR3-load
 * exiting before it runs guest code again. */
static enum hvp_status hc_lock(struct hc_call *c)
{
	uint64_t t0 = rdtsc(), t1;
	enum hvp_status status = hvp_smp_hold_others(c->v);

	if (status != HVP_OK)
		return status;
	t1 = rdtsc();
	status = hvp_engine_lock(&hv_engine, vmread(GUEST_CR3), c->rbx);
	hvp_info("lock: others held after %llu cycles, lock took %llu cycles; pool %llu of %llu KiB used\n",
		 (unsigned long long)(t1 - t0), (unsigned long long)(rdtsc() - t1),
		 (unsigned long long)(hvp_pool_used() >> 10),
		 (unsigned long long)(hvp_pool_size() >> 10));
	if (status == HVP_OK) {
		hvp_translation_adopt_vcpus(c->v);
		__atomic_store_n(&hv.cr_pinning, true, __ATOMIC_SEQ_CST);
	}
	hvp_smp_release_others();
	/* The kernel that locks is up: APIC writes may stop exiting. */
	if (status == HVP_OK)
		hvp_apic_guest_booted(c->v);
	return status;
}

static enum hvp_status hc_apply(struct hc_call *c)
{
	uint32_t id = 0;
	enum hvp_status status = hvp_engine_apply(&hv_engine, c->rbx, &id);

	c->result = id;
	return status;
}

static enum hvp_status hc_revert(struct hc_call *c)
{
	return hvp_engine_revert(&hv_engine, (uint32_t)c->rbx);
}

static enum hvp_status hc_list(struct hc_call *c)
{
	struct hvp_patch_info *list = fresh_out_page();

	c->result = hvp_engine_list_patches(&hv_engine, list,
					    HVP_PAGE_SIZE / sizeof(*list));
	return copy_out(c->rbx, list, c->result * sizeof(*list));
}

static enum hvp_status hc_audit_read(struct hc_call *c)
{
	struct hvp_audit_event *events = fresh_out_page();

	c->result = hvp_engine_audit_read(&hv_engine, c->rcx, events,
					  HVP_PAGE_SIZE / sizeof(*events));
	return copy_out(c->rbx, events, c->result * sizeof(*events));
}

static enum hvp_status hc_counters(struct hc_call *c)
{
	struct hvp_counters *counters = fresh_out_page();

	hvp_engine_report_counters(&hv_engine, counters);
	for (uint32_t v = 0; v < hv.vcpu_count; v++)
		for (unsigned int e = 0; e < HVP_EXIT_REASONS && e < EXIT_REASON_COUNT; e++)
			counters->exits[e] += hv.vcpus[v]->exits[e];
	counters->blocked_cr_writes = hv.blocked_cr_writes;
	return copy_out(c->rbx, counters, sizeof(*counters));
}

static enum hvp_status hc_log_read(struct hc_call *c)
{
	struct hvp_log_page *page = fresh_out_page();

	c->result = hvp_log_read(c->rcx, page->text, sizeof(page->text), &page->start,
				 &page->written);
	return copy_out(c->rbx, page, HVP_PAGE_SIZE);
}

static const hc_handler handlers[HVP_HC_LIMIT] = {
#define HC_HANDLER(NAME, name, nr, flags, text) [HVP_HC_##NAME] = hc_##name,
	HVP_HYPERCALLS(HC_HANDLER)
#undef HC_HANDLER
};

static const char *call_name(uint64_t call)
{
	const char *name = hvp_hypercall_name(call);

	return name ? name : "unknown call";
}

static enum hvp_status dispatch(struct hc_call *c, uint64_t call)
{
	enum hvp_status status;

	if (call >= HVP_HC_LIMIT || !handlers[call])
		status = HVP_E_UNKNOWN_CALL;
	else
		status = handlers[call](c);
	/* The engine logs and counts its own refusals; these are ours, and
	 * rate-limited, since any caller can provoke them at will. */
	if (status == HVP_E_UNKNOWN_CALL ||
	    (status == HVP_E_BAD_POINTER && (hvp_hypercall_flags(call) & HVP_HC_F_OUT_PAGE)))
		hvp_engine_refuse_call(&hv_engine, status, call_name(call));
	else
		hvp_debug("cpu %u: hypercall %s -> %u\n", c->v->index, call_name(call), status);
	return status;
}

enum exit_action hvp_exit_vmcall(struct vcpu *v, struct guest_regs *r)
{
	struct hc_call c = { .v = v, .rbx = r->rbx, .rcx = r->rcx, .result = r->rbx };
	uint64_t call = r->rax;
	enum hvp_status status;

	/* Refusals of the call itself are rate-limited by the engine, and
	 * get no debug line either, so that no caller can flood the log. */
	if (hvp_guest_cpl() != 0) {
		status = hvp_engine_refuse_call(&hv_engine, HVP_E_CPL, call_name(call));
	} else if (!hvp_patch_host_try_enter(v)) {
		status = HVP_E_BUSY;
	} else {
		status = dispatch(&c, call);
		hvp_patch_host_leave();
	}
	r->rax = status;
	r->rbx = c.result;
	return EXIT_SKIP_INSTRUCTION;
}
