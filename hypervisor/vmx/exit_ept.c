// SPDX-License-Identifier: MIT
/*
 * EPT violations: a guest access the EPT does not allow (SDM Vol. 3C,
 * 29.3.3.2, and table 28-7 for the qualification).  These kinds arise:
 *  - writes to the local APIC's page, write-protected so that INIT and
 *    SIPI are delivered in software (vmx/apic.c): emulated;
 *  - after lock, writes to the paging structures behind protected memory
 *    (vmx/translation_exits.c): emulated unless they would remap it;
 *  - after lock, writes to protected text, rodata or the patch arena,
 *    and with mode-based execute control to the other kernel code
 *    approved at lock: counted and audited as blocked writes, except a
 *    kernel write to text that is a step of switching a static key, which
 *    the hypervisor performs itself (vmx/static_key.c);
 *  - with mode-based execute control, supervisor-mode fetches from a page
 *    that allows only user-mode ones: decided by patch/kernel_exec.c;
 *  - any access to the hypervisor's memory, which is never mapped: a read
 *    is answered with a page of zeros (vmx/exit_hvmem.c).
 * Refusals are logged with the GPA, the guest RIP and CR3 and answered
 * with #GP: the access does not happen, the offending kernel thread oopses
 * as it would under HVCI, and the hypervisor and the other vCPUs carry on.
 *
 * EPT misconfigurations are hypervisor bugs (29.3.3.1): logged, then the
 * CPU stops rather than running on a broken map.
 */
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "vmx/exit.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"
#include "vmx/static_key.h"
#include "vmx/translation_exits.h"

static enum exit_action refuse(void)
{
	/* The event being delivered, if any, is lost with the access. */
	vmwrite(ENTRY_INTERRUPTION_INFO, 0);
	return hvp_inject_gp();
}

static enum exit_action blocked_write(struct vcpu *v, uint64_t gpa,
				      const char *what)
{
	hvp_warn("cpu %u: blocked write to protected %s: gpa 0x%llx, guest rip 0x%llx, cr3 0x%llx, cpl %u\n",
		 v->index, what, (unsigned long long)gpa,
		 (unsigned long long)vmread(GUEST_RIP),
		 (unsigned long long)vmread(GUEST_CR3), hvp_guest_cpl());
	return refuse();
}

/*
 * Under mode-based execute control, a fetch the entry allowed in user
 * mode but not in supervisor mode was a supervisor-mode fetch (SDM Vol.
 * 3C, "Exit Qualification for EPT Violations").  Another engine call may
 * be about to hold this vCPU: then the guest retries the fetch.
 */
static enum exit_action supervisor_fetch(struct vcpu *v, uint64_t gpa)
{
	struct hvp_fetch f = {
		.gpa = gpa, .rip = vmread(GUEST_RIP), .cr3 = vmread(GUEST_CR3),
		.cpl = hvp_guest_cpl(),
	};
	bool run;

	if (!hvp_patch_host_try_enter(v))
		return EXIT_RESUME;
	run = hvp_kernel_exec_fetch(&hv_engine, &f);
	hvp_patch_host_leave();
	return run ? EXIT_RESUME : refuse();
}

enum exit_action hvp_exit_ept_violation(struct vcpu *v, struct guest_regs *r)
{
	uint64_t q = vmread(EXIT_QUALIFICATION);
	uint64_t gpa = vmread(GUEST_PHYSICAL_ADDRESS);
	enum hvp_region_kind kind;

	if ((q & EPT_QUAL_WRITE) && hvp_apic_is_mmio(gpa))
		return hvp_apic_mmio_write(v, r, gpa);
	if ((q & EPT_QUAL_WRITE) && hvp_translation_owns(&hv_engine, gpa))
		return hvp_translation_ept_write(v, r, gpa, q);
	if ((q & EPT_QUAL_WRITE) && hvp_engine_protects(&hv_engine, gpa, &kind)) {
		if (kind == HVP_REGION_TEXT) {
			enum hvp_static_key_result k = hvp_static_key_write(v, r, gpa);

			if (k != HVP_STATIC_KEY_NOT_A_SWITCH)
				return EXIT_RESUME;
		}
		hvp_engine_blocked_write(&hv_engine, gpa, kind);
		return blocked_write(v, gpa, hvp_engine_region_name(kind));
	}
	if ((q & EPT_QUAL_WRITE) && hvp_kernel_exec_blocked_write(&hv_engine, gpa))
		return blocked_write(v, gpa, "kernel code approved at lock");
	if (hv.mbec && (q & EPT_QUAL_FETCH) && (q & EPT_QUAL_USER_EXECUTABLE) &&
	    !(q & EPT_QUAL_EXECUTABLE))
		return supervisor_fetch(v, gpa);
	if ((q & (EPT_QUAL_READ | EPT_QUAL_WRITE | EPT_QUAL_FETCH)) ==
		    EPT_QUAL_READ && hvp_hvmem_owns(gpa))
		return hvp_hvmem_read(v, gpa);
	struct hvp_ept_mapping m = { 0 };

	hvp_ept_lookup(&hv.ept, gpa, &m);
	hvp_warn("cpu %u: EPT violation: %s%s%s at gpa 0x%llx (%s, rights %u), guest rip 0x%llx, cr3 0x%llx, refused\n",
		 v->index, q & EPT_QUAL_READ ? "read" : "",
		 q & EPT_QUAL_WRITE ? "write" : "", q & EPT_QUAL_FETCH ? "fetch" : "", (unsigned long long)gpa,
		 m.present ? "mapped" : "not mapped", m.perms,
		 (unsigned long long)vmread(GUEST_RIP),
		 (unsigned long long)vmread(GUEST_CR3));
	return refuse();
}

enum exit_action hvp_exit_ept_misconfig(struct vcpu *v, struct guest_regs *r)
{
	hvp_error("cpu %u: EPT misconfiguration at gpa 0x%llx\n", v->index,
		  (unsigned long long)vmread(GUEST_PHYSICAL_ADDRESS));
	hvp_fatal_guest_state(v, "EPT misconfiguration");
}
