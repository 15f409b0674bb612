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
	$(PATCH_SRCS) $(TOOL_LIB_SRCS)
ENGINE_TEST_LDLIBS := $(HOST_CRYPTO_LIB) -lmbedtls -lmbedx509 -lmbedcrypto \
	-lcmocka

# The engine against the simulated guest: bundles end to end, and the
# static-key switches after lock.
$(BUILD)/tests/test_engine $(BUILD)/tests/test_jump_label: $(BUILD)/tests/test_%: \
		tests/unit/test_%.c $(ENGINE_TEST_SRCS) \
		$(wildcard hypervisor/*/*.h tests/unit/*.h tests/unit/sim/*.h) \
		include/hvpatch/abi.h $(HOST_CRYPTO_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -Itools/hvpatch -o $@ $(filter %.c,$^) \
		$(ENGINE_TEST_LDLIBS)

.PHONY: test-engine test-jump-label
test-engine: $(BUILD)/tests/test_engine
	$<
test-jump-label: $(BUILD)/tests/test_jump_label
	$<
TEST_TARGETS += test-engine test-jump-label

# The hypervisor's and the loader's portable parts.
HV_CORE_TEST_SRCS := hypervisor/mm/mtrr.c hypervisor/mm/mmio_decode.c \
	hypervisor/arch/x86/vmx_caps.c hypervisor/lib/format.c \
	hypervisor/lib/byte_ring.c
LOADER_TEST_SRCS := efi-loader/config.c efi-loader/pem.c efi-loader/elf_image.c \
	efi-loader/reserve.c

$(BUILD)/tests/test_hv_core: tests/unit/test_hv_core.c $(HV_CORE_TEST_SRCS) \
		$(wildcard hypervisor/*/*.h hypervisor/arch/x86/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -Wno-format -o $@ $(filter %.c,$^) -lcmocka
$(BUILD)/tests/test_loader: tests/unit/test_loader.c $(LOADER_TEST_SRCS) \
		$(wildcard efi-loader/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -Iefi-loader -o $@ $(filter %.c,$^) -lcmocka

.PHONY: test-hv-core test-loader
test-hv-core: $(BUILD)/tests/test_hv_core
	$<
test-loader: $(BUILD)/tests/test_loader $(HV_IMAGE) $(CRYPTO_TEST_DATA)/.made
	HVP_IMAGE=$(HV_IMAGE) $< $(CRYPTO_TEST_DATA)
TEST_TARGETS += test-hv-core test-loader
