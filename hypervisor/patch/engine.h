/* SPDX-License-Identifier: MIT */
/*
 * The patch engine: protection state and the apply/revert pipeline.
 *
 *   register text, rodata, arena → lock → apply bundle → revert
 *
 * All state lives in one statically sized struct: the hypervisor has no
 * heap, and fixed limits make every refusal predictable.  Calls are not
 * re-entrant; the hypercall layer serializes them.
 */
#ifndef HVPATCH_PATCH_ENGINE_H
#define HVPATCH_PATCH_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "hvp_crypto.h"
#include "hvpatch/abi.h"
#include "patch/audit.h"
#include "patch/kernel_exec.h"
#include "patch/platform.h"
#include "patch/translation.h"

#define HVP_MAX_KEYS 8u
#define HVP_MAX_APPLIED 32u
/* Text + rodata + arena: 64 MiB of 4 KiB pages. */
#define HVP_MAX_PROTECTED_PAGES 16384u
/* Static-key sites that may be in a switch's INT3 step at once: as many
 * as Linux's text_poke_bp() batches (TP_VEC_MAX, a page of 16-byte
 * entries). */
#define HVP_JUMP_LABEL_MAX_PARKED 256u
/* __jump_table entries the lock-time index holds: 5,980 in Debian 12's
 * cloud kernel; a larger table is refused at registration. */
#define HVP_JUMP_LABEL_MAX_SITES 16384u
/* How long (timestamp units, TSC cycles in the hypervisor) a site may
 * stay INT3 before the hypervisor puts it back: about a second, where a
 * real switch takes microseconds. */
#define HVP_JUMP_LABEL_INT3_BOUND (1ull << 31)
/* Attempts to find every vCPU outside the bytes to replace. */
#define HVP_RENDEZVOUS_RETRIES 16u

enum hvp_region_kind {
	HVP_REGION_TEXT,
	HVP_REGION_RODATA,
	HVP_REGION_ARENA,
	HVP_REGION_COUNT
};

struct hvp_region {
	uint64_t gva;        /* 4 KiB aligned */
	uint64_t size;
	uint32_t first_page; /* index into hvp_engine.page_gpa after lock */
	uint32_t pages;
	bool registered;
};

struct hvp_patch_site {
	uint64_t gva;
	uint8_t old_bytes[HVP_TRAMPOLINE_LEN];
};

struct hvp_applied_patch {
	uint32_t id; /* 0: free slot */
	uint32_t site_count;
	uint64_t sequence;
	uint8_t key_id[HVP_KEY_ID_LEN];
	uint64_t arena_gva; /* where its code went */
	uint64_t arena_len;
	struct hvp_patch_site sites[HVP_MAX_REPLACEMENTS];
};

struct hvp_engine_counters {
	uint64_t applies;
	uint64_t reverts;
	uint64_t refusals[HVP_STATUS_COUNT];
	/* Those refused by hvp_engine_refuse_call(), and of them the ones
	 * neither logged nor audited, only counted. */
	uint64_t call_refusals[HVP_STATUS_COUNT];
	uint64_t unrecorded[HVP_STATUS_COUNT];
	uint64_t blocked_writes;   /* guest writes EPT stopped, after lock */
	uint64_t blocked_control_writes; /* changes of pinned state refused */
	uint64_t jump_label_writes; /* static-key switch steps performed */
	uint64_t jump_label_int3;   /* INT3s at switching sites run for the guest */
	uint64_t last_hold_cycles; /* vCPUs held by the last commit/revert */
	uint64_t max_hold_cycles;
	uint64_t blocked_execs;    /* kernel fetches refused (MBEC) */
	uint64_t new_kernel_code;  /* EPT leaves kernel_exec = any opened */
};

struct hvp_engine {
	const struct hvp_platform *platform;

	struct hvp_pubkey keys[HVP_MAX_KEYS];
	uint64_t last_sequence[HVP_MAX_KEYS];
	uint32_t key_count;

	struct hvp_region regions[HVP_REGION_COUNT];
	bool locked;
	uint32_t page_count;
	/* The lock-time record: gpa of every protected page, by region. */
	uint64_t page_gpa[HVP_MAX_PROTECTED_PAGES];
	uint8_t build_id[HVP_BUILD_ID_MAX];
	uint32_t build_id_len;

	/* The kernel's __jump_table, inside rodata (patch/jump_label.c). */
	uint64_t jump_table_gva;
	uint64_t jump_table_size;
	/* Built at lock from the locked table: for each site in text,
	 * (site - text start) << 32 | its entry's index, sorted, so that a
	 * switch step or an INT3 finds its site without reading the table. */
	uint64_t jump_sites[HVP_JUMP_LABEL_MAX_SITES];
	uint32_t jump_site_count;
	/* Sites whose first byte a switch step made INT3, and since when. */
	struct {
		uint64_t site, since;
	} int3_parked[HVP_JUMP_LABEL_MAX_PARKED];
	uint32_t int3_parked_count;
	uint64_t int3_bound; /* HVP_JUMP_LABEL_INT3_BOUND; tests shorten it */

	/* The whole kernel image, _text to _end: where a slide-relative
	 * relocation may point.  Never protected: it holds data and bss. */
	uint64_t image_gva;
	uint64_t image_size;

	uint64_t arena_used;
	uint32_t next_patch_id;
	struct hvp_applied_patch patches[HVP_MAX_APPLIED];

	struct hvp_engine_counters counters;
	struct hvp_audit audit;

	/* Code the kernel may run besides text and arena (kernel_exec.h). */
	struct hvp_kernel_exec kernel_exec;

	/* The paging structures behind the protected pages (translation.h). */
	struct hvp_translation translation;

	/* The one copy of the guest's bundle, and scratch for the plan. */
	uint8_t bundle[HVP_MAX_BUNDLE_SIZE] __attribute__((aligned(8)));
	uint8_t code[HVP_MAX_BUNDLE_SIZE];   /* relocated replacement code */
	uint8_t undo[HVP_MAX_BUNDLE_SIZE];   /* arena bytes before commit */
	uint8_t function[HVP_MAX_FUNCTION_SIZE];
};

void hvp_engine_init(struct hvp_engine *e, const struct hvp_platform *p);

/* Boot time only, from the loader's key store: no hypercall reaches it. */
enum hvp_status hvp_engine_enroll_key(struct hvp_engine *e,
				      const struct hvp_pubkey *key);

enum hvp_status hvp_engine_register(struct hvp_engine *e,
				    enum hvp_region_kind kind, uint64_t gva,
				    uint64_t size);

/*
 * Before lock: the kernel image [_text, _end), which must hold the text
 * and the rodata.  Lock needs it: relocations into the kernel are checked
 * against it (HVP_E_RELOC_OUTSIDE_IMAGE).
 */
enum hvp_status hvp_engine_register_image(struct hvp_engine *e, uint64_t gva,
					  uint64_t size);

/*
 * Records the guest-virtual to guest-physical mapping of every registered
 * page through the guest's tables at cr3, reads the kernel's build-id from
 * the ELF note at build_id_note_gva, and write-protects everything in EPT.
 */
enum hvp_status hvp_engine_lock(struct hvp_engine *e, uint64_t cr3,
				uint64_t build_id_note_gva);

/* Copies the bundle from the guest page list once, then parses, verifies,
 * plans and commits it. */
enum hvp_status hvp_engine_apply(struct hvp_engine *e,
				 uint64_t page_list_gpa, uint32_t *patch_id);

enum hvp_status hvp_engine_revert(struct hvp_engine *e, uint32_t patch_id);

const struct hvp_applied_patch *
hvp_engine_find_patch(const struct hvp_engine *e, uint32_t patch_id);

/* Logs, counts and audits a refusal, then returns its status; also for
 * the hypercall layer's own refusals. */
enum hvp_status hvp_engine_refuse(struct hvp_engine *e, enum hvp_status status,
				  const char *what);

/*
 * A refusal of the call itself that any caller can provoke at will, ring 3
 * included (a VMCALL from user mode, an unknown call, an answer page that
 * is not plain RAM): counted always, but logged and audited only at the
 * first HVP_REFUSAL_BURST of its kind and then at each power of two, and
 * audited in the floodable ring, so that a flood never pushes a blocked
 * write, a refused bundle or a patch event out of the log or the audit
 * ring.  The event's sequence field holds the running count.
 */
#define HVP_REFUSAL_BURST 8u
enum hvp_status hvp_engine_refuse_call(struct hvp_engine *e,
				       enum hvp_status status, const char *what);

/* Counts and audits a guest write to protected memory that EPT stopped;
 * detail is the region's kind or HVP_BLOCKED_WRITE_APPROVED_CODE. */
void hvp_engine_blocked_write(struct hvp_engine *e, uint64_t gpa,
			      uint32_t detail);

/* Counts and audits a refused change of control state pinned at lock
 * (enum hvp_pinned); value is the MSR or the address asked for. */
void hvp_engine_blocked_control(struct hvp_engine *e, enum hvp_pinned what,
				uint64_t value);

const char *hvp_engine_region_name(enum hvp_region_kind kind);

/* After lock: does guest-virtual gva lie in a protected region (text,
 * rodata, arena), by the registered ranges? */
bool hvp_engine_protects_gva(const struct hvp_engine *e, uint64_t gva);

/* Which protected region holds gpa, for the EPT-violation handler. */
bool hvp_engine_protects(const struct hvp_engine *e, uint64_t gpa,
			 enum hvp_region_kind *kind);

/* The locked text's guest-virtual address of gpa, from the lock-time
 * record; false if gpa is not in locked text. */
bool hvp_engine_text_gva(const struct hvp_engine *e, uint64_t gpa,
			 uint64_t *gva);

/* Before lock: the kernel's __jump_table (16-byte entries), which must lie
 * inside the registered rodata. */
enum hvp_status hvp_engine_register_jump_table(struct hvp_engine *e,
					       uint64_t gva, uint64_t size);

/*
 * After lock: a guest write of len bytes at text gva that EPT stopped.
 * Performed, and HVP_OK, only if it is a step of switching a static key:
 * inside one __jump_table site, leaving it NOP or JMP-to-its-target (byte
 * 0 possibly INT3).  Otherwise nothing is written: HVP_E_TARGET_RANGE (not
 * a site) or HVP_E_PREIMAGE (a state the site never has).
 */
enum hvp_status hvp_engine_jump_label_write(struct hvp_engine *e, uint64_t gva,
					    const uint8_t *bytes, size_t len);

/*
 * After lock: the guest hit INT3 at text gva.  If gva is a static-key
 * site whose first byte is INT3, the hypervisor runs the site itself and
 * *next_rip is where the guest goes on: the JMP's target or past the NOP,
 * whichever form the site's tail holds now.  A site parked in INT3
 * without a switch step, or for longer than int3_bound, is put back first
 * (its first byte made to match its tail; refused, logged, audited) and
 * *next_rip is the site, to run again.  HVP_E_TARGET_RANGE otherwise: the
 * guest's own INT3, to be delivered as #BP.  So the guest's #BP handler
 * never runs for a site, and INT3 there can never divert execution.
 */
enum hvp_status hvp_engine_jump_label_int3(struct hvp_engine *e, uint64_t gva,
					   uint64_t *next_rip);

#endif /* HVPATCH_PATCH_ENGINE_H */
