# tests/bench: `make bench` prints tables.  Timings are reported, never
# judged: no benchmark fails because a machine is slow.

BENCH_DIR := $(BUILD)/bench
BENCH_CFLAGS := $(HOST_CFLAGS) -O2 -Itests/bench -Itests/unit -Itools/hvpatch

$(BENCH_DIR)/bench_crypto_host: tests/bench/bench_crypto.c tests/bench/bench_util.h $(HOST_CRYPTO_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(BENCH_CFLAGS) -o $@ $< $(HOST_CRYPTO_LIB) $(HOST_CRYPTO_LDLIBS)
$(BENCH_DIR)/bench_crypto_freestanding: tests/bench/bench_crypto.c tests/bench/bench_util.h $(FS_CRYPTO_OBJ)
	@mkdir -p $(@D)
	$(HOST_CC) $(BENCH_CFLAGS) -o $@ $< $(FS_CRYPTO_OBJ)
$(BENCH_DIR)/count_crypto: tests/bench/count_crypto.c tests/bench/bench_util.h $(FS_CRYPTO_OBJ)
	@mkdir -p $(@D)
	$(HOST_CC) $(BENCH_CFLAGS) -o $@ $< $(FS_CRYPTO_OBJ)
$(BENCH_DIR)/bench_engine: tests/bench/bench_engine.c tests/bench/bench_util.h $(ENGINE_TEST_SRCS) $(HOST_CRYPTO_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(BENCH_CFLAGS) -o $@ $< $(ENGINE_TEST_SRCS) $(HOST_CRYPTO_LIB) \
		-lmbedtls -lmbedx509 -lmbedcrypto

.PHONY: bench-crypto bench-crypto-count bench-engine
bench-crypto: $(BENCH_DIR)/bench_crypto_host $(BENCH_DIR)/bench_crypto_freestanding $(CRYPTO_TEST_DATA)/.made
	$(BENCH_DIR)/bench_crypto_host host $(CRYPTO_TEST_DATA)
	$(BENCH_DIR)/bench_crypto_freestanding "freestanding (hypervisor)" $(CRYPTO_TEST_DATA)
# Instructions, not time: what the hypervisor's verification costs in
# any emulator or on any core.
bench-crypto-count: $(BENCH_DIR)/count_crypto $(CRYPTO_TEST_DATA)/.made
	bash tests/bench/count-crypto.sh $< $(CRYPTO_TEST_DATA)
bench-engine: $(BENCH_DIR)/bench_engine
	$<
BENCH_TARGETS += bench-crypto bench-crypto-count bench-engine

# --- make bench-guest: the guest side by side ------------------------------
# Three Bochs boots of the test bed's kernel, 2 vCPUs, with the demo's
# bundles (qemu-scripts/demo: sequences 2..21) and key:
#   hvpatch    under hvpatch, locked: apply/revert rounds, per-call cost,
#              exits per workload
#   livepatch  under hvpatch, not locked: the same change as a kernel
#              livepatch (tests/bench/livepatch), same rounds
#   baseline   no hypervisor: the workloads alone, and time to /init
# then tests/bench/guest-report.py prints the tables (docs/performance.md).
# `make test` runs a smoke version (2 rounds, short workloads).
BENCH_GUEST := $(BENCH_DIR)/guest
BENCH_PROBE := $(BENCH_GUEST)/hvp-bench
BENCH_KLP := $(GA_DIR)/hvp_klp_cmdline.ko

$(BENCH_PROBE): tests/bench/guest/hvp-bench.c
	@mkdir -p $(@D)
	$(HOST_CC) -static -O2 -Wall -Wextra -o $@ $<
$(eval $(call ga_kbuild,livepatch,hvp_klp_cmdline,tests/bench/livepatch/hvp_klp_cmdline.c \
	tests/bench/livepatch/Kbuild))

# The same-body patch (tests/bench/patch/cmdline_same.c): three bundles,
# sequences above the demo's, for three apply/revert rounds.
BENCH_SAME_OBJ := $(BENCH_GUEST)/cmdline_same.o
BENCH_SAME_BUNDLES := $(foreach n,40 41 42,$(BENCH_GUEST)/same-seq$(n).hvp)
$(BENCH_SAME_OBJ): tests/bench/patch/cmdline_same.c
	@mkdir -p $(@D)
	$(HOST_CC) $(PATCH_CFLAGS) -c $< -o $@
$(BENCH_GUEST)/same-seq%.hvp: $(HVP_VMLINUX_STAMP) $(DEMO_DIR)/keys/dev.pem $(BENCH_SAME_OBJ) $(HVPATCH_TOOL)
	$(HVPATCH_TOOL) build --object $(BENCH_SAME_OBJ) --symbols $(DEMO_VMLINUX)/System.map \
		--vmlinux $(DEMO_VMLINUX)/vmlinux --description "cmdline_proc_show, same body (benchmark)" \
		--build-id $(DEMO_BUILD_ID) --sequence $* -o $@.unsigned
	$(HVPATCH_TOOL) sign --key $(DEMO_DIR)/keys/dev.pem $@.unsigned -o $@

BENCH_GUEST_FILES := $(BENCH_PROBE) tests/bench/guest/bench.sh $(DEMO_LOAD_BUNDLES) \
	$(BENCH_SAME_BUNDLES) $(GA_MODULE) $(GA_CTL) $(BENCH_KLP)
$(BENCH_GUEST)/initrd.img: $(BENCH_GUEST_FILES) qemu-scripts/make-initramfs.sh \
		qemu-scripts/initramfs/init
	bash qemu-scripts/make-initramfs.sh $@ $(BENCH_GUEST_FILES)

BENCH_ESP = bash qemu-scripts/make-esp.sh --out $@ --flavour bochs --kernel $(HVP_KERNEL) \
	--initrd $< --acpi $(HVP_ACPI_EFI)
BENCH_UNDER_HVPATCH = --loader $(HVPATCH_EFI) --key $(DEMO_DIR)/keys/dev.pub

BENCH_ARGS = hvp.bench=$(1) hvp.bench.rounds=$(2) hvp.bench.quick=$(3)
BENCH_RUN = bash qemu-scripts/run-bochs.sh --name bench-$(notdir $(1)) --esp $(1).img \
	--cpus 2 --timeout $(2) --logdir $(1) --require 'HVP-BENCH done' \
	--fail-on '$(E2E_HV_FATAL)'
BENCH_REPORT = python3 tests/bench/guest-report.py $(foreach b,hvpatch livepatch baseline,\
	$(1)/$(b)/serial.log) | tee $(1)/tables.md

# The full run: three Bochs boots of 20 rounds.
BENCH_FULL := $(BENCH_GUEST)/full
$(BENCH_FULL)/hvpatch.img: $(BENCH_GUEST)/initrd.img $(HVPATCH_EFI) $(HVP_ACPI_EFI)
	$(BENCH_ESP) $(BENCH_UNDER_HVPATCH) -- $(DEMO_CMDLINE) $(call BENCH_ARGS,hvpatch,20,0)
$(BENCH_FULL)/livepatch.img: $(BENCH_GUEST)/initrd.img $(HVPATCH_EFI) $(HVP_ACPI_EFI)
	$(BENCH_ESP) $(BENCH_UNDER_HVPATCH) -- $(DEMO_CMDLINE) hvp.lock=0 \
		$(call BENCH_ARGS,livepatch,20,0)
$(BENCH_FULL)/baseline.img: $(BENCH_GUEST)/initrd.img $(HVP_ACPI_EFI)
	$(BENCH_ESP) --direct -- $(DEMO_CMDLINE) $(call BENCH_ARGS,baseline,20,0)

.PHONY: bench-guest bench-guest-full
bench-guest: deps
	@$(MAKE) --no-print-directory bench-guest-full
bench-guest-full: $(foreach b,hvpatch livepatch baseline,$(BENCH_FULL)/$(b).img)
	$(foreach b,hvpatch livepatch baseline,$(call BENCH_RUN,$(BENCH_FULL)/$(b),1800) &&) true
	$(call BENCH_REPORT,$(BENCH_FULL))

# The smoke run in `make test` checks the machinery, not the figures: the
# locked part in Bochs (2 rounds, short workloads), the livepatch and
# baseline parts with no hypervisor in QEMU (seconds instead of minutes).
# Its tables mix two emulators and mean nothing.
BENCH_SMOKE := $(BENCH_GUEST)/smoke
BENCH_QEMU = bash qemu-scripts/run-qemu.sh --name bench-smoke-$(1) --accel tcg --cpus 2 \
	--timeout 240 --logdir $(BENCH_SMOKE)/$(1) --kernel $(HVP_KERNEL) \
	--initrd $(BENCH_GUEST)/initrd.img --require 'HVP-BENCH done' \
	--append 'console=ttyS0,115200 $(HVP_CMDLINE_COMMON) hvp.cpus=2 $(call BENCH_ARGS,$(1),2,1)'
$(BENCH_SMOKE)/hvpatch.img: $(BENCH_GUEST)/initrd.img $(HVPATCH_EFI) $(HVP_ACPI_EFI)
	$(BENCH_ESP) $(BENCH_UNDER_HVPATCH) -- $(DEMO_CMDLINE) $(call BENCH_ARGS,hvpatch,2,1)

.PHONY: bench-guest-smoke
bench-guest-smoke: $(BENCH_SMOKE)/hvpatch.img $(BENCH_GUEST)/initrd.img
	$(call BENCH_RUN,$(BENCH_SMOKE)/hvpatch,900)
	$(call BENCH_QEMU,livepatch)
	$(call BENCH_QEMU,baseline)
	$(call BENCH_REPORT,$(BENCH_SMOKE))
TEST_TARGETS += bench-guest-smoke
