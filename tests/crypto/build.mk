# tests/crypto: the verify API on both builds (Debian's mbedtls on the
# host, the freestanding object the hypervisor links) against vectors made
# by openssl, the host build's field and comb against mbedtls's own, and
# the freestanding object's shape (no undefined symbols, no
# vector registers, only the API global).

CRYPTO_TEST_DATA := $(BUILD)/test-data/crypto
$(CRYPTO_TEST_DATA)/.made: tests/crypto/make-vectors.sh tests/crypto/make-special-vectors.py
	bash $< $(CRYPTO_TEST_DATA)
	touch $@

CRYPTO_TEST_DEPS := tests/crypto/test_crypto.c crypto/hvp_crypto.h $(CRYPTO_TEST_DATA)/.made
$(BUILD)/tests/test_crypto_host: $(CRYPTO_TEST_DEPS) $(HOST_CRYPTO_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -fsanitize=address,undefined -o $@ $< \
		$(HOST_CRYPTO_LIB) $(HOST_CRYPTO_LDLIBS) -lcmocka
$(BUILD)/tests/test_p256_arith: tests/crypto/test_p256_arith.c crypto/p256_field.h \
		crypto/p256_point.h $(HOST_CRYPTO_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -fsanitize=address,undefined -o $@ $< \
		$(HOST_CRYPTO_LIB) $(HOST_CRYPTO_LDLIBS) -lcmocka
$(BUILD)/tests/test_crypto_freestanding: $(CRYPTO_TEST_DEPS) $(FS_CRYPTO_OBJ)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $(FS_CRYPTO_OBJ) -lcmocka

.PHONY: test-crypto-host test-crypto-freestanding test-crypto-object
test-crypto-host: $(BUILD)/tests/test_crypto_host $(BUILD)/tests/test_p256_arith
	$< $(CRYPTO_TEST_DATA)
	$(BUILD)/tests/test_p256_arith
test-crypto-freestanding: $(BUILD)/tests/test_crypto_freestanding
	$< $(CRYPTO_TEST_DATA)
test-crypto-object: $(FS_CRYPTO_OBJ)
	bash tests/crypto/object-check.sh $< $(CRYPTO_API_SYMBOLS)
TEST_TARGETS += test-crypto-object test-crypto-host test-crypto-freestanding
