// SPDX-License-Identifier: MIT
/*
 * The start-up window (see apic.h): when writes to the xAPIC page exit.
 *
 * Open from launch, so that the firmware's and the OS's INIT and SIPI are
 * delivered in software.  Closed once the guest has locked (its kernel is
 * up) and no vCPU is waiting for a SIPI: from then on EOI, timer and
 * ordinary IPI writes run natively.  Opened again when the guest writes
 * the warm-reset shutdown code (0x0a) to CMOS byte 0x0f, which an OS
 * following the MultiProcessor Specification (1.4, appendix B.4, "Universal
 * Start-up Algorithm") does before every INIT it sends to start an AP;
 * Linux does so before each CPU it brings online.  Closed again after that
 * AP's SIPI.
 *
 * Closing needs no flush: a write through a stale read-only translation
 * exits once, is emulated, and the EPT violation itself invalidates the
 * stale mappings (SDM Vol. 3C, 29.4.3.1, operations that invalidate
 * cached mappings).  Opening flushes here and asks every other vCPU,
 * through a kick, to flush before it runs guest code again.
 */
#include "arch/x86/spinlock.h"
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "vmx/hv.h"
#include "vmx/log.h"

#define CMOS_INDEX_MASK 0x7f /* bit 7 of port 0x70 is the NMI mask */
#define CMOS_SHUTDOWN_STATUS 0x0f
#define CMOS_SHUTDOWN_WARM_RESET 0x0a /* jump through 40:67 */

static struct {
	struct hvp_spinlock lock;
	bool trapping;
	bool guest_booted;
	uint8_t cmos_index; /* the last index the guest wrote to port 0x70 */
} window = { .trapping = true };

static bool waiting_for_sipi(void)
{
	for (uint32_t i = 0; i < hv.vcpu_count; i++)
		if (hv.vcpus[i]->init_requested || hv.vcpus[i]->parked)
			return true;
	return false;
}

/* Under window.lock; true if the rights changed.  The caller logs. */
static bool set_trapping(struct vcpu *self, bool trap)
{
	unsigned int perms = trap ? HVP_EPT_READ : HVP_EPT_RWX;

	/* The APIC page's table exists since hvp_apic_setup(): no
	 * allocation, so this does not fail. */
	if (window.trapping == trap ||
	    hvp_ept_set_perms(&hv.ept, hvp_apic_page(), 4096, perms) != HVP_OK)
		return false;
	window.trapping = trap;
	if (!trap)
		return true;
	invept(INVEPT_ALL_CONTEXTS, 0);
	for (uint32_t i = 0; i < hv.vcpu_count; i++) {
		struct vcpu *t = hv.vcpus[i];

		if (t == self)
			continue;
		__atomic_store_n(&t->flush_requested, true, __ATOMIC_SEQ_CST);
		hvp_apic_kick(t);
	}
	return true;
}

void hvp_apic_window_update(struct vcpu *self)
{
	bool closed;

	hvp_spin_lock(&window.lock);
	closed = window.guest_booted && !waiting_for_sipi() && set_trapping(self, false);
	hvp_spin_unlock(&window.lock);
	if (closed)
		hvp_info("cpu %u: APIC writes run natively: every CPU is up\n", self->index);
}

void hvp_apic_guest_booted(struct vcpu *self)
{
	hvp_spin_lock(&window.lock);
	window.guest_booted = true;
	hvp_spin_unlock(&window.lock);
	hvp_apic_window_update(self);
}

void hvp_apic_cmos_write(struct vcpu *self, uint16_t port, uint8_t value)
{
	bool opened = false;

	hvp_spin_lock(&window.lock);
	if (port == HVP_CMOS_INDEX_PORT)
		window.cmos_index = value & CMOS_INDEX_MASK;
	else if (window.cmos_index == CMOS_SHUTDOWN_STATUS &&
		 value == CMOS_SHUTDOWN_WARM_RESET)
		opened = set_trapping(self, true);
	hvp_spin_unlock(&window.lock);
	if (opened)
		hvp_info("cpu %u: APIC writes trapped: warm-reset code, an AP start-up follows\n",
			 self->index);
}

void hvp_apic_flush_if_requested(struct vcpu *v)
{
	if (__atomic_exchange_n(&v->flush_requested, false, __ATOMIC_SEQ_CST))
		invept(INVEPT_ALL_CONTEXTS, 0);
}
