# hvpatch top-level build.
#
# One non-recursive make: every component adds its rules in its own
# fragment (<dir>/build.mk or <dir>/<sub>/build.mk) and registers with these lists:
#   ALL_TARGETS    files `make all` builds
#   TEST_TARGETS   phony targets `make test` runs, in order
#   BENCH_TARGETS  phony targets `make bench` runs (tables, never timed tests)
#   DEMO_TARGETS   phony targets `make demo` runs
# Outputs go under build/.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

TOP := $(CURDIR)
BUILD := $(TOP)/build

HOST_CC ?= gcc
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wno-unused-parameter -Werror=implicit-function-declaration \
	-I$(TOP)/include -I$(TOP)/hypervisor -I$(TOP)/crypto
HOST_LDFLAGS :=

# Products that one fragment builds and another, included earlier, uses.
HV_IMAGE := $(BUILD)/hypervisor/hvpatch.elf

ALL_TARGETS :=
TEST_TARGETS :=
BENCH_TARGETS :=
DEMO_TARGETS :=

# Components first, tests last: test rules use the components' variables;
# tests/unit first among the tests, whose simulated guest the others reuse.
FRAGMENTS := $(sort $(wildcard */build.mk */*/build.mk))
include $(filter-out tests/%,$(FRAGMENTS)) tests/unit/build.mk \
	$(filter-out tests/unit/%,$(filter tests/%,$(FRAGMENTS)))

.PHONY: all test test-suites demo bench tcb clean deps fuzz

deps:
	@bash scripts/deps.sh

all: $(ALL_TARGETS)

# `make test` and `make demo` install what they need first, so that they
# work on a fresh Debian machine; the real work then runs in a sub-make.
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory test-suites

test-suites: $(TEST_TARGETS)
	@echo "test: all $(words $(TEST_TARGETS)) suites passed"

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
