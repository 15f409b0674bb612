// SPDX-License-Identifier: MIT
/*
 * Translation pinning's exits.
 *
 * MOV to CR3 (CR3-load exiting, SDM Vol. 3C, 26.1.3; CR3-target count 0,
 * so every load exits) is emulated: the new PML4 page must be in the
 * cache of verified ones, or be verified and cached now.  Verifying a
 * page first write-protects it, which needs every other vCPU held for the
 * EPT flush, so a miss takes the engine's try-lock and holds them; a vCPU
 * that cannot get either lock goes back to the guest unchanged and the
 * instruction runs (and exits) again, never spinning in VMX root where a
 * holder may be waiting for it.  With VPID on, loading GUEST_CR3 flushes
 * nothing, so the TLB invalidation MOV to CR3 architecturally performs
 * (SDM Vol. 3A, 4.10.4.1) is done here with INVVPID: all of this VPID's
 * non-global entries unless CR4.PCIDE and bit 63 ask for none.  A wider
 * flush than the instruction's is allowed: the TLB may drop entries at
 * any time.
 *
 * An EPT violation on a guarded or cached page is either the CPU setting
 * Accessed/Dirty during a walk (qualification bit 7 set, bit 8 clear:
 * SDM Vol. 3C, 28.2.1, table 28-7; EPT treats those updates as writes,
 * 29.3.3.2) or an instruction's write, which is decoded (mm/store_decode.c)
 * and emulated through the engine, then skipped.
 * A write that would change a pinned entry, or cannot be decoded, gets
 * #GP, except on a cached PML4 page that no vCPU uses: the guest is
 * reusing a freed page directory, so the page is released and the write
 * runs again natively.
 */
#include "vmx/translation_exits.h"

#include "arch/x86/cpu.h"
#include "arch/x86/regs.h"
#include "arch/x86/spinlock.h"
#include "arch/x86/vmx.h"
#include "mm/pt_write.h"
#include "vmx/guest_memory.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"
#include "vmx/smp.h"

/* Serializes the PML4 cache; only ever tried, never waited for. */
static struct hvp_spinlock cache_lock;

static bool cache_try_lock(void)
{
	return hvp_spin_trylock(&cache_lock);
}

void hvp_translation_apply(struct vcpu *v)
{
	vmwrite(PROC_BASED_CONTROLS,
		vmread(PROC_BASED_CONTROLS) | PROC_CR3_LOAD_EXITING);
}

void hvp_translation_adopt_vcpus(struct vcpu *self)
{
	for (uint32_t i = 0; i < hv.vcpu_count; i++) {
		struct vcpu *t = hv.vcpus[i];
		uint64_t cr3 = t == self ? vmread(GUEST_CR3) : t->held_cr3;

		if (t != self && t->parked)
			continue; /* waiting for SIPI: no address space yet */
		if (hvp_translation_load_cr3(&hv_engine, t->index,
					     cr3 & HVP_PTE_ADDR_MASK) != HVP_OK)
			hvp_error("cpu %u: CR3 0x%llx at lock does not carry the locked mappings\n",
				  t->index, (unsigned long long)cr3);
	}
}

/*
 * Runs fn with the PML4 cache locked and, if `hold`, the engine entered
 * and every other vCPU held.  False if any of that is taken now: the
 * caller resumes the guest, which retries.
 */
static bool with_cache(struct vcpu *v, bool hold,
		       enum hvp_status (*fn)(struct vcpu *v, uint64_t arg),
		       uint64_t arg, enum hvp_status *status)
{
	bool entered = false;

	if (!cache_try_lock())
		return false;
	if (hold) {
		entered = hvp_patch_host_try_enter(v);
		if (!entered || hvp_smp_hold_others(v) != HVP_OK) {
			if (entered)
				hvp_patch_host_leave();
			hvp_spin_unlock(&cache_lock);
			return false;
		}
	}
	*status = fn(v, arg);
	if (hold) {
		hvp_smp_release_others();
		hvp_patch_host_leave();
	}
	hvp_spin_unlock(&cache_lock);
	return true;
}

/* Without the others held: only a page still cached (one evicted since
 * the caller looked is verified on the next try, with them held). */
static enum hvp_status load_cached_pgd(struct vcpu *v, uint64_t pgd)
{
	if (!hvp_translation_pgd_cached(&hv_engine, pgd))
		return HVP_E_BUSY;
	return hvp_translation_load_cr3(&hv_engine, v->index, pgd);
}

static enum hvp_status load_pgd(struct vcpu *v, uint64_t pgd)
{
	return hvp_translation_load_cr3(&hv_engine, v->index, pgd);
}

static enum hvp_status release_pgd(struct vcpu *v, uint64_t gpa)
{
	return hvp_translation_release_pgd(&hv_engine, gpa);
}

/* The invalidation of SDM Vol. 3A, 4.10.4.1, for this vCPU's VPID. */
static void flush_guest_tlb(struct vcpu *v)
{
	uint64_t caps = hv.caps.ept_vpid;
	uint16_t vpid = (uint16_t)vmread(VIRTUAL_PROCESSOR_ID);

	if (caps & VMX_VPID_INVVPID_SINGLE_GLOBALS)
		invvpid(INVVPID_SINGLE_CONTEXT_RETAINING_GLOBALS, vpid);
	else if (caps & VMX_VPID_INVVPID_SINGLE)
		invvpid(INVVPID_SINGLE_CONTEXT, vpid);
	else
		invvpid(INVVPID_ALL_CONTEXTS, vpid);
}

/* CR3 bits that must be 0: 62 to MAXPHYADDR, and 63 without PCIDs
 * (SDM Vol. 3A, 4.5, table 4-12; MOV to CR3, #GP(0)). */
static bool cr3_reserved(uint64_t value, bool pcide)
{
	unsigned int phys = CPUID_ADDRESS_SIZES_PHYS_BITS(
		cpuid(CPUID_LEAF_ADDRESS_SIZES, 0).eax);
	uint64_t reserved = ~((1ull << phys) - 1) & ~CR3_PCID_NOFLUSH;

	return (value & reserved) || (!pcide && (value & CR3_PCID_NOFLUSH));
}

enum exit_action hvp_translation_mov_to_cr3(struct vcpu *v, uint64_t value)
{
	bool pcide = vmread(GUEST_CR4) & CR4_PCIDE;
	uint64_t pgd = value & HVP_PTE_ADDR_MASK;
	enum hvp_status status;

	if (cr3_reserved(value, pcide))
		return hvp_inject_gp();
	if (hvp_translation_pgd_cached(&hv_engine, pgd) ?
		    !with_cache(v, false, load_cached_pgd, pgd, &status) :
		    !with_cache(v, true, load_pgd, pgd, &status))
		return EXIT_RESUME;
	if (status == HVP_E_BUSY)
		return EXIT_RESUME;
	if (status != HVP_OK) {
		hvp_warn("cpu %u: refused MOV to CR3 0x%llx (PML4 0x%llx) at rip 0x%llx, cr3 0x%llx: %s\n",
			 v->index, (unsigned long long)value, (unsigned long long)pgd,
			 (unsigned long long)vmread(GUEST_RIP),
			 (unsigned long long)vmread(GUEST_CR3), hvp_status_name(status));
		return hvp_inject_gp();
	}
	vmwrite(GUEST_CR3, value & ~CR3_PCID_NOFLUSH);
	if (!pcide || !(value & CR3_PCID_NOFLUSH))
		flush_guest_tlb(v);
	return EXIT_SKIP_INSTRUCTION;
}

/* The instruction's results in the guest's registers, and RIP past it. */
static void complete(struct guest_regs *r, const struct hvp_store_insn *insn,
		     const struct hvp_pt_result *res)
{
	if (insn->op == HVP_STORE_XCHG)
		hvp_guest_set_gpr(r, insn->reg, res->old);
	if (insn->op == HVP_STORE_CMPXCHG) {
		vmwrite(GUEST_RFLAGS, (vmread(GUEST_RFLAGS) & ~HVP_RFLAGS_ARITH) |
				      res->rflags);
		if (!res->stored)
			r->rax = res->old;
	}
	vmwrite(GUEST_RIP, vmread(GUEST_RIP) + insn->length);
}

static enum exit_action refuse(struct vcpu *v, uint64_t gpa,
			       enum hvp_status status)
{
	hvp_translation_refuse_write(&hv_engine, gpa, status);
	hvp_warn("cpu %u: refused page-table write at gpa 0x%llx, guest rip 0x%llx, cr3 0x%llx, cpl %u: %s\n",
		 v->index, (unsigned long long)gpa,
		 (unsigned long long)vmread(GUEST_RIP),
		 (unsigned long long)vmread(GUEST_CR3), hvp_guest_cpl(),
		 hvp_status_name(status));
	/* The event being delivered, if any, is lost with the access. */
	vmwrite(ENTRY_INTERRUPTION_INFO, 0);
	return hvp_inject_gp();
}

/* A cached PML4 page the guest is reusing: released, the write retried;
 * refused after all if a vCPU loaded it meanwhile. */
static enum exit_action release_and_retry(struct vcpu *v, uint64_t gpa,
					  enum hvp_status why)
{
	enum hvp_status status;

	if (!with_cache(v, true, release_pgd, gpa, &status))
		return EXIT_RESUME;
	if (status == HVP_E_BUSY)
		return refuse(v, gpa, why);
	hvp_debug("cpu %u: PML4 page 0x%llx released (reused by the guest)\n",
		  v->index, (unsigned long long)(gpa & HVP_PTE_ADDR_MASK));
	return EXIT_RESUME;
}

static bool decode_at_rip(struct hvp_store_insn *insn)
{
	uint8_t bytes[HVP_MAX_INSN_LEN];

	if (vmread(IDT_VECTORING_INFO) & INTR_INFO_VALID)
		return false; /* a write by event delivery: no instruction */
	return hvp_guest_read_linear(vmread(GUEST_CR0), vmread(GUEST_CR3),
				     vmread(GUEST_SEG_BASE(SEG_CS)) + vmread(GUEST_RIP),
				     bytes, sizeof(bytes)) == HVP_OK &&
	       hvp_decode_store(bytes, sizeof(bytes), insn);
}

enum exit_action hvp_translation_ept_write(struct vcpu *v, struct guest_regs *r,
					   uint64_t gpa, uint64_t qualification)
{
	struct hvp_pt_outcome out;
	struct hvp_store_insn insn;
	enum hvp_status status;

	/* The walk runs again and finds A/D set (or the entry changed
	 * meanwhile): nothing to skip. */
	if ((qualification & EPT_QUAL_GLA_VALID) &&
	    !(qualification & EPT_QUAL_TRANSLATED)) {
		hvp_translation_set_accessed(&hv_engine, gpa);
		return EXIT_RESUME;
	}
	if (!decode_at_rip(&insn)) {
		if (hvp_translation_pgd_cached(&hv_engine, gpa) &&
		    hvp_translation_pgd_unused(&hv_engine, gpa))
			return release_and_retry(v, gpa, HVP_E_INVALID);
		return refuse(v, gpa, HVP_E_INVALID);
	}
	status = hvp_translation_write(&hv_engine, gpa, &insn,
				       insn.immediate ? insn.imm :
						        hvp_guest_gpr(r, insn.reg),
				       r->rax, &out);
	if (status == HVP_OK) {
		complete(r, &insn, &out.result);
		return EXIT_RESUME;
	}
	if (status == HVP_E_BUSY || status == HVP_E_TARGET_RANGE)
		return EXIT_RESUME; /* raced a release: runs natively now */
	if (out.releasable)
		return release_and_retry(v, gpa, status);
	return refuse(v, gpa, status);
}
