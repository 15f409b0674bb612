/* SPDX-License-Identifier: MIT */
/*
 * What the patch engine needs from the machine, and nothing more.
 *
 * The VMX layer implements these with real guest memory, INVEPT and an
 * NMI rendezvous; the host tests implement them over simulated memory.
 * Keeping the engine behind this interface is what lets cmocka prove its
 * all-or-nothing behaviour without hardware.
 */
#ifndef HVPATCH_PATCH_PLATFORM_H
#define HVPATCH_PATCH_PLATFORM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvpatch/abi.h"
#include "lib/log_level.h"

struct hvp_ept;


struct hvp_platform {
	void *ctx;
	/*
	 * Copies guest RAM.  A range touching hypervisor memory, MMIO or
	 * anything else that is not guest RAM gives HVP_E_BAD_POINTER.
	 */
	enum hvp_status (*read_gpa)(void *ctx, uint64_t gpa, void *dst,
				    size_t len);
	/* Writes guest RAM through the hypervisor's own mapping. */
	enum hvp_status (*write_gpa)(void *ctx, uint64_t gpa, const void *src,
				     size_t len);
	/*
	 * Atomically stores desired in the aligned 8 bytes of guest RAM at
	 * gpa if they hold *expected: HVP_OK.  Otherwise *expected gets
	 * what they hold: HVP_E_BUSY.  HVP_E_BAD_POINTER outside guest RAM.
	 */
	enum hvp_status (*cmpxchg_gpa)(void *ctx, uint64_t gpa,
				       uint64_t *expected, uint64_t desired);
	/* The EPT every vCPU uses; the engine edits its permissions. */
	struct hvp_ept *ept;
	/*
	 * Mode-based execute control for EPT is in force (SDM Vol. 3C, "EPT
	 * Translation Mechanism"): HVP_EPT_EXEC then allows supervisor-mode
	 * fetches only, HVP_EPT_EXEC_USER user-mode ones (kernel_exec.h).
	 * The VMX layer sets it where the CPU has the control; host tests
	 * switch it.
	 */
	bool mbec;
	/* Holds every other vCPU in VMX root until resume_others(). */
	enum hvp_status (*pause_others)(void *ctx);
	void (*resume_others)(void *ctx);
	/* The guest RIP of every vCPU, the caller's included, while paused. */
	unsigned int (*vcpu_rips)(void *ctx, uint64_t *rips, unsigned int max);
	/* INVEPT and a serializing instruction on every CPU. */
	void (*flush)(void *ctx);
	void (*vlog)(void *ctx, enum hvp_log_level level, const char *fmt,
		     va_list ap);
	uint64_t (*timestamp)(void *ctx); /* TSC */
};

#endif /* HVPATCH_PATCH_PLATFORM_H */
