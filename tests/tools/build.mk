# tests/tools: the host tool end to end, and its interop with openssl.

.PHONY: test-tool test-interop
test-tool: $(HVPATCH_TOOL) $(FIXTURE_FILES)
	bash tests/tools/test_tool.sh $(HVPATCH_TOOL) $(FIXTURES) $(BUILD)/test-tool
test-interop: $(HVPATCH_TOOL) $(FIXTURE_FILES)
	bash tests/tools/test_openssl.sh $(HVPATCH_TOOL) $(FIXTURES) $(BUILD)/test-interop
TEST_TARGETS += test-tool test-interop
