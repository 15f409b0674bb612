# hvpatch top-level build.
#
# One non-recursive make: config.mk holds the flags several parts share,
# then every component adds its rules in its own fragment, read in the
# order FRAGMENTS lists, and registers with these lists:
#   ALL_TARGETS    files `make all` builds
#   TEST_TARGETS   phony targets `make test` runs, in order
#   TEST_BESIDE    long ones `make test` runs beside those, in order, and
#   TEST_BESIDE_PREREQS  the files they need, built before either lane
#   BENCH_TARGETS  phony targets `make bench` runs (tables, never timed tests)
#   DEMO_TARGETS   phony targets `make demo` runs
# Outputs go under build/.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

TOP := $(CURDIR)
BUILD := $(TOP)/build

include config.mk

ALL_TARGETS :=
TEST_TARGETS :=
TEST_BESIDE :=
TEST_BESIDE_PREREQS :=
BENCH_TARGETS :=
DEMO_TARGETS :=

# A fragment may use what the ones before it define, never what comes
# after.  What each provides to later ones:
#   crypto                HOST_CRYPTO_LIB, FS_CRYPTO_OBJ
#   hypervisor            HV_IMAGE, MM_SRCS (links FS_CRYPTO_OBJ)
#   efi-loader            HVPATCH_EFI and efi_app (carries HV_IMAGE)
#   tools/hvpatch         HVPATCH_TOOL, TOOL_LIB_SRCS
#   guest-agent           GA_MODULE, GA_CTL, ga_kbuild
#   qemu-scripts          the guest kernel, initramfs and ESP images
#   qemu-scripts/demo     `make demo`
#   tests/crypto          CRYPTO_TEST_DATA
#   tests/unit            ENGINE_TEST_SRCS (the simulated guest)
#   tests/fixtures        FIXTURES, FIXTURE_FILES
#   tests/testbed         hvp-acpi.efi (with efi_app)
#   tests/e2e             the boots, last because they are the slowest
FRAGMENTS := crypto/build.mk hypervisor/build.mk efi-loader/build.mk \
	tools/hvpatch/build.mk guest-agent/build.mk qemu-scripts/build.mk \
	qemu-scripts/demo/build.mk tests/crypto/build.mk tests/unit/build.mk \
	tests/agent/build.mk tests/fixtures/build.mk tests/tools/build.mk \
	tests/fuzz/build.mk tests/bench/build.mk tests/testbed/build.mk \
	tests/e2e/build.mk
ifneq ($(sort $(FRAGMENTS)),$(sort $(wildcard */build.mk */*/build.mk)))
$(error FRAGMENTS and the tree's build.mk files differ: \
	$(filter-out $(FRAGMENTS),$(wildcard */build.mk */*/build.mk)) \
	$(filter-out $(wildcard */build.mk */*/build.mk),$(FRAGMENTS)))
endif
include $(FRAGMENTS)

.PHONY: all test test-suites demo bench tcb clean deps fuzz

deps:
	@bash scripts/deps.sh

all: $(ALL_TARGETS)

# `make test` and `make demo` install what they need first, so that they
# work on a fresh Debian machine; the real work then runs in a sub-make.
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory test-suites

# Two lanes.  Each Bochs run is one host thread, and the demo's takes half
# an hour, so it runs beside every other suite rather than after them;
# those run one at a time, as their timeouts assume, and they share
# libvirtd.  What the lanes both need is built first, one at a time.  The
# lanes are two sub-makes the shell runs side by side (GNU make 4.3 can
# hang after `-j2` over sub-makes that force -j1).
test-suites:
	@$(MAKE) --no-print-directory $(TEST_BESIDE_PREREQS)
	@$(MAKE) --no-print-directory $(TEST_BESIDE) & beside=$$!; \
	$(MAKE) --no-print-directory $(TEST_TARGETS); main=$$?; \
	wait $$beside; beside=$$?; \
	[ $$main = 0 ] || echo "test: a suite failed"; \
	[ $$beside = 0 ] || echo "test: $(TEST_BESIDE) failed"; \
	[ $$main = 0 ] && [ $$beside = 0 ]
	@echo "test: all $(words $(TEST_TARGETS) $(TEST_BESIDE)) suites passed"

demo: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(or $(DEMO_TARGETS),demo-none)

.PHONY: demo-none
demo-none:
	@echo "demo: no end-to-end demo yet (see README status)"

bench: $(BENCH_TARGETS)

tcb:
	@bash scripts/tcb.sh

clean:
	rm -rf $(BUILD)
