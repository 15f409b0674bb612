/* SPDX-License-Identifier: MIT */
/* Model-specific registers hvpatch reads or emulates (SDM Vol. 4). */
#ifndef HVPATCH_X86_MSR_H
#define HVPATCH_X86_MSR_H

#include <stdint.h>

#define MSR_IA32_FEATURE_CONTROL 0x03a
#define  FEATURE_CONTROL_LOCKED (1ull << 0)
#define  FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)
#define MSR_IA32_BIOS_SIGN_ID 0x08b
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_DEBUGCTL 0x1d9
#define MSR_IA32_PAT 0x277
#define MSR_IA32_MTRRCAP 0x0fe
#define  MTRRCAP_VCNT(cap) ((uint32_t)(cap) & 0xff) /* variable ranges */
#define  MTRRCAP_FIX (1ull << 8)                    /* fixed ranges exist */
#define MSR_IA32_MTRR_PHYSBASE0 0x200
#define MSR_IA32_MTRR_FIX64K_00000 0x250
#define MSR_IA32_MTRR_FIX16K_80000 0x258
#define MSR_IA32_MTRR_FIX16K_A0000 0x259
#define MSR_IA32_MTRR_FIX4K_C0000 0x268
#define MSR_IA32_MTRR_DEF_TYPE 0x2ff
#define  MTRR_DEF_TYPE_TYPE(def) ((uint8_t)(def)) /* default memory type */
#define  MTRR_DEF_TYPE_FE (1ull << 10)            /* fixed ranges enabled */
#define  MTRR_DEF_TYPE_E (1ull << 11)             /* MTRRs enabled */

#define MSR_IA32_VMX_BASIC 0x480
/* The VMCS revision identifier, bits 30:0 (SDM Vol. 3C, A.1). */
#define  VMX_BASIC_REVISION(basic) ((uint32_t)(basic) & 0x7fffffff)
#define MSR_IA32_VMX_PINBASED_CTLS 0x481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_EXIT_CTLS 0x483
#define MSR_IA32_VMX_ENTRY_CTLS 0x484
#define MSR_IA32_VMX_MISC 0x485
#define MSR_IA32_VMX_CR0_FIXED0 0x486
#define MSR_IA32_VMX_CR0_FIXED1 0x487
#define MSR_IA32_VMX_CR4_FIXED0 0x488
#define MSR_IA32_VMX_CR4_FIXED1 0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS 0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS 0x490
#define MSR_IA32_VMX_VMFUNC 0x491
#define MSR_IA32_VMX_FIRST MSR_IA32_VMX_BASIC
#define MSR_IA32_VMX_LAST 0x492 /* PROCBASED_CTLS3 */

#define MSR_X2APIC_ICR 0x830
#define MSR_IA32_EFER 0xc0000080
#define MSR_IA32_STAR 0xc0000081
#define MSR_IA32_LSTAR 0xc0000082
#define MSR_IA32_CSTAR 0xc0000083
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101

#endif /* HVPATCH_X86_MSR_H */
