# tests/unit: cmocka suites for the portable core and the patch engine,
# built for the host with ASan and UBSan.

UNIT_CFLAGS := $(HOST_CFLAGS) -Itests/unit -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
SIM_SRCS := tests/unit/sim/sim_memory.c
PATCH_SRCS := $(wildcard hypervisor/patch/*.c)

$(BUILD)/tests/test_ept: tests/unit/test_ept.c $(MM_SRCS) $(SIM_SRCS) \
		$(wildcard hypervisor/mm/*.h tests/unit/sim/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka

$(BUILD)/tests/test_guest_walk: tests/unit/test_guest_walk.c $(MM_SRCS) \
		$(SIM_SRCS) $(wildcard hypervisor/mm/*.h tests/unit/sim/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka

.PHONY: test-ept test-guest-walk
test-ept: $(BUILD)/tests/test_ept
	$<
test-guest-walk: $(BUILD)/tests/test_guest_walk
	$<
TEST_TARGETS += test-ept test-guest-walk

ENGINE_TEST_SRCS := tests/unit/engine_fixture.c $(SIM_SRCS) $(MM_SRCS) \
	$(PATCH_SRCS) hypervisor/lib/sort.c $(TOOL_LIB_SRCS)
ENGINE_TEST_LDLIBS := $(HOST_CRYPTO_LIB) -lmbedtls -lmbedx509 -lmbedcrypto \
	-lcmocka

# The engine against the simulated guest: bundles end to end, the
# static-key switches, the translation pinning after lock and the kernel
# code allowed under mode-based execute control.
$(BUILD)/tests/test_engine $(BUILD)/tests/test_jump_label \
$(BUILD)/tests/test_translation $(BUILD)/tests/test_kernel_exec: \
		$(BUILD)/tests/test_%: \
		tests/unit/test_%.c $(ENGINE_TEST_SRCS) \
		$(wildcard hypervisor/*/*.h tests/unit/*.h tests/unit/sim/*.h) \
		include/hvpatch/abi.h $(HOST_CRYPTO_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -Itools/hvpatch -o $@ $(filter %.c,$^) \
		$(ENGINE_TEST_LDLIBS)

.PHONY: test-engine test-jump-label test-translation test-kernel-exec
test-engine: $(BUILD)/tests/test_engine
	$<
test-jump-label: $(BUILD)/tests/test_jump_label
	$<
test-translation: $(BUILD)/tests/test_translation
	$<
test-kernel-exec: $(BUILD)/tests/test_kernel_exec
	$<
TEST_TARGETS += test-engine test-jump-label test-translation test-kernel-exec

# The hypervisor's other portable parts: mm's MTRR types and MMIO-write
# decoder, the VT-x verdict, lib's formatter and byte ring.
$(BUILD)/tests/test_mm: tests/unit/test_mm.c hypervisor/mm/mtrr.c \
	hypervisor/mm/store_decode.c
$(BUILD)/tests/test_vmx_caps: tests/unit/test_vmx_caps.c hypervisor/arch/x86/vmx_caps.c
$(BUILD)/tests/test_lib: tests/unit/test_lib.c $(HV_LIB_SRCS)
$(BUILD)/tests/test_mm $(BUILD)/tests/test_vmx_caps $(BUILD)/tests/test_lib: \
		$(wildcard hypervisor/*/*.h hypervisor/arch/x86/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -Wno-format -o $@ $(filter %.c,$^) -lcmocka

LOADER_TEST_SRCS := efi-loader/config.c efi-loader/pem.c efi-loader/elf_image.c \
	efi-loader/reserve.c
$(BUILD)/tests/test_loader: tests/unit/test_loader.c $(LOADER_TEST_SRCS) \
		$(wildcard efi-loader/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -Iefi-loader -o $@ $(filter %.c,$^) -lcmocka

.PHONY: test-mm test-vmx-caps test-lib test-loader
test-mm: $(BUILD)/tests/test_mm
	$<
test-vmx-caps: $(BUILD)/tests/test_vmx_caps
	$<
test-lib: $(BUILD)/tests/test_lib
	$<
test-loader: $(BUILD)/tests/test_loader $(HV_IMAGE) $(CRYPTO_TEST_DATA)/.made
	HVP_IMAGE=$(HV_IMAGE) $< $(CRYPTO_TEST_DATA)
TEST_TARGETS += test-mm test-vmx-caps test-lib test-loader
