/* SPDX-License-Identifier: MIT */
/* The x86 instructions hvpatch uses, one inline function each. */
#ifndef HVPATCH_X86_CPU_H
#define HVPATCH_X86_CPU_H

#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* CPUID bits hvpatch reads or hides (SDM Vol. 2A, CPUID). */
#define CPUID_1_ECX_VMX (1u << 5)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_1_ECX_HYPERVISOR (1u << 31) /* reserved for hypervisors */
#define CPUID_1_EBX_APIC_ID(ebx) ((ebx) >> 24)
#define CPUID_LEAF_XSAVE 0xd
#define CPUID_LEAF_ADDRESS_SIZES 0x80000008u
#define CPUID_ADDRESS_SIZES_PHYS_BITS(eax) ((eax) & 0xff)

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
			 : "memory");
}

#define DEFINE_CR_ACCESSORS(n)                                          \
	static inline uint64_t read_cr##n(void)                         \
	{                                                               \
		uint64_t v;                                             \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));       \
		return v;                                               \
	}                                                               \
	static inline void write_cr##n(uint64_t v)                      \
	{                                                               \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline uint64_t read_dr7(void)
{
	uint64_t v;

	__asm__ volatile("mov %%dr7, %0" : "=r"(v));
	return v;
}

/* DR0-DR3 and DR6 (SDM Vol. 3B, 18.2, debug registers); DR7 lives in the
 * VMCS while a guest runs.  VM exits leave DR0-DR3 and DR6 alone, so in
 * VMX root these are the guest's own values. */
static inline uint64_t read_dr(unsigned int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0: __asm__ volatile("mov %%dr0, %0" : "=r"(v)); break;
	case 1: __asm__ volatile("mov %%dr1, %0" : "=r"(v)); break;
	case 2: __asm__ volatile("mov %%dr2, %0" : "=r"(v)); break;
	case 3: __asm__ volatile("mov %%dr3, %0" : "=r"(v)); break;
	case 6: __asm__ volatile("mov %%dr6, %0" : "=r"(v)); break;
	}
	return v;
}

static inline void write_dr(unsigned int n, uint64_t v)
{
	switch (n) {
	case 0: __asm__ volatile("mov %0, %%dr0" : : "r"(v)); break;
	case 1: __asm__ volatile("mov %0, %%dr1" : : "r"(v)); break;
	case 2: __asm__ volatile("mov %0, %%dr2" : : "r"(v)); break;
	case 3: __asm__ volatile("mov %0, %%dr3" : : "r"(v)); break;
	case 6: __asm__ volatile("mov %0, %%dr6" : : "r"(v)); break;
	}
}

static inline uint64_t read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

struct __attribute__((packed)) descriptor_table {
	uint16_t limit;
	uint64_t base;
};

static inline struct descriptor_table read_gdtr(void)
{
	struct descriptor_table t;

	__asm__ volatile("sgdt %0" : "=m"(t));
	return t;
}

static inline struct descriptor_table read_idtr(void)
{
	struct descriptor_table t;

	__asm__ volatile("sidt %0" : "=m"(t));
	return t;
}

#define DEFINE_SEGMENT_READER(name, insn)                               \
	static inline uint16_t read_##name(void)                        \
	{                                                               \
		uint16_t v;                                             \
		__asm__ volatile(insn " %0" : "=r"(v));                 \
		return v;                                               \
	}
DEFINE_SEGMENT_READER(cs, "mov %%cs,")
DEFINE_SEGMENT_READER(ss, "mov %%ss,")
DEFINE_SEGMENT_READER(ds, "mov %%ds,")
DEFINE_SEGMENT_READER(es, "mov %%es,")
DEFINE_SEGMENT_READER(fs, "mov %%fs,")
DEFINE_SEGMENT_READER(gs, "mov %%gs,")
DEFINE_SEGMENT_READER(tr, "str")
DEFINE_SEGMENT_READER(ldtr, "sldt")
#undef DEFINE_SEGMENT_READER

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline void cpu_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/*
 * An IRET to the next instruction: ends the blocking of NMIs that an NMI
 * VM exit leaves behind when "virtual NMIs" is on (SDM Vol. 3C, 26.7.1.2
 * and 28.1; VM entry does not lift it), as IRET after an NMI handler does.
 */
static inline void cpu_unblock_nmis(void)
{
	uint64_t scratch;

	__asm__ volatile("mov %%rsp, %0\n\t"
			 "pushq %2\n\t"
			 "pushq %0\n\t"
			 "pushfq\n\t"
			 "pushq %1\n\t"
			 "lea 1f(%%rip), %0\n\t"
			 "pushq %0\n\t"
			 "iretq\n"
			 "1:"
			 : "=&r"(scratch)
			 : "r"((uint64_t)read_cs()), "r"((uint64_t)read_ss())
			 : "memory");
}

/* XCR0 only: the caller has checked the value (SDM Vol. 2C, XSETBV). */
static inline void xsetbv_xcr0(uint64_t value)
{
	__asm__ volatile("xsetbv" : : "a"((uint32_t)value), "d"((uint32_t)(value >> 32)),
			 "c"(0));
}

static inline void wbinvd(void)
{
	__asm__ volatile("wbinvd" ::: "memory");
}

/* The quadword at %gs:offset: the per-CPU area of VMX root. */
static inline uint64_t read_gs_qword(uint64_t offset)
{
	uint64_t value;

	__asm__ volatile("mov %%gs:(%1), %0" : "=r"(value) : "r"(offset));
	return value;
}

static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif /* HVPATCH_X86_CPU_H */
