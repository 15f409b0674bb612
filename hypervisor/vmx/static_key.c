// SPDX-License-Identifier: MIT
/*
 * A kernel write to locked text that EPT stopped, seen as a possible step
 * of a static-key switch (patch/jump_label.c has the policy and why).
 *
 * Linux writes text through text_poke(), which maps the page at a
 * temporary address and copies with memcpy().  On every CPU with fast
 * strings (REP_GOOD or ERMS, set on Intel CPUs since long before EPT was
 * common) that copy ends in REP MOVSB, so that is the one instruction
 * emulated here (SDM Vol. 2B, MOVS/MOVSB; Vol. 1, 7.3.9.3, string
 * operations): RCX bytes from RSI to RDI, both advancing, since the
 * kernel keeps RFLAGS.DF clear.  The write faults on its first byte, so
 * nothing has been copied yet when the exit comes (SDM Vol. 3C, 29.3.3.2:
 * an EPT violation is a fault-like exit).
 *
 * Every destination byte is found in the locked text through the guest's
 * current tables (the temporary mapping), then checked against the
 * lock-time record; the engine decides with protected data only, so a
 * guest that forges mappings or registers gains nothing.
 */
#include "vmx/static_key.h"

#include "arch/x86/regs.h"
#include "arch/x86/vmx.h"
#include "vmx/exit.h"
#include "vmx/guest_memory.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"

#define REP_MOVSB_LEN 2u
#define MAX_SWITCH_WRITE 5u /* the longest jump-label site */

/* REP MOVSB from CPL 0 in 64-bit mode, not during event delivery. */
static bool is_kernel_rep_movsb(uint64_t cr0, uint64_t cr3, uint64_t rip)
{
	uint8_t insn[REP_MOVSB_LEN];

	if (hvp_guest_cpl() != 0 ||
	    !(vmread(GUEST_SEG_AR(SEG_CS)) & SEG_AR_LONG_MODE) ||
	    (vmread(GUEST_RFLAGS) & RFLAGS_DF) ||
	    (vmread(IDT_VECTORING_INFO) & INTR_INFO_VALID))
		return false;
	return hvp_guest_read_linear(cr0, cr3, rip, insn, sizeof(insn)) == HVP_OK &&
	       insn[0] == 0xf3 && insn[1] == 0xa4;
}

/* The locked-text address that all of [rdi, rdi + len) writes, starting
 * with the faulting gpa; false if any byte lands elsewhere. */
static bool destination_in_text(uint64_t cr0, uint64_t cr3, uint64_t rdi,
				uint64_t len, uint64_t gpa, uint64_t *gva)
{
	if (!(cr0 & CR0_PG))
		return false;
	for (uint64_t i = 0; i < len; i++) {
		struct hvp_gva_translation t;
		uint64_t byte_gva;

		if (hvp_guest_walk(&hvp_guest_reader, cr3, rdi + i, &t) != HVP_OK ||
		    (i == 0 && t.gpa != gpa) ||
		    !hvp_engine_text_gva(&hv_engine, t.gpa, &byte_gva) ||
		    (i > 0 && byte_gva != *gva + i))
			return false;
		if (i == 0)
			*gva = byte_gva;
	}
	return true;
}

enum hvp_static_key_result hvp_static_key_write(struct vcpu *v,
						struct guest_regs *r,
						uint64_t gpa)
{
	uint64_t cr0 = vmread(GUEST_CR0), cr3 = vmread(GUEST_CR3);
	uint64_t rip = vmread(GUEST_RIP), len = r->rcx, gva;
	uint8_t bytes[MAX_SWITCH_WRITE];
	enum hvp_status status;

	if (!is_kernel_rep_movsb(cr0, cr3, rip) || len == 0 ||
	    len > sizeof(bytes) ||
	    !destination_in_text(cr0, cr3, r->rdi, len, gpa, &gva) ||
	    hvp_guest_read_linear(cr0, cr3, r->rsi, bytes, len) != HVP_OK)
		return HVP_STATIC_KEY_NOT_A_SWITCH;
	/* Another engine call is running; it may be about to hold this vCPU,
	 * so go back to the guest, which repeats the write. */
	if (!hvp_patch_host_try_enter(v))
		return HVP_STATIC_KEY_RETRY;
	status = hvp_engine_jump_label_write(&hv_engine, gva, bytes, len);
	hvp_patch_host_leave();
	if (status != HVP_OK) {
		hvp_warn("cpu %u: text write at 0x%llx (%llu bytes) is not a static-key switch: %s\n",
			 v->index, (unsigned long long)gva, (unsigned long long)len,
			 hvp_status_name(status));
		return HVP_STATIC_KEY_NOT_A_SWITCH;
	}
	hvp_debug("cpu %u: static-key switch step at 0x%llx (%llu bytes)\n", v->index,
		  (unsigned long long)gva, (unsigned long long)len);
	r->rsi += len;
	r->rdi += len;
	r->rcx = 0;
	vmwrite(GUEST_RIP, rip + REP_MOVSB_LEN);
	return HVP_STATIC_KEY_DONE;
}
