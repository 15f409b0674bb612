# tests/fuzz: libFuzzer targets for the bundle path and for static-key
# switches after lock (clang, ASan + UBSan).
#   make fuzz             each target for FUZZ_SECONDS (default 600)
#   make test-fuzz        each target for 20 to 35 s, in `make test`

FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(TOP)/include -I$(TOP)/hypervisor \
	-I$(TOP)/crypto -Itests/unit -Itools/hvpatch
FUZZ_SRCS := $(ENGINE_TEST_SRCS)
FUZZ_DEPS := tests/fuzz/fuzz_bundle.c $(FUZZ_SRCS) $(HOST_CRYPTO_LIB) \
	$(wildcard hypervisor/*/*.h tests/unit/*.h tests/unit/sim/*.h) \
	include/hvpatch/abi.h
FUZZ_LDLIBS := $(HOST_CRYPTO_LIB) -lmbedtls -lmbedx509 -lmbedcrypto
FUZZ_DIR := $(BUILD)/fuzz

$(FUZZ_DIR)/fuzz_bundle: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_bundle.c $(FUZZ_SRCS) $(FUZZ_LDLIBS)
$(FUZZ_DIR)/fuzz_bundle_signed: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_RESIGN -o $@ tests/fuzz/fuzz_bundle.c $(FUZZ_SRCS) $(FUZZ_LDLIBS)
$(FUZZ_DIR)/fuzz_jump_label: tests/fuzz/fuzz_jump_label.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRCS) $(FUZZ_LDLIBS)
$(FUZZ_DIR)/make_seeds: tests/fuzz/make_seeds.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Itests/unit -Itools/hvpatch -o $@ $< $(FUZZ_SRCS) $(FUZZ_LDLIBS)
$(FUZZ_DIR)/seeds/.made: $(FUZZ_DIR)/make_seeds
	@mkdir -p $(@D) $(FUZZ_DIR)/jump-seeds
	$< $(@D) $(FUZZ_DIR)/jump-seeds && touch $@

FUZZ_TARGETS := fuzz_bundle fuzz_bundle_signed fuzz_jump_label
FUZZ_SECONDS ?= 600
FUZZ_BINARIES := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%) $(FUZZ_DIR)/seeds/.made

# run_fuzzer TARGET SECONDS: a fresh corpus from the seeds each time, so
# runs are comparable; prints execs/s and the total from libFuzzer's log.
define run_fuzzer
	bash tests/fuzz/run.sh $(FUZZ_DIR)/$(1) \
		$(FUZZ_DIR)/$(if $(filter fuzz_jump_label,$(1)),jump-seeds,seeds) \
		$(FUZZ_DIR)/$(1).work $(2)
endef

.PHONY: fuzz test-fuzz
fuzz: $(FUZZ_BINARIES)
	$(foreach t,$(FUZZ_TARGETS),$(call run_fuzzer,$(t),$(FUZZ_SECONDS)) &&) true
test-fuzz: $(FUZZ_BINARIES)
	$(call run_fuzzer,fuzz_bundle,35) && $(call run_fuzzer,fuzz_bundle_signed,25) && \
		$(call run_fuzzer,fuzz_jump_label,20)
TEST_TARGETS += test-fuzz
