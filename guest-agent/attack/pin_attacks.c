// SPDX-License-Identifier: GPL-2.0
/*
 * hvp_attack.ko, the attacks that leave text alone and send execution
 * elsewhere instead: each must be refused with #GP by the hypervisor's
 * pins, while the same operations that change nothing, and debug
 * registers used as a debugger uses them, keep working.
 *
 *   mode=dr7     an execute breakpoint on target_addr in DR0/DR7 (the
 *                hook: #DB on every call, then the attacker's handler),
 *                also by moving an allowed breakpoint there afterwards
 *   mode=lstar   IA32_LSTAR pointed at a stub, and EFER.NXE cleared, on
 *                every CPU
 *   mode=idt     LIDT to a copy of the IDT (whose gates the attacker owns)
 *
 * Each line says "allowed" or "blocked"; a change that goes through is
 * put back at once and reported as "SUCCEEDED".
 */
#include <asm/asm.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include "pin_attacks.h"

#define DR7_L(n) (1ul << (2 * (n)))
#define DR7_RW_WRITE(n) (1ul << (16 + 4 * (n)))

static bool faulting_set_dr(int n, unsigned long value)
{
	bool faulted = true;

#define SET_DR(reg)                                                            \
	asm volatile("1: mov %[value], %%" reg "\n\t"                          \
		     "movb $0, %[faulted]\n"                                   \
		     "2:\n"                                                    \
		     _ASM_EXTABLE(1b, 2b)                                      \
		     : [faulted] "+qm"(faulted) : [value] "r"(value) : "memory")
	switch (n) {
	case 0: SET_DR("dr0"); break;
	case 1: SET_DR("dr1"); break;
	case 7: SET_DR("dr7"); break;
	}
#undef SET_DR
	return faulted;
}

static void say(const char *what, bool faulted, bool want_fault)
{
	pr_info("hvp_attack: %s: %s\n", what,
		faulted ? "blocked (#GP)" : want_fault ? "SUCCEEDED" : "allowed");
}

static void dr7_hook(unsigned long target)
{
	unsigned long dr0, dr1, dr7;
	bool f;

	get_debugreg(dr0, 0);
	get_debugreg(dr1, 1);
	get_debugreg(dr7, 7);
	/* An address alone arms nothing. */
	say("DR0 = target", faulting_set_dr(0, target), false);
	f = faulting_set_dr(7, dr7 | DR7_L(0));
	say("execute breakpoint on target (DR7.L0)", f, true);
	if (!f)
		faulting_set_dr(7, dr7);
	/* A debugger's breakpoint on this module's code, then moved. */
	say("DR1 = module code", faulting_set_dr(1, (unsigned long)dr7_hook), false);
	say("execute breakpoint on module code (DR7.L1)",
	    faulting_set_dr(7, dr7 | DR7_L(1)), false);
	f = faulting_set_dr(1, target);
	say("armed breakpoint moved to target (DR1)", f, true);
	faulting_set_dr(7, dr7);
	/* A write watchpoint on text: a debugger's, and harmless. */
	say("write watchpoint on target (DR7.L0, R/W 01)",
	    faulting_set_dr(7, dr7 | DR7_L(0) | DR7_RW_WRITE(0)), false);
	faulting_set_dr(7, dr7);
	faulting_set_dr(1, dr1);
	faulting_set_dr(0, dr0);
	get_debugreg(dr7, 7);
	pr_info("hvp_attack: DR7 now %#lx\n", dr7);
}

/* Never run: a syscall entry of the attacker's. */
static void __noreturn lstar_stub(void)
{
	for (;;)
		;
}

static void msr_attack_this_cpu(void *unused)
{
	int cpu = smp_processor_id();
	u64 lstar, efer;
	char what[64];
	bool f;

	rdmsrl(MSR_LSTAR, lstar);
	rdmsrl(MSR_EFER, efer);
	f = wrmsrl_safe(MSR_LSTAR, (unsigned long)lstar_stub) != 0;
	if (!f)
		wrmsrl(MSR_LSTAR, lstar);
	snprintf(what, sizeof(what), "cpu %d: LSTAR -> stub", cpu);
	say(what, f, true);
	snprintf(what, sizeof(what), "cpu %d: LSTAR rewritten unchanged", cpu);
	say(what, wrmsrl_safe(MSR_LSTAR, lstar) != 0, false);
	f = wrmsrl_safe(MSR_EFER, efer & ~EFER_NX) != 0;
	if (!f)
		wrmsrl(MSR_EFER, efer);
	snprintf(what, sizeof(what), "cpu %d: EFER.NXE cleared", cpu);
	say(what, f, true);
}

static bool faulting_lidt(const struct desc_ptr *dt)
{
	bool faulted = true;

	asm volatile("1: lidt %[dt]\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [faulted] "+qm"(faulted) : [dt] "m"(*dt) : "memory");
	return faulted;
}

static void idt_copy(void)
{
	struct desc_ptr now, copy;
	unsigned long flags;
	void *table = kmalloc(PAGE_SIZE, GFP_KERNEL);
	bool f;

	if (!table)
		return;
	local_irq_save(flags);
	store_idt(&now);
	memcpy(table, (void *)now.address, now.size + 1);
	copy = (struct desc_ptr){ .size = now.size, .address = (unsigned long)table };
	say("LIDT of the same table", faulting_lidt(&now), false);
	f = faulting_lidt(&copy);
	if (!f)
		faulting_lidt(&now);
	local_irq_restore(flags);
	say("LIDT of a copy", f, true);
	store_idt(&copy);
	pr_info("hvp_attack: IDTR %s\n", copy.address == now.address ? "unchanged" : "CHANGED");
	kfree(table);
}

int hvp_attack_pins(const char *mode, unsigned long target)
{
	if (!strcmp(mode, "dr7") && target) {
		dr7_hook(target);
	} else if (!strcmp(mode, "lstar")) {
		on_each_cpu(msr_attack_this_cpu, NULL, 1);
	} else if (!strcmp(mode, "idt")) {
		idt_copy();
	} else {
		return -EINVAL;
	}
	return 0;
}
