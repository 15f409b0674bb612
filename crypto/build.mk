# crypto/: the verify API, built against Debian's libmbedcrypto for the host
# and freestanding (from mbedtls source fetched at build time) for the
# hypervisor.

CRYPTO_API_SYMBOLS := hvp_sha256 hvp_pubkey_from_spki_der hvp_pubkey_from_point \
	hvp_ecdsa_p256_verify
CRYPTO_HEADERS := crypto/hvp_crypto.h crypto/crypto_pool.h crypto/p256.h \
	crypto/p256_point.h crypto/p256_field.h

# --- host ------------------------------------------------------------------
HOST_CRYPTO_LIB := $(BUILD)/host/crypto/libhvpcrypto.a
HOST_CRYPTO_LDLIBS := -lmbedcrypto
HOST_CRYPTO_OBJS := $(BUILD)/host/crypto/hvp_crypto.o $(BUILD)/host/crypto/p256.o \
	$(BUILD)/host/crypto/p256_point.o $(BUILD)/host/crypto/p256_field.o \
	$(BUILD)/host/crypto/pool_host.o

$(BUILD)/host/crypto/%.o: crypto/%.c $(CRYPTO_HEADERS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_CRYPTO_LIB): $(HOST_CRYPTO_OBJS)
	rm -f $@ && ar rcs $@ $^

# --- freestanding ----------------------------------------------------------
MBEDTLS_SRC := $(BUILD)/mbedtls-src
MBEDTLS_FILES := sha256 ecdsa ecp ecp_curves bignum asn1parse asn1write \
	platform platform_util constant_time memory_buffer_alloc
FS_CRYPTO_DIR := $(BUILD)/freestanding/crypto
FS_CRYPTO_OBJ := $(BUILD)/freestanding/hvp_crypto.o
FS_CRYPTO_SOURCES_LIST := $(BUILD)/freestanding/mbedtls-sources.txt

FS_CRYPTO_CFLAGS := $(FREESTANDING_CFLAGS) -Icrypto/freestanding/include \
	-Icrypto -Icrypto/config -I$(MBEDTLS_SRC)/include \
	-DMBEDTLS_CONFIG_FILE='"hvp_mbedtls_config.h"'

$(MBEDTLS_SRC)/.fetched:
	bash crypto/fetch-mbedtls.sh $(MBEDTLS_SRC)

FS_MBEDTLS_OBJS := $(MBEDTLS_FILES:%=$(FS_CRYPTO_DIR)/mbedtls/%.o)
FS_GLUE_OBJS := $(FS_CRYPTO_DIR)/hvp_crypto.o $(FS_CRYPTO_DIR)/p256.o \
	$(FS_CRYPTO_DIR)/p256_point.o $(FS_CRYPTO_DIR)/p256_field.o $(FS_CRYPTO_DIR)/pool.o \
	$(FS_CRYPTO_DIR)/libc_shim.o

$(FS_CRYPTO_DIR)/mbedtls/%.o: $(MBEDTLS_SRC)/.fetched crypto/config/hvp_mbedtls_config.h
	@mkdir -p $(@D)
	$(HOST_CC) $(FS_CRYPTO_CFLAGS) -c $(MBEDTLS_SRC)/library/$*.c -o $@

$(FS_CRYPTO_DIR)/%.o: crypto/%.c $(CRYPTO_HEADERS) $(MBEDTLS_SRC)/.fetched
	@mkdir -p $(@D)
	$(HOST_CC) $(FS_CRYPTO_CFLAGS) -c $< -o $@

$(FS_CRYPTO_DIR)/%.o: crypto/freestanding/%.c $(MBEDTLS_SRC)/.fetched
	@mkdir -p $(@D)
	$(HOST_CC) $(FS_CRYPTO_CFLAGS) -c $< -o $@

# One relocatable object; only the API stays global.
$(FS_CRYPTO_OBJ): $(FS_MBEDTLS_OBJS) $(FS_GLUE_OBJS)
	ld -r -o $@.tmp $^
	objcopy $(CRYPTO_API_SYMBOLS:%=-G %) $@.tmp $@
	rm -f $@.tmp
	printf '%s\n' $(MBEDTLS_FILES:%=$(MBEDTLS_SRC)/library/%.c) > $(FS_CRYPTO_SOURCES_LIST)

ALL_TARGETS += $(HOST_CRYPTO_LIB) $(FS_CRYPTO_OBJ)
