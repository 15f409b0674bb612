# hypervisor/: the VMX hypervisor, a freestanding static PIE image that
# hvpatch.efi carries and loads into reserved memory.

# The portable core (no hardware instructions), compiled into the host
# tests as well as into the hypervisor.
CORE_SRCS := hypervisor/core/ept.c hypervisor/core/guest_walk.c \
	hypervisor/core/mtrr.c hypervisor/core/ept_identity.c

HV_DIR := $(BUILD)/hypervisor
HV_ARCH_SRCS := $(wildcard hypervisor/arch/x86/*.c hypervisor/arch/x86/*.S)
HV_CORE_SRCS := $(filter-out $(CORE_SRCS),$(wildcard hypervisor/core/*.c))
HV_SRCS := $(HV_ARCH_SRCS) $(HV_CORE_SRCS) $(CORE_SRCS) \
	$(wildcard hypervisor/patch/*.c) hypervisor/lib/format.c \
	hypervisor/lib/byte_ring.c
HV_OBJS := $(addprefix $(HV_DIR)/obj/,$(addsuffix .o,$(basename $(HV_SRCS))))
# Position-independent so the loader can place it anywhere; no SSE/AVX,
# so VMX root never touches the guest's extended state.
HV_CFLAGS := $(filter-out -fpic -fvisibility=hidden,$(FREESTANDING_CFLAGS)) \
	-fpie -fno-plt -mcmodel=small -g -Wextra -Werror=implicit-function-declaration \
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
