/* SPDX-License-Identifier: MIT */
/*
 * VMCS field encodings (SDM Vol. 3D, appendix B), the control bits
 * hvpatch uses (SDM Vol. 3C, 25.6-25.8) and the basic exit reasons
 * (appendix C).
 */
#ifndef HVPATCH_X86_VMCS_H
#define HVPATCH_X86_VMCS_H

/* Segment registers in VMCS order; field = base + 2 * index. */
enum vmcs_segment { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR,
		    SEG_TR, SEG_COUNT };
#define GUEST_SEG_SELECTOR(s) (0x0800u + 2u * (s))
#define GUEST_SEG_LIMIT(s) (0x4800u + 2u * (s))
#define GUEST_SEG_AR(s) (0x4814u + 2u * (s))
#define GUEST_SEG_BASE(s) (0x6806u + 2u * (s))
#define HOST_SEG_SELECTOR(s) (0x0c00u + 2u * (s)) /* ES..GS; TR is 0x0c0c */

enum vmcs_field {
	VIRTUAL_PROCESSOR_ID = 0x0000,
	HOST_TR_SELECTOR = 0x0c0c,
	IO_BITMAP_A = 0x2000,
	IO_BITMAP_B = 0x2002,
	MSR_BITMAP = 0x2004,
	EPT_POINTER = 0x201a,
	GUEST_PHYSICAL_ADDRESS = 0x2400,
	VMCS_LINK_POINTER = 0x2800,
	GUEST_IA32_DEBUGCTL = 0x2802,
	GUEST_IA32_PAT = 0x2804,
	GUEST_IA32_EFER = 0x2806,
	HOST_IA32_PAT = 0x2c00,
	HOST_IA32_EFER = 0x2c02,
	PIN_BASED_CONTROLS = 0x4000,
	PROC_BASED_CONTROLS = 0x4002,
	EXCEPTION_BITMAP = 0x4004,
	CR3_TARGET_COUNT = 0x400a,
	EXIT_CONTROLS = 0x400c,
	EXIT_MSR_STORE_COUNT = 0x400e,
	EXIT_MSR_LOAD_COUNT = 0x4010,
	ENTRY_CONTROLS = 0x4012,
	ENTRY_MSR_LOAD_COUNT = 0x4014,
	ENTRY_INTERRUPTION_INFO = 0x4016,
	ENTRY_EXCEPTION_ERROR_CODE = 0x4018,
	ENTRY_INSTRUCTION_LENGTH = 0x401a,
	PROC_BASED_CONTROLS2 = 0x401e,
	VM_INSTRUCTION_ERROR = 0x4400,
	EXIT_REASON = 0x4402,
	EXIT_INTERRUPTION_INFO = 0x4404,
	EXIT_INTERRUPTION_ERROR_CODE = 0x4406,
	IDT_VECTORING_INFO = 0x4408,
	IDT_VECTORING_ERROR_CODE = 0x440a,
	EXIT_INSTRUCTION_LENGTH = 0x440c,
	EXIT_INSTRUCTION_INFO = 0x440e,
	GUEST_GDTR_LIMIT = 0x4810,
	GUEST_IDTR_LIMIT = 0x4812,
	GUEST_INTERRUPTIBILITY = 0x4824,
	GUEST_ACTIVITY_STATE = 0x4826,
	GUEST_IA32_SYSENTER_CS = 0x482a,
	HOST_IA32_SYSENTER_CS = 0x4c00,
	CR0_GUEST_HOST_MASK = 0x6000,
	CR4_GUEST_HOST_MASK = 0x6002,
	CR0_READ_SHADOW = 0x6004,
	CR4_READ_SHADOW = 0x6006,
	EXIT_QUALIFICATION = 0x6400,
	GUEST_LINEAR_ADDRESS = 0x640a,
	GUEST_CR0 = 0x6800,
	GUEST_CR3 = 0x6802,
	GUEST_CR4 = 0x6804,
	GUEST_GDTR_BASE = 0x6816,
	GUEST_IDTR_BASE = 0x6818,
	GUEST_DR7 = 0x681a,
	GUEST_RSP = 0x681c,
	GUEST_RIP = 0x681e,
	GUEST_RFLAGS = 0x6820,
	GUEST_PENDING_DEBUG_EXCEPTIONS = 0x6822,
	GUEST_IA32_SYSENTER_ESP = 0x6824,
	GUEST_IA32_SYSENTER_EIP = 0x6826,
	HOST_CR0 = 0x6c00,
	HOST_CR3 = 0x6c02,
	HOST_CR4 = 0x6c04,
	HOST_FS_BASE = 0x6c06,
	HOST_GS_BASE = 0x6c08,
	HOST_TR_BASE = 0x6c0a,
	HOST_GDTR_BASE = 0x6c0c,
	HOST_IDTR_BASE = 0x6c0e,
	HOST_IA32_SYSENTER_ESP = 0x6c10,
	HOST_IA32_SYSENTER_EIP = 0x6c12,
	HOST_RSP = 0x6c14,
	HOST_RIP = 0x6c16,
};

/* Pin-based controls (25.6.1). */
#define PIN_NMI_EXITING (1u << 3)
#define PIN_VIRTUAL_NMIS (1u << 5)
/* Primary processor-based controls (25.6.2). */
#define PROC_USE_IO_BITMAPS (1u << 25)
#define PROC_USE_MSR_BITMAPS (1u << 28)
#define PROC_ACTIVATE_SECONDARY (1u << 31)
#define PROC_NMI_WINDOW_EXITING (1u << 22)
#define PROC_CR3_LOAD_EXITING (1u << 15)
#define PROC_MOV_DR_EXITING (1u << 23)
/* VM-exit controls (25.7.1). */
#define EXIT_SAVE_DEBUG_CONTROLS (1u << 2)
#define EXIT_HOST_ADDRESS_SPACE_SIZE (1u << 9)
#define EXIT_SAVE_IA32_PAT (1u << 18)
#define EXIT_LOAD_IA32_PAT (1u << 19)
#define EXIT_SAVE_IA32_EFER (1u << 20)
#define EXIT_LOAD_IA32_EFER (1u << 21)
/* VM-entry controls (25.8.1). */
#define ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define ENTRY_IA32E_MODE_GUEST (1u << 9)
#define ENTRY_LOAD_IA32_PAT (1u << 14)
#define ENTRY_LOAD_IA32_EFER (1u << 15)

/* Guest activity states (25.4.2). */
#define ACTIVITY_ACTIVE 0
#define ACTIVITY_HLT 1
#define ACTIVITY_WAIT_FOR_SIPI 3

/* Interruption information (25.8.3, 25.9.2). */
#define INTR_INFO_VALID (1u << 31)
#define INTR_INFO_DELIVER_ERROR_CODE (1u << 11)
#define INTR_TYPE_EXTERNAL (0u << 8)
#define INTR_TYPE_NMI (2u << 8)
#define INTR_TYPE_HARDWARE_EXCEPTION (3u << 8)
#define INTR_TYPE_SOFTWARE_EXCEPTION (6u << 8) /* INT3, INTO */
#define INTR_INFO_VECTOR(info) ((info) & 0xff)
#define INTR_TYPE_MASK (7u << 8)
#define VECTOR_BP 3
#define VECTOR_UD 6
#define VECTOR_NP 11
#define VECTOR_GP 13
#define VECTOR_NMI 2
/* Bit 12 of the exit-interruption and IDT-vectoring information: "NMI
 * unblocking due to IRET" on exit, undefined in IDT vectoring and
 * reserved on entry, so it is cleared before an event is re-injected
 * (28.2.2, 28.2.4). */
#define INTR_INFO_NMI_UNBLOCKING (1u << 12)
/* Interruptibility state (25.4.2, table 25-3). */
#define INTERRUPTIBILITY_BLOCKING_BY_STI (1u << 0)
#define INTERRUPTIBILITY_BLOCKING_BY_MOV_SS (1u << 1)
#define INTERRUPTIBILITY_BLOCKING_BY_NMI (1u << 3)
/* The blocking an emulated instruction ends, as executing it would. */
#define INTERRUPTIBILITY_BLOCKING_BY_INSTRUCTION \
	(INTERRUPTIBILITY_BLOCKING_BY_STI | INTERRUPTIBILITY_BLOCKING_BY_MOV_SS)

/* Exit qualification for control-register accesses (28.2.1, table 28-3). */
#define CR_QUAL_NUMBER(q) ((unsigned int)(q) & 0xf)
#define CR_QUAL_ACCESS_TYPE(q) (((unsigned int)(q) >> 4) & 3)
#define CR_QUAL_GPR(q) (((unsigned int)(q) >> 8) & 0xf)
#define CR_ACCESS_MOV_TO_CR 0
#define CR_ACCESS_MOV_FROM_CR 1
#define CR_ACCESS_CLTS 2
#define CR_ACCESS_LMSW 3

/* Exit qualification for I/O instructions (28.2.1, table 28-5). */
#define IO_QUAL_SIZE(q) (((unsigned int)(q) & 7) + 1)
#define IO_QUAL_IN (1u << 3)
#define IO_QUAL_STRING (1u << 4)
#define IO_QUAL_PORT(q) ((unsigned int)((q) >> 16) & 0xffff)

/* Exit qualification for SIPI: the vector (28.2.1). */
#define SIPI_QUAL_VECTOR(q) ((uint8_t)(q))

/* Exit qualification for EPT violations (28.2.1, table 28-7). */
#define EPT_QUAL_READ (1u << 0)
#define EPT_QUAL_WRITE (1u << 1)
#define EPT_QUAL_FETCH (1u << 2)
/* Bits 5 and 6: what the EPT entries allowed (the AND over the walk).
 * With mode-based execute control bit 5 is supervisor-mode execute and
 * bit 6 user-mode execute; without it bit 5 is execute and bit 6 is
 * undefined. */
#define EPT_QUAL_EXECUTABLE (1u << 5)
#define EPT_QUAL_USER_EXECUTABLE (1u << 6)
/* Bit 7: the guest-linear address is valid; bit 8 then tells an access
 * to the translated address (set) from one to a paging-structure entry
 * during the walk (clear). */
#define EPT_QUAL_GLA_VALID (1u << 7)
#define EPT_QUAL_TRANSLATED (1u << 8)

/* Basic exit reasons (appendix C). */
enum exit_reason {
	EXIT_EXCEPTION_OR_NMI = 0,
	EXIT_EXTERNAL_INTERRUPT = 1,
	EXIT_TRIPLE_FAULT = 2,
	EXIT_INIT = 3,
	EXIT_SIPI = 4,
	EXIT_NMI_WINDOW = 8,
	EXIT_CPUID = 10,
	EXIT_GETSEC = 11,
	EXIT_HLT = 12,
	EXIT_INVD = 13,
	EXIT_VMCALL = 18,
	EXIT_VMCLEAR = 19,
	EXIT_VMLAUNCH = 20,
	EXIT_VMPTRLD = 21,
	EXIT_VMPTRST = 22,
	EXIT_VMREAD = 23,
	EXIT_VMRESUME = 24,
	EXIT_VMWRITE = 25,
	EXIT_VMXOFF = 26,
	EXIT_VMXON = 27,
	EXIT_CR_ACCESS = 28,
	EXIT_MOV_DR = 29,
	EXIT_IO = 30,
	EXIT_RDMSR = 31,
	EXIT_WRMSR = 32,
	EXIT_ENTRY_FAIL_GUEST_STATE = 33,
	EXIT_ENTRY_FAIL_MSR_LOADING = 34,
	EXIT_ENTRY_FAIL_MACHINE_CHECK = 41,
	EXIT_GDTR_IDTR = 46,
	EXIT_LDTR_TR = 47,
	EXIT_EPT_VIOLATION = 48,
	EXIT_EPT_MISCONFIG = 49,
	EXIT_INVEPT = 50,
	EXIT_INVVPID = 53,
	EXIT_XSETBV = 55,
	EXIT_VMFUNC = 59,
	EXIT_REASON_COUNT = 80,
};
/* The exit-reason field: the basic reason in bits 15:0, bit 31 set when
 * VM entry failed (25.9.1, table 25-18). */
#define EXIT_REASON_BASIC(reason) ((reason) & 0xffffu)
#define EXIT_REASON_ENTRY_FAILURE (1u << 31)

#endif /* HVPATCH_X86_VMCS_H */
