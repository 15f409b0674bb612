// SPDX-License-Identifier: MIT
#include "vmx/patch_host.h"

#include "arch/x86/cpu.h"
#include "vmx/guest_memory.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/smp.h"

struct hvp_engine hv_engine;
static struct vcpu *initiator;
static volatile int engine_busy;

static enum hvp_status read_gpa(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	return hvp_guest_read(gpa, dst, len);
}

static enum hvp_status write_gpa(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	return hvp_guest_write(gpa, src, len);
}

/* LOCK CMPXCHG through the hypervisor's identity mapping of guest RAM. */
static enum hvp_status cmpxchg_gpa(void *ctx, uint64_t gpa, uint64_t *expected,
				   uint64_t desired)
{
	uint64_t probe;

	if (gpa % sizeof(uint64_t) || hvp_guest_read(gpa, &probe, sizeof(probe)) != HVP_OK)
		return HVP_E_BAD_POINTER;
	return __atomic_compare_exchange_n((volatile uint64_t *)gpa, expected, desired,
					   false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ?
		       HVP_OK : HVP_E_BUSY;
}

static enum hvp_status pause_others(void *ctx)
{
	return hvp_smp_hold_others(initiator);
}

static void resume_others(void *ctx)
{
	hvp_smp_release_others();
}

static unsigned int vcpu_rips(void *ctx, uint64_t *rips, unsigned int max)
{
	return hvp_smp_guest_rips(initiator, rips, max);
}

static void flush(void *ctx)
{
	hvp_smp_flush_all();
}

static void vlog(void *ctx, enum hvp_log_level level, const char *fmt, va_list ap)
{
	hvp_vlog(level, fmt, ap);
}

static uint64_t timestamp(void *ctx)
{
	return rdtsc();
}

/* Not const: mbec is only known at setup. */
static struct hvp_platform platform = {
	.read_gpa = read_gpa, .write_gpa = write_gpa, .cmpxchg_gpa = cmpxchg_gpa,
	.ept = &hv.ept,
	.pause_others = pause_others, .resume_others = resume_others,
	.vcpu_rips = vcpu_rips, .flush = flush, .vlog = vlog,
	.timestamp = timestamp,
};

bool hvp_patch_host_try_enter(struct vcpu *v)
{
	if (__atomic_exchange_n(&engine_busy, 1, __ATOMIC_ACQUIRE))
		return false;
	initiator = v;
	return true;
}

void hvp_patch_host_leave(void)
{
	__atomic_store_n(&engine_busy, 0, __ATOMIC_RELEASE);
}

/* hvpatch.conf's kernel_exec, any value but "any" meaning approved. */
static bool start_kernel_exec(void)
{
	enum hvp_kernel_exec_mode mode = hv.boot->kernel_exec == HVP_KERNEL_EXEC_ANY ?
						 HVP_KERNEL_EXEC_ANY : HVP_KERNEL_EXEC_APPROVED;

	if (hvp_kernel_exec_start(&hv_engine, mode) != HVP_OK) {
		hvp_error("out of reserved memory for the EPT of start-up code\n");
		return false;
	}
	if (hv.mbec)
		hvp_info("MBEC: in force, kernel_exec %s\n", hvp_kernel_exec_name(mode));
	else
		hvp_warn("MBEC: not available: new kernel code can still run (see docs/threat-model.md)\n");
	return true;
}

bool hvp_patch_host_init(void)
{
	platform.mbec = hv.mbec;
	hvp_engine_init(&hv_engine, &platform);
	for (uint32_t i = 0; i < hv.boot->key_count && i < HVP_BOOT_MAX_KEYS; i++) {
		struct hvp_pubkey key;

		if (hvp_pubkey_from_spki_der(hv.boot->key_der[i], hv.boot->key_der_len[i],
					     &key) != 0 ||
		    hvp_engine_enroll_key(&hv_engine, &key) != HVP_OK) {
			hvp_error("key %u: not a P-256 public key, not enrolled\n", i);
			continue;
		}
		hvp_info("key %u enrolled: id %02x%02x%02x%02x%02x%02x%02x%02x...\n", i,
			 key.key_id[0], key.key_id[1], key.key_id[2], key.key_id[3],
			 key.key_id[4], key.key_id[5], key.key_id[6], key.key_id[7]);
	}
	if (!hv_engine.key_count)
		hvp_warn("no signing key enrolled: every patch will be refused\n");
	return start_kernel_exec();
}
