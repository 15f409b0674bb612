# gnu-efi application rules, shared by the loader and the test bed's EFI
# programs.  Included from efi-loader/build.mk, which the Makefile reads
# before the fragments that use it.
#
#   $(call efi_app,NAME,SOURCES,EXTRA_OBJECTS)
# builds $(BUILD)/efi/NAME.efi from C and assembly sources (and extra objects, such as
# the hypervisor image) with gnu-efi's crt0 and linker script.

EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector -fpic \
	-fshort-wchar -mno-red-zone -maccumulate-outgoing-args \
	-fno-strict-aliasing -Wall -Wextra -Wno-unused-parameter \
	-Wno-pointer-sign -DEFI_FUNCTION_WRAPPER -DGNU_EFI_USE_MS_ABI \
	-I$(EFI_INC) -I$(EFI_INC)/x86_64 -I$(TOP)/include -I$(TOP)/hypervisor
EFI_LDFLAGS := -nostdlib -znocombreloc -T $(EFI_LIB)/elf_x86_64_efi.lds \
	-shared -Bsymbolic -L$(EFI_LIB) $(EFI_LIB)/crt0-efi-x86_64.o
EFI_LIBS := -lefi -lgnuefi
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	-j .rela -j .rel.* -j .rela.* -j .reloc

$(BUILD)/efi/obj/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/efi/obj/%.o: %.S
	@mkdir -p $(@D)
	$(HOST_CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

define efi_app
$(BUILD)/efi/$(1).so: $(addprefix $(BUILD)/efi/obj/,$(addsuffix .o,$(basename $(2)))) $(3)
	ld $$(EFI_LDFLAGS) $$^ -o $$@ $$(EFI_LIBS)
$(BUILD)/efi/$(1).efi: $(BUILD)/efi/$(1).so
	objcopy $$(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $$< $$@
-include $(addprefix $(BUILD)/efi/obj/,$(addsuffix .d,$(basename $(2))))
endef
