// SPDX-License-Identifier: MIT
/*
 * EPT violations: a guest access the EPT does not allow (SDM Vol. 3C,
 * 29.3.3.2, and table 28-7 for the qualification).  With the identity map
 * hvpatch builds, the only such accesses are to hypervisor memory, which
 * is never mapped, and writes to the local APIC's page, which is
 * write-protected so that INIT and SIPI can be delivered in software
 * (core/apic.c).  Every other violation is logged with the GPA, the guest RIP and the
 * access, counted, and answered with #GP in the guest: the access does
 * not happen, the offending code faults as it would on a bus error, and
 * the hypervisor and the other vCPUs carry on.
 *
 * EPT misconfigurations are hypervisor bugs (29.3.3.1): logged, then the
 * CPU stops rather than running on a broken map.
 */
#include "arch/x86/vmx.h"
#include "core/apic.h"
#include "core/exit.h"
#include "core/log.h"

enum exit_action hvp_exit_ept_violation(struct vcpu *v, struct guest_regs *r)
{
	uint64_t q = vmread(EXIT_QUALIFICATION);
	uint64_t gpa = vmread(GUEST_PHYSICAL_ADDRESS);

	if ((q & 2) && hvp_apic_is_mmio(gpa))
		return hvp_apic_mmio_write(v, r, gpa);
	hvp_warn("cpu %u: EPT violation: %s%s%s at gpa 0x%llx, guest rip 0x%llx, cr3 0x%llx, refused\n",
		 v->index, q & 1 ? "read" : "", q & 2 ? "write" : "",
		 q & 4 ? "fetch" : "",
		 (unsigned long long)gpa, (unsigned long long)vmread(GUEST_RIP),
		 (unsigned long long)vmread(GUEST_CR3));
	/* The event being delivered, if any, is lost with the access. */
	vmwrite(ENTRY_INTERRUPTION_INFO, 0);
	return hvp_inject_gp();
}

enum exit_action hvp_exit_ept_misconfig(struct vcpu *v, struct guest_regs *r)
{
	hvp_error("cpu %u: EPT misconfiguration at gpa 0x%llx\n", v->index,
		  (unsigned long long)vmread(GUEST_PHYSICAL_ADDRESS));
	hvp_fatal_guest_state(v, "EPT misconfiguration");
}
