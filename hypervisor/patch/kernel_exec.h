/* SPDX-License-Identifier: MIT */
/*
 * Which code the kernel may run, where the CPU has mode-based execute
 * control for EPT (SDM Vol. 3C, "EPT Translation Mechanism": secondary
 * control bit 22).  EPT then tells fetches from supervisor-mode linear
 * addresses (HVP_EPT_EXEC) from fetches from user-mode ones
 * (HVP_EPT_EXEC_USER); whether an address is user or supervisor comes
 * from the U/S bits of the guest's own paging entries, and with guest
 * paging off every address is supervisor-mode.
 *
 * Before lock nothing is restricted, except guest RAM below 1 MiB, where
 * the hypervisor learns the start-up code: a CPU restarted by INIT and
 * SIPI runs code there with paging off (a SIPI vector names a page below
 * 1 MiB), and Linux copies that trampoline at boot and never rewrites its
 * code pages, so what ran there before lock may run after.
 *
 * At lock the kernel may run, from then on, only its text, the patch
 * arena, the module text that existed at lock and the learned start-up
 * pages; the last two are write-protected like text.  User space may run
 * any other RAM and rodata (the vDSO).  A kernel fetch from anywhere else
 * is refused (kernel_exec = approved) or allowed and logged (any).
 *
 * Without the control (platform->mbec false) nothing here changes EPT.
 */
#ifndef HVPATCH_PATCH_KERNEL_EXEC_H
#define HVPATCH_PATCH_KERNEL_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "hvpatch/abi.h"
#include "lib/kernel_exec_mode.h"

struct hvp_engine;

/* Start-up code: below 1 MiB, at most this many pages recorded. */
#define HVP_STARTUP_CODE_LIMIT 0x100000ull
#define HVP_STARTUP_CODE_PAGES 16u
/*
 * x86-64 Linux's module area with 4-level paging, MODULES_VADDR to
 * MODULES_END (Documentation/arch/x86/x86_64/mm.rst: "module mapping
 * space", right after the 1 GiB kernel image mapping at
 * 0xffffffff80000000, up to the fixmap).
 */
#define HVP_MODULES_START 0xffffffffc0000000ull
#define HVP_MODULES_END 0xffffffffff000000ull
/* Module text pages recorded at lock; more and the lock is refused. */
#define HVP_MODULE_TEXT_PAGES 4096u

struct hvp_kernel_exec {
	enum hvp_kernel_exec_mode mode;
	uint32_t startup_count;
	uint64_t startup_gpa[HVP_STARTUP_CODE_PAGES];
	uint32_t startup_missed; /* start-up pages beyond the table */
	uint32_t module_count;
	uint64_t module_gpa[HVP_MODULE_TEXT_PAGES];
};

/*
 * At boot, after the identity map: records the mode and, with MBEC, gives
 * every page user execute and takes supervisor execute from RAM below
 * 1 MiB.  HVP_E_NO_MEMORY if EPT cannot be split.
 */
enum hvp_status hvp_kernel_exec_start(struct hvp_engine *e,
				      enum hvp_kernel_exec_mode mode);

/*
 * Part of lock, before the regions get their rights: records the module
 * text through the guest's tables at cr3 and, with MBEC, takes supervisor
 * execute from every page but the module text and the start-up code,
 * which become read + supervisor execute.  On failure nothing changed.
 */
enum hvp_status hvp_kernel_exec_lock(struct hvp_engine *e, uint64_t cr3);

/* Undoes hvp_kernel_exec_lock() when a later step of lock fails, after
 * the regions' own rights were restored. */
void hvp_kernel_exec_unlock(struct hvp_engine *e);

/* What the VMX layer knows of a fetch EPT stopped, for the log. */
struct hvp_fetch {
	uint64_t gpa, rip, cr3;
	unsigned int cpl;
};

/*
 * A supervisor-mode fetch EPT stopped because its page lacks supervisor
 * execute (the page allowed user execute).  True: let the guest retry
 * (learned start-up code before lock, kernel_exec = any, or a grant that
 * raced); false: refused, counted, audited and logged, the caller injects
 * #GP.
 */
bool hvp_kernel_exec_fetch(struct hvp_engine *e, const struct hvp_fetch *f);

/*
 * After lock, a guest write EPT stopped: if gpa is module text or
 * start-up code approved at lock, counts and audits it as a blocked write
 * and returns true (the caller logs it and injects #GP).
 */
bool hvp_kernel_exec_blocked_write(struct hvp_engine *e, uint64_t gpa);

#endif /* HVPATCH_PATCH_KERNEL_EXEC_H */
