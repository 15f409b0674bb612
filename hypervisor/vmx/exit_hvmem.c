// SPDX-License-Identifier: MIT
/*
 * Reads of the hypervisor's own memory.
 *
 * The reserved region is never mapped for the guest (setup.c), so any
 * access to it is an EPT violation.  Answering a read with #GP is what a
 * fault would do, but Linux takes a #GP in its /dev/mem copy as a kernel
 * bug: it WARNs and taints itself (and panics with panic_on_warn), for
 * what may be a harmless diagnostic read of a "Reserved" range.  So a
 * read is answered the way reads of memory that is not there usually
 * are: the page reads as zeros.  Its GPA is mapped, read-only, to one
 * zeroed page of the pool that holds nothing and that the hypervisor
 * never writes; the hypervisor's own pages stay unmapped.  The first read
 * of each page is logged; writes and fetches are still refused with #GP.
 *
 * No INVEPT is needed: an EPT violation invalidates the cached mappings
 * that would translate its GPA (SDM Vol. 3C, 29.4.3.1, "Operations that
 * Invalidate Cached Mappings"), and other CPUs cache nothing for a
 * not-present entry.
 */
#include "vmx/exit.h"
#include "vmx/hv.h"
#include "vmx/log.h"
#include "vmx/patch_host.h"

bool hvp_hvmem_owns(uint64_t gpa)
{
	return gpa >= hv.boot->region_base &&
	       gpa - hv.boot->region_base < hv.boot->region_size;
}

enum exit_action hvp_hvmem_read(struct vcpu *v, uint64_t gpa)
{
	uint64_t page = gpa & ~(uint64_t)(HVP_EPT_PAGE_4K - 1);
	enum hvp_status status;

	/* EPT edits are serialized by the engine; busy: the guest retries. */
	if (!hvp_patch_host_try_enter(v))
		return EXIT_RESUME;
	status = hvp_ept_map(&hv.ept, page, hv.zero_page_hpa, HVP_EPT_PAGE_4K,
			     HVP_EPT_READ, HVP_MT_WB);
	hvp_patch_host_leave();
	if (status != HVP_OK) {
		hvp_warn("cpu %u: read of hypervisor memory at gpa 0x%llx, guest rip 0x%llx: no table page to answer it, refused\n",
			 v->index, (unsigned long long)gpa,
			 (unsigned long long)vmread(GUEST_RIP));
		vmwrite(ENTRY_INTERRUPTION_INFO, 0);
		return hvp_inject_gp();
	}
	hvp_warn("cpu %u: read of hypervisor memory at gpa 0x%llx, guest rip 0x%llx, cr3 0x%llx: the page reads as zeros\n",
		 v->index, (unsigned long long)gpa,
		 (unsigned long long)vmread(GUEST_RIP),
		 (unsigned long long)vmread(GUEST_CR3));
	return EXIT_RESUME;
}
