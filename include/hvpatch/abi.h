/* SPDX-License-Identifier: MIT */
/*
 * hvpatch ABI: the one header shared by the hypervisor, the guest agent
 * and the host tools.  It defines the status codes, the hypercall numbers
 * and the signed patch bundle layout (docs/bundle-format.md,
 * docs/hypercalls.md).
 *
 * Everything here is little-endian, naturally aligned, and has a fixed
 * size checked at compile time, so the same bytes mean the same thing to
 * a freestanding hypervisor, a Linux module and a host program.
 */
#ifndef HVPATCH_ABI_H
#define HVPATCH_ABI_H

#ifdef __KERNEL__
#include <linux/types.h>
typedef u8 hvp_u8;
typedef u16 hvp_u16;
typedef u32 hvp_u32;
typedef u64 hvp_u64;
typedef s64 hvp_s64;
#else
#include <stdint.h>
typedef uint8_t hvp_u8;
typedef uint16_t hvp_u16;
typedef uint32_t hvp_u32;
typedef uint64_t hvp_u64;
typedef int64_t hvp_s64;
#endif

/*
 * Status codes.  Every refusal has its own code so that a fleet tool can
 * tell a forged bundle from a stale one without parsing log text.  The
 * hypervisor counts refusals per code (HVP_HC_COUNTERS).
 */
#define HVP_STATUS_LIST(X)                                                     \
	X(HVP_OK, 0, "success")                                                \
	X(HVP_E_INVALID, 1, "malformed call")                                  \
	X(HVP_E_UNKNOWN_CALL, 2, "unknown hypercall number")                   \
	X(HVP_E_CPL, 3, "hypercall from CPL > 0")                              \
	X(HVP_E_BAD_POINTER, 4, "buffer page outside guest RAM")               \
	X(HVP_E_TOO_LARGE, 5, "buffer larger than the hypervisor accepts")     \
	X(HVP_E_TRUNCATED, 6, "bundle shorter than its header says")           \
	X(HVP_E_BAD_MAGIC, 7, "not a bundle (bad magic)")                      \
	X(HVP_E_BAD_VERSION, 8, "unsupported bundle format version")           \
	X(HVP_E_BAD_FLAGS, 9, "unknown flags or non-zero reserved bytes")      \
	X(HVP_E_BAD_COUNT, 10, "count out of range")                           \
	X(HVP_E_BAD_LAYOUT, 11, "offset or length out of bounds")              \
	X(HVP_E_BAD_SIGNATURE, 12, "signature does not verify")                \
	X(HVP_E_UNKNOWN_KEY, 13, "signing key is not enrolled")                \
	X(HVP_E_WRONG_BUILD, 14, "bundle is for another kernel build")         \
	X(HVP_E_REPLAY, 15, "sequence number not newer than the last one")     \
	X(HVP_E_TARGET_RANGE, 16, "target outside the locked kernel text")     \
	X(HVP_E_PREIMAGE, 17, "bytes at the patch site do not match")          \
	X(HVP_E_FUNCTION_HASH, 18, "old function hash does not match")         \
	X(HVP_E_OVERLAP, 19, "replacements overlap or target is patched")      \
	X(HVP_E_ARENA_FULL, 20, "no room left in the patch arena")             \
	X(HVP_E_BAD_RELOC, 21, "relocation invalid or out of range")           \
	X(HVP_E_NOT_LOCKED, 22, "protection is not locked yet")                \
	X(HVP_E_LOCKED, 23, "protected set is locked")                         \
	X(HVP_E_NOT_REGISTERED, 24, "text or arena not registered")            \
	X(HVP_E_NOT_MAPPED, 25, "guest address not mapped")                    \
	X(HVP_E_BUSY, 26, "a vCPU is executing the bytes to replace")          \
	X(HVP_E_NO_SUCH_PATCH, 27, "no applied patch with that id")            \
	X(HVP_E_TABLE_FULL, 28, "a hypervisor table is full")                  \
	X(HVP_E_NO_MEMORY, 29, "hypervisor out of memory")                     \
	X(HVP_E_INTERNAL, 30, "internal error")                                \
	X(HVP_E_RELOC_OUTSIDE_IMAGE, 31,                                       \
	  "relocation target outside the kernel image")

enum hvp_status {
#define HVP_STATUS_ENUM(name, value, text) name = value,
	HVP_STATUS_LIST(HVP_STATUS_ENUM)
#undef HVP_STATUS_ENUM
	HVP_STATUS_COUNT
};

/* "HVP_E_REPLAY" and its one-line meaning, for logs and messages. */
static inline const char *hvp_status_name(unsigned int status)
{
	static const char *const names[] = {
#define HVP_STATUS_NAME(name, value, text) [value] = #name,
		HVP_STATUS_LIST(HVP_STATUS_NAME)
#undef HVP_STATUS_NAME
	};

	return status < HVP_STATUS_COUNT ? names[status] : "HVP_E_UNKNOWN_STATUS";
}

static inline const char *hvp_status_text(unsigned int status)
{
	static const char *const texts[] = {
#define HVP_STATUS_TEXT(name, value, text) [value] = text,
		HVP_STATUS_LIST(HVP_STATUS_TEXT)
#undef HVP_STATUS_TEXT
	};

	return status < HVP_STATUS_COUNT ? texts[status] : "unknown status code";
}

/* The hypervisor's CPUID leaves: 0x40000000 gives the vendor "hvpatch"
 * in EBX:ECX:EDX, 0x40000001 gives HVP_ABI_VERSION in EAX, and
 * 0x40000002 the physical range the hypervisor reserved (base in EBX:EAX,
 * size in EDX:ECX), which the guest can see listed as reserved but never
 * read: a fact for status tools and tests, not a secret. */
#define HVP_CPUID_VENDOR_LEAF 0x40000000u
#define HVP_CPUID_VERSION_LEAF 0x40000001u
#define HVP_CPUID_RESERVED_LEAF 0x40000002u
#define HVP_ABI_VERSION 1u

/*
 * Hypercalls (docs/hypercalls.md).  VMCALL from CPL 0 with RAX = call
 * number and arguments in RBX, RCX; RAX returns the status, RBX a result.
 * A buffer the hypervisor reads is a page list (struct hvp_page_list) at
 * a 4 KiB-aligned guest-physical address; a buffer it writes is one 4 KiB
 * guest page.  Both must be ordinary guest RAM, never protected memory,
 * the hypervisor's memory or MMIO.
 *
 * The one table of calls: X(NAME, name, number, flags, "log name").
 * The hypervisor builds its dispatch table from it (a handler hc_<name>
 * per call), the agent its log names and argument rules.
 *   HVP_HC_F_OUT_PAGE  RBX is the 4 KiB guest page the answer is written to
 *   HVP_HC_F_RCX       RCX carries an argument (else it is ignored)
 */
#define HVP_HC_F_OUT_PAGE 0x1u
#define HVP_HC_F_RCX 0x2u
#define HVP_HYPERCALLS(X)                                                      \
	/* -> RBX = HVP_ABI_VERSION */                                         \
	X(VERSION, version, 0x01, 0, "version")                                \
	/* RBX = out page: struct hvp_status_info */                           \
	X(STATUS, status, 0x02, HVP_HC_F_OUT_PAGE, "status")                   \
	/* RBX = gva, RCX = size (4 KiB aligned) */                            \
	X(REGISTER_TEXT, register_text, 0x10, HVP_HC_F_RCX, "register text")   \
	X(REGISTER_RODATA, register_rodata, 0x11, HVP_HC_F_RCX,                \
	  "register rodata")                                                   \
	X(REGISTER_ARENA, register_arena, 0x12, HVP_HC_F_RCX, "register arena")\
	/* RBX = gva of the kernel's GNU build-id note */                      \
	X(LOCK, lock, 0x13, 0, "lock")                                         \
	/* RBX = gva of __jump_table, RCX = size */                            \
	X(REGISTER_JUMP_TABLE, register_jump_table, 0x14, HVP_HC_F_RCX,        \
	  "register jump table")                                               \
	/* RBX = gva of _text, RCX = size to _end */                           \
	X(REGISTER_IMAGE, register_image, 0x15, HVP_HC_F_RCX, "register image")\
	/* RBX = page list of the bundle -> RBX = patch id */                  \
	X(APPLY, apply, 0x20, 0, "apply")                                      \
	/* RBX = patch id */                                                   \
	X(REVERT, revert, 0x21, 0, "revert")                                   \
	/* RBX = out page: struct hvp_patch_info[] -> RBX = count */           \
	X(LIST, list, 0x22, HVP_HC_F_OUT_PAGE, "list")                         \
	/* RBX = out page, RCX = first serial -> RBX = count */                \
	X(AUDIT_READ, audit_read, 0x30, HVP_HC_F_OUT_PAGE | HVP_HC_F_RCX,      \
	  "audit read")                                                        \
	/* RBX = out page: struct hvp_counters */                              \
	X(COUNTERS, counters, 0x31, HVP_HC_F_OUT_PAGE, "counters")             \
	/* RBX = out page, RCX = offset -> RBX = bytes */                      \
	X(LOG_READ, log_read, 0x32, HVP_HC_F_OUT_PAGE | HVP_HC_F_RCX,          \
	  "log read")

enum hvp_hypercall {
#define HVP_HC_ENUM(NAME, name, nr, flags, text) HVP_HC_##NAME = nr,
	HVP_HYPERCALLS(HVP_HC_ENUM)
#undef HVP_HC_ENUM
	HVP_HC_LIMIT /* above every number */
};

/* "register text", or NULL for a number that is no hypercall. */
static inline const char *hvp_hypercall_name(hvp_u64 nr)
{
	switch (nr) {
#define HVP_HC_NAME(NAME, name, nr, flags, text) case nr: return text;
	HVP_HYPERCALLS(HVP_HC_NAME)
#undef HVP_HC_NAME
	default:
		return 0;
	}
}

static inline unsigned int hvp_hypercall_flags(hvp_u64 nr)
{
	switch (nr) {
#define HVP_HC_FLAGS(NAME, name, nr, flags, text) case nr: return flags;
	HVP_HYPERCALLS(HVP_HC_FLAGS)
#undef HVP_HC_FLAGS
	default:
		return 0;
	}
}

#define HVP_PAGE_SIZE 4096u

/*
 * A guest buffer: a descriptor page holding this header and then
 * page_count guest-physical page addresses.  Byte i of the buffer is at
 * pages[i / 4096] + i % 4096.
 */
struct hvp_page_list {
	hvp_u32 length;     /* bytes in the buffer */
	hvp_u32 page_count; /* = ceil(length / 4096) */
	hvp_u64 pages[];    /* 4 KiB-aligned guest-physical addresses */
};

#define HVP_PAGE_LIST_MAX_PAGES                                                \
	((HVP_PAGE_SIZE - sizeof(struct hvp_page_list)) / sizeof(hvp_u64))

/* ------------------------------------------------------------------ */
/* Bundle format v2 (docs/bundle-format.md)                           */
/* ------------------------------------------------------------------ */

#define HVP_BUNDLE_MAGIC "HVPBNDL1"
#define HVP_BUNDLE_MAGIC_LEN 8
#define HVP_BUNDLE_VERSION 2

#define HVP_KEY_ID_LEN 32     /* SHA-256 of the DER SubjectPublicKeyInfo */
#define HVP_BUILD_ID_MAX 32   /* GNU build-id (20 bytes for SHA-1 ids) */
#define HVP_SHA256_LEN 32
#define HVP_TRAMPOLINE_LEN 5  /* E9 rel32: jmp to the replacement */
#define HVP_PREIMAGE_MAX 16

/* Limits the hypervisor enforces; a bundle past any of them is refused. */
#define HVP_MAX_BUNDLE_SIZE (256u * 1024u)
#define HVP_MAX_REPLACEMENTS 64u
#define HVP_MAX_RELOCS 4096u
#define HVP_MAX_NAME_LEN 128u
#define HVP_MAX_DESCRIPTION_LEN 256u
#define HVP_MAX_CODE_LEN (64u * 1024u)
#define HVP_MAX_FUNCTION_SIZE (64u * 1024u)
#define HVP_MAX_FIELDS 1024u         /* run-time fields per old function */
#define HVP_FIELD_MAX_LEN 16u        /* bytes of one ONE_OF field */
#define HVP_FIELD_MAX_ENCODINGS 16u  /* encodings of one ONE_OF field */
/* A relocation's addend reaches at most this far from its symbol: a field
 * of a kernel object, or the tail of a PC-relative instruction. */
#define HVP_MAX_RELOC_ADDEND (64 * 1024)

struct hvp_bundle_header {
	hvp_u8 magic[HVP_BUNDLE_MAGIC_LEN]; /* HVP_BUNDLE_MAGIC */
	hvp_u16 format_version;             /* HVP_BUNDLE_VERSION */
	hvp_u16 header_size;                /* sizeof(struct hvp_bundle_header) */
	hvp_u32 flags;                      /* none defined: must be 0 */
	hvp_u64 sequence;                   /* anti-rollback, strictly rising */
	hvp_u8 key_id[HVP_KEY_ID_LEN];
	hvp_u8 build_id[HVP_BUILD_ID_MAX];  /* zero-padded past build_id_len */
	hvp_u32 build_id_len;               /* 1..HVP_BUILD_ID_MAX */
	hvp_u32 replacement_count;          /* 1..HVP_MAX_REPLACEMENTS */
	hvp_u32 relocation_count;           /* 0..HVP_MAX_RELOCS */
	hvp_u32 data_size;                  /* bytes in the data area */
	hvp_u32 signed_size;                /* offset of the signature block */
	hvp_u32 description_offset;         /* into the data area */
	hvp_u32 description_len;            /* 0..HVP_MAX_DESCRIPTION_LEN */
	hvp_u8 reserved[12];                /* must be 0 */
};

/* Where signed_size sits, for tools that cut the bundle with dd/head. */
#define HVP_BUNDLE_SIGNED_SIZE_OFFSET 104

struct hvp_replacement {
	hvp_u32 name_offset;       /* symbol name, into the data area */
	hvp_u32 name_len;          /* 1..HVP_MAX_NAME_LEN, no NUL */
	hvp_u64 function_offset;   /* old function, from the kernel text base */
	hvp_u32 function_size;     /* bytes covered by function_sha256 */
	hvp_u32 site_offset;       /* patch site from function start */
	hvp_u8 function_sha256[HVP_SHA256_LEN];
	hvp_u8 preimage[HVP_PREIMAGE_MAX]; /* expected bytes at the site */
	hvp_u32 preimage_len;      /* v1: exactly HVP_TRAMPOLINE_LEN */
	hvp_u32 code_offset;       /* replacement code, into the data area */
	hvp_u32 code_len;          /* 1..HVP_MAX_CODE_LEN */
	hvp_u32 entry_offset;      /* the new function, within the code */
	hvp_u32 reloc_first;       /* this replacement's relocations: */
	hvp_u32 reloc_count;       /* [reloc_first, reloc_first + count) */
	hvp_u32 field_offset;      /* struct hvp_field[], into the data area */
	hvp_u32 field_count;       /* 0..HVP_MAX_FIELDS */
};

/*
 * A field of the old function that the kernel changes at run time
 * (docs/bundle-format.md, "Fields").  function_sha256 covers the function
 * as built with every field's bytes zeroed; each field is checked on its
 * own against what it may hold on this boot.
 */
enum hvp_field_kind {
	HVP_FIELD_SLIDE = 1,  /* KASLR-relocated: length 4 or 8, holds
			       * text base + value (truncated) */
	HVP_FIELD_ONE_OF = 2, /* holds one of encoding_count encodings of
			       * length bytes (static keys, fentry, LOCK
			       * prefixes, return thunks, retpolines) */
	HVP_FIELD_SLIDE_NEG = 3 /* a text-relative reference to a per-CPU
				 * variable: length 4, holds value minus the
				 * kernel text base (truncated) */
};

struct hvp_field {
	hvp_u32 offset;           /* from the function's first byte */
	hvp_u8 kind;              /* enum hvp_field_kind */
	hvp_u8 length;            /* bytes */
	hvp_u8 encoding_count;    /* ONE_OF: 1..HVP_FIELD_MAX_ENCODINGS */
	hvp_u8 reserved;          /* 0 */
	hvp_u32 encodings_offset; /* ONE_OF: count * length bytes, data area */
	hvp_u32 reserved2;        /* 0 */
	hvp_s64 value;            /* SLIDE, SLIDE_NEG: see the kinds */
};

enum hvp_reloc_type {
	HVP_RELOC_PC32 = 1,  /* 32-bit signed S + A - P (also PLT32) */
	HVP_RELOC_ABS64 = 2, /* 64-bit S + A */
	HVP_RELOC_ABS32S = 3 /* 32-bit sign-extended S + A (-mcmodel=kernel) */
};

enum hvp_reloc_target {
	HVP_RELOC_TARGET_KERNEL = 1,  /* symbol = offset from kernel text base */
	HVP_RELOC_TARGET_SELF = 2,    /* symbol = offset in this code blob */
	HVP_RELOC_TARGET_ABSOLUTE = 3 /* symbol = the value itself, no slide:
				       * a per-CPU (%gs) offset or an absolute
				       * symbol */
};

struct hvp_reloc {
	hvp_u32 offset;        /* patched field, within the code blob */
	hvp_u16 type;          /* enum hvp_reloc_type */
	hvp_u16 target;        /* enum hvp_reloc_target */
	hvp_s64 symbol_offset; /* meaning depends on target */
	hvp_s64 addend;
};

#define HVP_SIGNATURE_MAGIC "SIG1"
#define HVP_SIG_ECDSA_P256_SHA256 1
#define HVP_SIG_DER_MAX 72

/* Follows the signed part; the bundle ends with the DER signature. */
struct hvp_bundle_signature {
	hvp_u8 magic[4];   /* HVP_SIGNATURE_MAGIC */
	hvp_u16 algorithm; /* HVP_SIG_ECDSA_P256_SHA256 */
	hvp_u16 der_len;   /* 8..HVP_SIG_DER_MAX */
	/* hvp_u8 der[der_len]; */
};

/* ------------------------------------------------------------------ */
/* Hypercall results                                                  */
/* ------------------------------------------------------------------ */

/* The hypervisor's answer to HVP_HC_STATUS. */
#define HVP_STATUS_LOCKED (1u << 0)
/* Mode-based execute control for EPT is in force: after lock the kernel
 * runs only code approved at lock.  Clear: new kernel code can still run. */
#define HVP_STATUS_MBEC (1u << 1)
/* kernel_exec = any: with MBEC, a kernel fetch from a page not approved
 * at lock is allowed (and logged) instead of refused. */
#define HVP_STATUS_KERNEL_EXEC_ANY (1u << 2)
struct hvp_status_info {
	hvp_u32 abi_version;
	hvp_u32 flags;             /* HVP_STATUS_* */
	hvp_u32 cpu_count;
	hvp_u32 key_count;
	hvp_u32 applied_count;
	hvp_u32 build_id_len;
	hvp_u8 build_id[HVP_BUILD_ID_MAX];
	hvp_u64 reserved_base;     /* the hypervisor's own memory */
	hvp_u64 reserved_size;
	hvp_u64 region_gva[3];     /* text, rodata, arena */
	hvp_u64 region_size[3];
	hvp_u64 arena_used;
	hvp_u64 applies, reverts, refusals, blocked_writes;
	hvp_u64 last_hold_cycles;  /* vCPUs held by the last apply/revert */
};

struct hvp_patch_info {
	hvp_u32 id;
	hvp_u32 site_count;
	hvp_u64 sequence;
	hvp_u64 arena_gva;
	hvp_u8 key_id[HVP_KEY_ID_LEN];
};
#define HVP_PATCH_INFO_MAX 32u

/* A slot per status code in the counters (HVP_STATUS_COUNT fits). */
#define HVP_REFUSAL_SLOTS 32u

/* HVP_HC_COUNTERS: refusals by status, and VM exits by reason, summed
 * over the vCPUs. */
#define HVP_EXIT_REASONS 80u
struct hvp_counters {
	hvp_u64 refusals[HVP_REFUSAL_SLOTS];   /* indexed by enum hvp_status */
	hvp_u64 exits[HVP_EXIT_REASONS];
	hvp_u64 blocked_writes;
	hvp_u64 blocked_cr_writes;
	hvp_u64 jump_label_writes; /* static-key switch steps performed */
	/* Dropped events, so that a reader of the audit log or of the
	 * hypervisor's log learns how many it cannot see, and of which kind.
	 * Refusals anyone can provoke at will (a ring-3 VMCALL, an unknown
	 * call, a bad answer page) are logged and audited only at the first
	 * 8 of a kind and then at each power of two: */
	hvp_u64 unrecorded[HVP_REFUSAL_SLOTS]; /* counted only, by enum hvp_status */
	hvp_u64 audit_overwritten; /* other events pushed out of the ring */
	hvp_u64 audit_floodable_overwritten; /* such refusals pushed out of
					      * their own ring */
	hvp_u64 blocked_control_writes; /* changes of pinned IDTR, GDTR,
					 * MSRs, breakpoints refused */
	hvp_u64 jump_label_int3;   /* INT3s at switching static-key sites,
				    * run by the hypervisor */
	/* With MBEC, after lock: kernel fetches from pages not approved at
	 * lock that were refused (kernel_exec = approved), and the pages
	 * such fetches were allowed from (kernel_exec = any). */
	hvp_u64 blocked_execs;
	hvp_u64 new_kernel_code;
};

/* ------------------------------------------------------------------ */
/* Audit log (HVP_HC_AUDIT_READ)                                      */
/* ------------------------------------------------------------------ */

enum hvp_audit_type {
	HVP_AUDIT_REGISTER = 1, /* a range registered (detail: region kind) */
	HVP_AUDIT_LOCK = 2,     /* protection locked (detail: pages locked) */
	HVP_AUDIT_APPLY = 3,    /* patch applied (detail: replacements) */
	HVP_AUDIT_REVERT = 4,   /* patch reverted */
	HVP_AUDIT_REFUSAL = 5,  /* a call refused (status says why) */
	HVP_AUDIT_BLOCKED_WRITE = 6, /* guest write to protected memory */
	/* a page-table write or CR3 load that would change how protected
	 * memory is mapped (sequence: the GPA; status says why) */
	HVP_AUDIT_BLOCKED_MAPPING = 7,
	HVP_AUDIT_BLOCKED_CONTROL = 8, /* a change of state pinned at lock
					* (detail: enum hvp_pinned; sequence:
					* the MSR, or the address asked for) */
	/* With MBEC, after lock, a kernel fetch from a page not approved at
	 * lock (sequence: the GPA; detail: the CPL): refused under
	 * kernel_exec = approved, ... */
	HVP_AUDIT_BLOCKED_EXEC = 9,
	/* ... allowed under kernel_exec = any, for the whole EPT page
	 * (detail: its size in KiB) */
	HVP_AUDIT_NEW_KERNEL_CODE = 10
};

/* The detail of a HVP_AUDIT_BLOCKED_WRITE: the region written, or this
 * for kernel code approved at lock outside them (module text, start-up
 * code; only with MBEC). */
#define HVP_BLOCKED_WRITE_APPROVED_CODE 3u

/* Control state pinned at lock, per vCPU: what a refused change aimed at. */
enum hvp_pinned {
	HVP_PINNED_IDTR = 1,
	HVP_PINNED_GDTR = 2,
	HVP_PINNED_MSR = 3,        /* LSTAR, CSTAR, STAR, SYSENTER_*, EFER.NXE */
	HVP_PINNED_BREAKPOINT = 4, /* an execute breakpoint on protected memory */
};

struct hvp_audit_event {
	hvp_u64 serial;    /* 1, 2, 3 ... across the boot */
	hvp_u64 timestamp; /* TSC */
	hvp_u64 sequence;  /* bundle sequence, or the faulting GPA */
	hvp_u16 type;      /* enum hvp_audit_type */
	hvp_u16 status;    /* enum hvp_status */
	hvp_u32 patch_id;
	hvp_u32 detail;
	hvp_u32 reserved;
};

/* ------------------------------------------------------------------ */
/* The hypervisor's own log (HVP_HC_LOG_READ)                         */
/* ------------------------------------------------------------------ */

/* The text the hypervisor printed on COM1 (boot log, exits it reports,
 * refusals), kept in a ring.  Offsets count every byte logged since boot,
 * so a reader asks for "from offset N" and sees in `start` whether the
 * ring had already dropped some of it (start > N). */
struct hvp_log_page {
	hvp_u64 start;   /* offset of text[0] */
	hvp_u64 written; /* bytes logged since boot */
	char text[HVP_PAGE_SIZE - 16]; /* RBX bytes of it are valid */
};

#define HVP_ABI_ASSERT_SIZE(type, size)                                        \
	_Static_assert(sizeof(type) == (size), #type " layout changed")

/* Every status has its refusal counter (struct hvp_counters). */
_Static_assert(HVP_STATUS_COUNT <= HVP_REFUSAL_SLOTS, "hvp_counters.refusals is full");
HVP_ABI_ASSERT_SIZE(struct hvp_page_list, 8);
HVP_ABI_ASSERT_SIZE(struct hvp_status_info, 168);
HVP_ABI_ASSERT_SIZE(struct hvp_patch_info, 56);
HVP_ABI_ASSERT_SIZE(struct hvp_counters, 1224);
HVP_ABI_ASSERT_SIZE(struct hvp_bundle_header, 128);
HVP_ABI_ASSERT_SIZE(struct hvp_replacement, 104);
HVP_ABI_ASSERT_SIZE(struct hvp_field, 24);
HVP_ABI_ASSERT_SIZE(struct hvp_reloc, 24);
HVP_ABI_ASSERT_SIZE(struct hvp_bundle_signature, 8);
HVP_ABI_ASSERT_SIZE(struct hvp_audit_event, 40);
HVP_ABI_ASSERT_SIZE(struct hvp_log_page, HVP_PAGE_SIZE);
_Static_assert(__builtin_offsetof(struct hvp_bundle_header, signed_size) ==
		       HVP_BUNDLE_SIGNED_SIZE_OFFSET,
	       "signed_size offset is part of the documented format");

#endif /* HVPATCH_ABI_H */
