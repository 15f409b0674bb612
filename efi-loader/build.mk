# efi-loader/: hvpatch.efi, the gnu-efi loader that carries the hypervisor.
include efi-loader/efi.mk

LOADER_SRCS := efi-loader/main.c efi-loader/config.c efi-loader/cpus.c \
	efi-loader/elf_image.c efi-loader/firmware.c efi-loader/loader_log.c \
	efi-loader/pem.c efi-loader/reserve.c efi-loader/launch.S efi-loader/hypervisor_image.S \
	hypervisor/arch/x86/serial.c hypervisor/arch/x86/vmx_caps.c \
	hypervisor/arch/x86/vmx_caps_read.c hypervisor/lib/format.c
HVPATCH_EFI := $(BUILD)/efi/hvpatch.efi

# The image is pulled in with .incbin: rebuild when it changes.
$(BUILD)/efi/obj/efi-loader/hypervisor_image.o: EFI_CFLAGS += \
	-DHVP_IMAGE_PATH='"$(HV_IMAGE)"'
$(BUILD)/efi/obj/efi-loader/hypervisor_image.o: $(HV_IMAGE)
$(eval $(call efi_app,hvpatch,$(LOADER_SRCS)))

ALL_TARGETS += $(HVPATCH_EFI)
