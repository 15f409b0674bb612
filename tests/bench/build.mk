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
$(BENCH_DIR)/bench_engine: tests/bench/bench_engine.c tests/bench/bench_util.h $(ENGINE_TEST_SRCS) $(HOST_CRYPTO_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(BENCH_CFLAGS) -o $@ $< $(ENGINE_TEST_SRCS) $(HOST_CRYPTO_LIB) \
		-lmbedtls -lmbedx509 -lmbedcrypto

.PHONY: bench-crypto bench-engine
bench-crypto: $(BENCH_DIR)/bench_crypto_host $(BENCH_DIR)/bench_crypto_freestanding $(CRYPTO_TEST_DATA)/.made
	$(BENCH_DIR)/bench_crypto_host host $(CRYPTO_TEST_DATA)
	$(BENCH_DIR)/bench_crypto_freestanding "freestanding (hypervisor)" $(CRYPTO_TEST_DATA)
bench-engine: $(BENCH_DIR)/bench_engine
	$<
BENCH_TARGETS += bench-crypto bench-engine
