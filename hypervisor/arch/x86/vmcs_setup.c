// SPDX-License-Identifier: MIT
/*
 * The VMCS of one vCPU (SDM Vol. 3C, chapter 25, "Virtual Machine Control
 * Structures", and chapter 27, "VM Entries", whose checks Bochs enforces
 * strictly).
 */
#include "arch/x86/vmcs_setup.h"

#include "arch/x86/cpu.h"
#include "arch/x86/entry.h"
#include "arch/x86/host_tables.h"
#include "arch/x86/msr.h"
#include "arch/x86/regs.h"
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "vmx/hv.h"
#include "vmx/log.h"

#define CPUID_1_ECX_XSAVE (1u << 26)
#define VMX_BASIC_TRUE_CTLS (1ull << 55)
#define SEG_AR_UNUSABLE (1u << 16)


/*
 * A control value: the bits we want, plus those the CPU forces to 1,
 * minus those it forces to 0 (SDM Vol. 3D, A.3-A.5: allowed-0 settings in
 * bits 31:0, allowed-1 settings in bits 63:32).
 */
static uint32_t adjust_controls(uint64_t cap, uint32_t wanted)
{
	return (wanted | (uint32_t)cap) & (uint32_t)(cap >> 32);
}

uint64_t hvp_guest_cr0(uint64_t wanted)
{
	uint64_t fixed0 = hv.cr0_fixed0 & ~(CR0_PE | CR0_PG);

	return (wanted | fixed0) & hv.cr0_fixed1;
}

uint64_t hvp_guest_cr4(uint64_t wanted)
{
	return (wanted | hv.cr4_fixed0) & hv.cr4_fixed1;
}

struct segment {
	uint16_t selector;
	uint64_t base;
	uint32_t limit, access_rights;
};

/* A segment as the CPU holds it now, from the GDT (SDM Vol. 3A, 3.4.5). */
static struct segment read_segment(uint16_t selector, uint64_t gdt_base)
{
	const uint64_t *gdt = (const uint64_t *)gdt_base;
	struct segment s = { .selector = selector };
	uint64_t d;

	if ((selector & ~3u) == 0 || (selector & 4)) {
		s.access_rights = SEG_AR_UNUSABLE;
		return s;
	}
	d = gdt[selector >> 3];
	s.base = (d >> 16 & 0xffffff) | (d >> 56 & 0xff) << 24;
	s.limit = (uint32_t)((d & 0xffff) | (d >> 48 & 0xf) << 16);
	if (d & (1ull << 55)) /* G: limit in 4 KiB units */
		s.limit = s.limit << 12 | 0xfff;
	s.access_rights = (uint32_t)(d >> 40) & 0xf0ff;
	/* System descriptors (TSS, LDT) are 16 bytes: base bits 63:32. */
	if (!(d & (1ull << 44)))
		s.base |= gdt[(selector >> 3) + 1] << 32;
	return s;
}

static bool write_guest_segment(enum vmcs_segment seg, struct segment s)
{
	return vmwrite(GUEST_SEG_SELECTOR(seg), s.selector) &&
	       vmwrite(GUEST_SEG_BASE(seg), s.base) &&
	       vmwrite(GUEST_SEG_LIMIT(seg), s.limit) &&
	       vmwrite(GUEST_SEG_AR(seg), s.access_rights);
}

static bool setup_guest_state(struct vcpu *v)
{
	struct descriptor_table gdtr = read_gdtr(), idtr = read_idtr();
	uint16_t selectors[SEG_COUNT] = {
		[SEG_ES] = read_es(), [SEG_CS] = read_cs(), [SEG_SS] = read_ss(),
		[SEG_DS] = read_ds(), [SEG_FS] = read_fs(), [SEG_GS] = read_gs(),
		[SEG_LDTR] = read_ldtr(), [SEG_TR] = read_tr(),
	};
	bool ok = true;

	for (int s = 0; s < SEG_COUNT; s++) {
		struct segment seg = read_segment(selectors[s], gdtr.base);

		/*
		 * UEFI firmware often runs with no task register loaded; VM
		 * entry still needs a usable, busy 64-bit TSS (27.3.1.2,
		 * checks on guest segment registers), so describe an empty one.
		 */
		if (s == SEG_TR && (seg.access_rights & SEG_AR_UNUSABLE))
			seg = (struct segment){ 0, 0, 0x67, 0x8b };
		if (s == SEG_TR)
			seg.access_rights |= 0x2; /* busy */
		if (s == SEG_FS)
			seg.base = rdmsr(MSR_FS_BASE);
		if (s == SEG_GS)
			seg.base = rdmsr(MSR_GS_BASE);
		ok = ok && write_guest_segment(s, seg);
	}
	v->guest_cr0 = read_cr0();
	v->guest_cr4 = read_cr4() & ~CR4_VMXE;
	return ok && vmwrite(GUEST_GDTR_BASE, gdtr.base) &&
	       vmwrite(GUEST_GDTR_LIMIT, gdtr.limit) &&
	       vmwrite(GUEST_IDTR_BASE, idtr.base) &&
	       vmwrite(GUEST_IDTR_LIMIT, idtr.limit) &&
	       vmwrite(GUEST_CR0, read_cr0()) && vmwrite(GUEST_CR3, read_cr3()) &&
	       vmwrite(GUEST_CR4, read_cr4()) && vmwrite(GUEST_DR7, read_dr7()) &&
	       vmwrite(GUEST_RFLAGS, read_rflags()) &&
	       vmwrite(GUEST_IA32_DEBUGCTL, rdmsr(MSR_IA32_DEBUGCTL)) &&
	       vmwrite(GUEST_IA32_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS)) &&
	       vmwrite(GUEST_IA32_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP)) &&
	       vmwrite(GUEST_IA32_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP)) &&
	       vmwrite(GUEST_IA32_EFER, rdmsr(MSR_IA32_EFER)) &&
	       vmwrite(GUEST_IA32_PAT, rdmsr(MSR_IA32_PAT)) &&
	       vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE) &&
	       vmwrite(GUEST_INTERRUPTIBILITY, 0) &&
	       vmwrite(GUEST_PENDING_DEBUG_EXCEPTIONS, 0) &&
	       vmwrite(VMCS_LINK_POINTER, ~0ull) &&
	       vmwrite(CR0_READ_SHADOW, v->guest_cr0) &&
	       vmwrite(CR4_READ_SHADOW, v->guest_cr4);
}

static bool setup_host_state(struct vcpu *v)
{
	/* XSETBV is emulated by running it in VMX root, which needs
	 * CR4.OSXSAVE there even when the firmware never set it. */
	uint64_t host_cr4 = read_cr4() |
			    (cpuid(1, 0).ecx & CPUID_1_ECX_XSAVE ? CR4_OSXSAVE : 0);

	hvp_host_gdt_init(v);
	return vmwrite(HOST_CR0, read_cr0()) && vmwrite(HOST_CR3, hv.host_cr3) &&
	       vmwrite(HOST_CR4, host_cr4) &&
	       vmwrite(HOST_SEG_SELECTOR(SEG_CS), HOST_CS) &&
	       vmwrite(HOST_SEG_SELECTOR(SEG_SS), HOST_DS) &&
	       vmwrite(HOST_SEG_SELECTOR(SEG_DS), HOST_DS) &&
	       vmwrite(HOST_SEG_SELECTOR(SEG_ES), HOST_DS) &&
	       vmwrite(HOST_SEG_SELECTOR(SEG_FS), 0) &&
	       vmwrite(HOST_SEG_SELECTOR(SEG_GS), 0) &&
	       vmwrite(HOST_TR_SELECTOR, HOST_TR) &&
	       vmwrite(HOST_FS_BASE, 0) && vmwrite(HOST_GS_BASE, (uint64_t)v) &&
	       vmwrite(HOST_TR_BASE, (uint64_t)&v->tss) &&
	       vmwrite(HOST_GDTR_BASE, (uint64_t)v->gdt) &&
	       vmwrite(HOST_IDTR_BASE, hvp_host_idt_base()) &&
	       vmwrite(HOST_IA32_SYSENTER_CS, 0) &&
	       vmwrite(HOST_IA32_SYSENTER_ESP, 0) &&
	       vmwrite(HOST_IA32_SYSENTER_EIP, 0) &&
	       vmwrite(HOST_IA32_EFER, rdmsr(MSR_IA32_EFER)) &&
	       vmwrite(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT)) &&
	       vmwrite(HOST_RSP, (uint64_t)v->stack + HOST_STACK_SIZE) &&
	       vmwrite(HOST_RIP, (uint64_t)hvp_vmexit_entry);
}

/* The MSR bitmap's write halves: MSRs 0..0x1fff, then 0xc0000000..
 * 0xc0001fff (SDM Vol. 3C, 25.6.9). */
#define MSR_HIGH_BASE 0xc0000000u
#define MSR_BITMAP_RANGE 0x2000u

bool hvp_msr_bitmap_intercept_write(uint8_t *bitmap, uint32_t msr)
{
	uint8_t *map = bitmap + 2048;

	if (msr >= MSR_HIGH_BASE) {
		msr -= MSR_HIGH_BASE;
		map = bitmap + 3072;
	}
	if (msr >= MSR_BITMAP_RANGE)
		return false;
	map[msr / 8] |= (uint8_t)(1u << (msr % 8));
	return true;
}

/*
 * Only what must be intercepted (SDM Vol. 3C, 25.6.9, MSR-bitmap
 * address): reads and writes of IA32_FEATURE_CONTROL and
 * IA32_BIOS_SIGN_ID, reads of the VMX capability MSRs, which the guest
 * must not see, and writes of the x2APIC ICR, for INIT and SIPI.  Everything else runs natively.
 * Lock adds the writes of the MSRs it pins (vmx/pin.c).
 */
static void setup_msr_bitmap(uint8_t *bitmap)
{
	uint8_t *read_low = bitmap, *write_low = bitmap + 2048;

#define INTERCEPT(map, msr) ((map)[(msr) / 8] |= (uint8_t)(1u << ((msr) % 8)))
	INTERCEPT(read_low, MSR_IA32_FEATURE_CONTROL);
	INTERCEPT(write_low, MSR_IA32_FEATURE_CONTROL);
	INTERCEPT(read_low, MSR_IA32_BIOS_SIGN_ID);
	INTERCEPT(write_low, MSR_IA32_BIOS_SIGN_ID);
	INTERCEPT(write_low, MSR_X2APIC_ICR);
	for (uint32_t msr = MSR_IA32_VMX_FIRST; msr <= MSR_IA32_VMX_LAST; msr++) {
		INTERCEPT(read_low, msr);
		INTERCEPT(write_low, msr);
	}
#undef INTERCEPT
}

#define INTERCEPT_PORT(bitmaps, p) ((bitmaps)[(p) / 8] |= (uint8_t)(1u << ((p) % 8)))

/*
 * The port the guest writes to power off (from the FADT), so that the
 * exit counters are printed first, and the CMOS ports, whose warm-reset
 * code opens the APIC start-up window (vmx/apic_window.c).  Bitmap A
 * covers ports 0-0x7fff (25.6.4); 0x70, 0x71 and PM1a all fall in it.
 */
static void setup_io_bitmaps(uint8_t *bitmaps, uint16_t port)
{
	if (port)
		for (unsigned int p = port; p < port + 2u; p++)
			INTERCEPT_PORT(bitmaps, p);
	INTERCEPT_PORT(bitmaps, HVP_CMOS_INDEX_PORT);
	INTERCEPT_PORT(bitmaps, HVP_CMOS_DATA_PORT);
}

static bool setup_controls(struct vcpu *v)
{
	const struct hvp_vmx_caps *c = &hv.caps;
	bool true_ctls = c->basic & VMX_BASIC_TRUE_CTLS;
	uint64_t pin_cap = true_ctls ? rdmsr(MSR_IA32_VMX_TRUE_PINBASED_CTLS) : c->pinbased;
	uint64_t proc_cap = true_ctls ? rdmsr(MSR_IA32_VMX_TRUE_PROCBASED_CTLS) : c->procbased;
	uint64_t exit_cap = true_ctls ? rdmsr(MSR_IA32_VMX_TRUE_EXIT_CTLS) : c->exit;
	uint64_t entry_cap = true_ctls ? rdmsr(MSR_IA32_VMX_TRUE_ENTRY_CTLS) : c->entry;
	uint32_t proc2 = VMX_PROC2_EPT | VMX_PROC2_VPID | VMX_PROC2_UNRESTRICTED_GUEST;
	uint32_t optional2 = VMX_PROC2_RDTSCP | VMX_PROC2_INVPCID | VMX_PROC2_XSAVES;
	uint64_t cr0_mask, cr4_mask;

	/* Linux uses these instructions when CPUID offers them: without
	 * the controls they would #UD in the guest (25.6.2). */
	proc2 |= optional2 & (uint32_t)(c->procbased2 >> 32);
	/* hvp_setup() found it allowed (patch/kernel_exec.h). */
	if (hv.mbec)
		proc2 |= VMX_PROC2_MODE_BASED_EPT_EXEC;
	setup_msr_bitmap(v->msr_bitmap);
	setup_io_bitmaps(v->io_bitmaps, hv.boot->pm1a_control_port);

	/* CR bits the guest may not choose: those fixed by VMX, except PE
	 * and PG under unrestricted guest.  Writes to them exit; reads
	 * return the shadow (25.6.6, guest/host masks and read shadows). */
	cr0_mask = (hv.cr0_fixed0 | ~hv.cr0_fixed1) & ~(CR0_PE | CR0_PG);
	cr4_mask = hv.cr4_fixed0 | ~hv.cr4_fixed1;

	return vmwrite(PIN_BASED_CONTROLS,
		       adjust_controls(pin_cap, PIN_NMI_EXITING | PIN_VIRTUAL_NMIS)) &&
	       vmwrite(PROC_BASED_CONTROLS,
		       adjust_controls(proc_cap, PROC_USE_MSR_BITMAPS |
						 PROC_USE_IO_BITMAPS |
						 PROC_ACTIVATE_SECONDARY)) &&
	       vmwrite(PROC_BASED_CONTROLS2, adjust_controls(c->procbased2, proc2)) &&
	       vmwrite(EXIT_CONTROLS,
		       adjust_controls(exit_cap, EXIT_SAVE_DEBUG_CONTROLS |
						 EXIT_HOST_ADDRESS_SPACE_SIZE |
						 EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT |
						 EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER)) &&
	       vmwrite(ENTRY_CONTROLS,
		       adjust_controls(entry_cap, ENTRY_LOAD_DEBUG_CONTROLS |
						  ENTRY_IA32E_MODE_GUEST |
						  ENTRY_LOAD_IA32_PAT |
						  ENTRY_LOAD_IA32_EFER)) &&
	       vmwrite(EXCEPTION_BITMAP, 0) && vmwrite(CR3_TARGET_COUNT, 0) &&
	       vmwrite(EXIT_MSR_STORE_COUNT, 0) && vmwrite(EXIT_MSR_LOAD_COUNT, 0) &&
	       vmwrite(ENTRY_MSR_LOAD_COUNT, 0) && vmwrite(ENTRY_INTERRUPTION_INFO, 0) &&
	       vmwrite(MSR_BITMAP, (uint64_t)v->msr_bitmap) &&
	       vmwrite(IO_BITMAP_A, (uint64_t)v->io_bitmaps) &&
	       vmwrite(IO_BITMAP_B, (uint64_t)v->io_bitmaps + 4096) &&
	       vmwrite(EPT_POINTER, hvp_ept_pointer(&hv.ept)) &&
	       vmwrite(VIRTUAL_PROCESSOR_ID, v->index + 1) &&
	       vmwrite(CR0_GUEST_HOST_MASK, cr0_mask) &&
	       vmwrite(CR4_GUEST_HOST_MASK, cr4_mask);
}

bool hvp_vmcs_setup(struct vcpu *v)
{
	if (!setup_controls(v) || !setup_host_state(v) || !setup_guest_state(v)) {
		hvp_error("cpu %u: VMWRITE failed, VM-instruction error %llu\n",
			  v->index, (unsigned long long)vmread(VM_INSTRUCTION_ERROR));
		return false;
	}
	return true;
}
