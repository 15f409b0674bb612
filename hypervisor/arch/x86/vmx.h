/* SPDX-License-Identifier: MIT */
/*
 * VMX instructions.  Each returns true on success: VMfailInvalid sets CF,
 * VMfailValid sets ZF (SDM Vol. 3C, 31.2, conventions).
 */
#ifndef HVPATCH_X86_VMX_H
#define HVPATCH_X86_VMX_H

#include <stdbool.h>
#include <stdint.h>

static inline bool vmxon(uint64_t pa)
{
	bool bad;

	__asm__ volatile("vmxon %1; setbe %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
	return !bad;
}

static inline bool vmclear(uint64_t pa)
{
	bool bad;

	__asm__ volatile("vmclear %1; setbe %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
	return !bad;
}

static inline bool vmptrld(uint64_t pa)
{
	bool bad;

	__asm__ volatile("vmptrld %1; setbe %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
	return !bad;
}

static inline bool vmwrite(uint64_t field, uint64_t value)
{
	bool bad;

	__asm__ volatile("vmwrite %2, %1; setbe %0"
			 : "=qm"(bad) : "r"(field), "rm"(value) : "cc", "memory");
	return !bad;
}

static inline uint64_t vmread(uint64_t field)
{
	uint64_t value = 0;

	__asm__ volatile("vmread %1, %0" : "=rm"(value) : "r"(field) : "cc");
	return value;
}

/* Leaves VMX operation; the caller then clears CR4.VMXE. */
static inline void vmxoff(void)
{
	__asm__ volatile("vmxoff" ::: "cc", "memory");
}

struct invept_descriptor {
	uint64_t eptp, reserved;
};

#define INVEPT_SINGLE_CONTEXT 1
#define INVEPT_ALL_CONTEXTS 2

static inline void invept(uint64_t type, uint64_t eptp)
{
	struct invept_descriptor d = { eptp, 0 };

	__asm__ volatile("invept %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
}

/* INVVPID (SDM Vol. 3C, 30.3, "INVVPID"): types 1 to 3. */
struct invvpid_descriptor {
	uint64_t vpid, linear_address;
};

#define INVVPID_SINGLE_CONTEXT 1
#define INVVPID_ALL_CONTEXTS 2
#define INVVPID_SINGLE_CONTEXT_RETAINING_GLOBALS 3

static inline void invvpid(uint64_t type, uint16_t vpid)
{
	struct invvpid_descriptor d = { vpid, 0 };

	__asm__ volatile("invvpid %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
}

#endif /* HVPATCH_X86_VMX_H */
