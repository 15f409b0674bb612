# tools/hvpatch: the host tool.
HVPATCH_TOOL := $(BUILD)/host/hvpatch
TOOL_SRCS := $(wildcard tools/hvpatch/*.c)
TOOL_LIB_SRCS := tools/hvpatch/bundle_writer.c tools/hvpatch/keys.c \
	tools/hvpatch/util.c
TOOL_SHARED_SRCS := hypervisor/patch/bundle.c hypervisor/patch/verify.c
TOOL_LDLIBS := $(HOST_CRYPTO_LIB) -lmbedtls -lmbedx509 -lmbedcrypto -lelf

$(HVPATCH_TOOL): $(TOOL_SRCS) $(TOOL_SHARED_SRCS) $(wildcard tools/hvpatch/*.h) \
		include/hvpatch/abi.h $(HOST_CRYPTO_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Itools/hvpatch -o $@ $(TOOL_SRCS) \
		$(TOOL_SHARED_SRCS) $(TOOL_LDLIBS)

ALL_TARGETS += $(HVPATCH_TOOL)
