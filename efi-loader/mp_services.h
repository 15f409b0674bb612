/* SPDX-License-Identifier: MIT */
/*
 * EFI_MP_SERVICES_PROTOCOL (UEFI Platform Initialization spec, vol. 2,
 * 13.4), which gnu-efi does not define.  Only the members hvpatch calls
 * are typed; the table's layout is the spec's.
 */
#ifndef HVPATCH_LOADER_MP_SERVICES_H
#define HVPATCH_LOADER_MP_SERVICES_H

#include <efi.h>

#define EFI_MP_SERVICES_PROTOCOL_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

typedef VOID(EFIAPI *EFI_AP_PROCEDURE)(VOID *argument);

typedef struct _EFI_MP_SERVICES_PROTOCOL EFI_MP_SERVICES_PROTOCOL;
struct _EFI_MP_SERVICES_PROTOCOL {
	EFI_STATUS(EFIAPI *GetNumberOfProcessors)(EFI_MP_SERVICES_PROTOCOL *self,
						  UINTN *count, UINTN *enabled);
	VOID *GetProcessorInfo;
	EFI_STATUS(EFIAPI *StartupAllAPs)(EFI_MP_SERVICES_PROTOCOL *self,
					  EFI_AP_PROCEDURE procedure,
					  BOOLEAN single_thread, EFI_EVENT wait_event,
					  UINTN timeout_us, VOID *argument,
					  UINTN **failed_cpus);
	VOID *StartupThisAP;
	VOID *SwitchBSP;
	VOID *EnableDisableAP;
	EFI_STATUS(EFIAPI *WhoAmI)(EFI_MP_SERVICES_PROTOCOL *self, UINTN *number);
};

#endif /* HVPATCH_LOADER_MP_SERVICES_H */
