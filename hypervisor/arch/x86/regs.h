/* SPDX-License-Identifier: MIT */
/*
 * Architectural register bits that hvpatch reads or sets, defined once:
 * SDM Vol. 3A, 2.5, control registers; 2.2.1, IA32_EFER; Vol. 1, 3.4.3,
 * EFLAGS; Vol. 3C, 25.4.1, guest segment access rights in the VMCS.
 */
#ifndef HVPATCH_X86_REGS_H
#define HVPATCH_X86_REGS_H

#define CR0_PE (1ull << 0)
#define CR0_WP (1ull << 16)
#define CR0_PG (1ull << 31)

/* MOV to CR3 with CR4.PCIDE: keep the PCID's TLB entries (SDM Vol. 3A,
 * 4.10.4.1); never written to CR3 itself. */
#define CR3_PCID_NOFLUSH (1ull << 63)

#define CR4_VMXE (1ull << 13)
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

/* DR7 (SDM Vol. 3B, 18.2.4): L and G enable bits of breakpoint n, its
 * R/W field (00: instruction execution), and the bits that must be 0. */
#define DR7_ENABLED(n) (3ull << (2 * (n)))
#define DR7_RW(dr7, n) (((dr7) >> (16 + 4 * (n))) & 3)
#define DR7_RW_EXECUTE 0
#define DR_HIGH_RESERVED 0xffffffff00000000ull

#define RFLAGS_DF (1ull << 10)

#define SEG_AR_DPL(ar) (((ar) >> 5) & 3)
#define SEG_AR_LONG_MODE (1u << 13)

#endif /* HVPATCH_X86_REGS_H */
