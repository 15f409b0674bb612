# hypervisor/: the VMX hypervisor, a freestanding static PIE image that
# hvpatch.efi carries and loads into reserved memory.

# The layers, each a folder (README.md, "How it fits together"):
#   mm/        portable memory code: EPT model, guest page walk, MTRR types,
#              store decoder (host-tested, no hardware instructions)
#   patch/     the portable patch engine, behind patch/platform.h
#   lib/       portable helpers (formatter, byte ring, sort)
#   vmx/       runs in VMX root: exit handling, setup, SMP, hypercalls; it
#              reaches the hardware only through arch/x86's accessors
#   arch/x86/  the only place with VMX and CPU instructions
MM_SRCS := $(wildcard hypervisor/mm/*.c)
HV_LIB_SRCS := $(wildcard hypervisor/lib/*.c)

HV_DIR := $(BUILD)/hypervisor
HV_IMAGE := $(HV_DIR)/hvpatch.elf
HV_ARCH_SRCS := $(wildcard hypervisor/arch/x86/*.c hypervisor/arch/x86/*.S)
HV_SRCS := $(HV_ARCH_SRCS) $(wildcard hypervisor/vmx/*.c) $(MM_SRCS) \
	$(wildcard hypervisor/patch/*.c) $(HV_LIB_SRCS)
HV_OBJS := $(addprefix $(HV_DIR)/obj/,$(addsuffix .o,$(basename $(HV_SRCS))))
# Position-independent so the loader can place it anywhere; no SSE/AVX,
# so VMX root never touches the guest's extended state.
HV_CFLAGS := $(filter-out -fpic -fvisibility=hidden,$(FREESTANDING_CFLAGS)) \
	-fpie -fno-plt -mcmodel=small -g -Wextra -Werror=implicit-function-declaration \
	-Werror=missing-prototypes \
	-I$(TOP)/include -I$(TOP)/hypervisor -I$(TOP)/crypto

$(HV_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@
$(HV_DIR)/obj/%.o: %.S
	@mkdir -p $(@D)
	$(HOST_CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@
-include $(HV_OBJS:.o=.d)

# The patch engine verifies signatures with the freestanding mbedtls build.
$(HV_IMAGE): $(HV_OBJS) $(FS_CRYPTO_OBJ)
	ld -pie --no-dynamic-linker -z max-page-size=4096 -z noexecstack \
		-e hvp_setup -o $@ $^
	@! readelf -r $@ | grep -v R_X86_64_RELATIVE | grep -q 'R_X86_64' || \
		{ echo "$@: relocations other than R_X86_64_RELATIVE"; rm -f $@; exit 1; }

ALL_TARGETS += $(HV_IMAGE)
