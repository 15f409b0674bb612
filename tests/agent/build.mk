# tests/agent: hvpatchctl on the host.  cmocka on its text and JSON
# output, and every command through hvpctl_mock.c, a stand-in for the
# /dev/hvpatch ioctls with canned hypervisor answers (JSON checked by
# python3).  The guest-side checks are in tests/e2e/guest/agent.sh.

GA_CTL_MOCK := $(GA_DIR)/hvpatchctl-mock

# The same program on the host, with canned hypervisor answers.
$(GA_CTL_MOCK): $(GA_CTL_DEPS) tests/agent/hvpctl_mock.c
	@mkdir -p $(@D)
	$(HOST_CC) $(GA_CTL_CFLAGS) -fsanitize=address,undefined -o $@ $(GA_CTL_SRCS) \
		tests/agent/hvpctl_mock.c

$(BUILD)/tests/test_hvpatchctl: tests/agent/test_format.c \
		guest-agent/cli/hvpctl_format.c guest-agent/cli/hvpctl.h $(GA_HEADERS)
	@mkdir -p $(@D)
	$(HOST_CC) $(GA_CTL_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(filter %.c,$^) -lcmocka

.PHONY: test-hvpatchctl
test-hvpatchctl: $(BUILD)/tests/test_hvpatchctl $(GA_CTL_MOCK)
	$(BUILD)/tests/test_hvpatchctl
	bash tests/agent/mock-cli-test.sh $(GA_CTL_MOCK)

TEST_TARGETS += test-hvpatchctl
