# tests/e2e/: end-to-end boots, judged only by marker lines in the serial
# log (qemu-scripts/lib/markers.sh).  Logs: $(BUILD)/e2e/<case>/serial.log.
#
# Always in `make test`:
#   test-e2e-verdict        the marker verdict itself must fail bad logs
#   test-e2e-guest-checks   the guest checks must FAIL/flag on purpose-made faults
#   test-e2e-bochs-direct-1cpu, -2cpu, test-e2e-libvirt-direct
#                           the test bed alone: OVMF -> hvp-acpi.efi -> Linux,
#                           /init, the right CPU count, ACPI power-off, and
#                           the guest agent loaded but unprotected
#   test-e2e-agent-unprotected  the same agent checks, kernel booted straight
#                           from QEMU/TCG (seconds)
#   test-e2e-agent-selftest the agent checks must FAIL without the module
# Under hvpatch.efi (each can be run by name; `make test` runs those listed
# in E2E_HVPATCH_CASES, and E2E_HVPATCH_CASES= switches them all off):
#   test-e2e-bochs-2cpu, test-e2e-bochs-1cpu          protected, VT-x in Bochs;
#                           both apply the fleet bundles (tests/e2e/fleet)
#   test-e2e-fleet-slides   after both: their KASLR slides differ
#   test-e2e-libvirt-fail-closed, -fail-open          TCG: no VT-x
E2E_HVPATCH_CASES ?= bochs-2cpu bochs-1cpu libvirt-fail-closed libvirt-fail-open

E2E_DIR := $(BUILD)/e2e
E2E_BOCHS := bash qemu-scripts/run-bochs.sh
E2E_LIBVIRT := bash qemu-scripts/run-libvirt.sh
E2E_ESP := $(HVP_ESP_DIR)

# Markers (;-separated extended regexps).  Every run also forbids kernel
# panics, any "HVP-TEST <name> FAIL" and a failed power-off.
E2E_LINUX_OK := HVP-INIT: reached /init;HVP-TEST cpu-count PASS;HVP-INIT: done
E2E_HV_START := HVPATCH: loader start;HVPATCH: starting next stage
# The boot log must say whether mode-based execute control is in force
# (Bochs 2.7 has none; a real CPU may).
E2E_PROTECTED := HVP-TEST hv-leaf PASS;HVP-TEST vmx-hidden PASS;HVP-TEST hvmem-reserved PASS;HVP-TEST hvmem-hidden PASS;HVP-TEST idle-exits PASS;HVPATCH: exit counters;HVPATCH: MBEC: (in force|not available: new kernel code can still run)
# The guest agent (tests/e2e/guest/agent.sh).  No hypervisor: hvpatch.ko
# loads, says UNPROTECTED, hvpatchctl exits 2 with "no hvpatch hypervisor".
# Under hvpatch: locked, pinned, refusals and counters reach user space.
E2E_AGENT_UNPROTECTED := HVP-AGENT: hvpatch.ko loaded;HVP-TEST agent-load PASS;HVP-TEST agent-unprotected PASS;HVP-TEST agent-json PASS
E2E_AGENT_LOCKED := HVP-AGENT: hvpatch.ko loaded;HVP-AGENT: hvpatch: locked: ;HVP-TEST agent-load PASS;HVP-TEST agent-locked PASS;HVP-TEST agent-pinned PASS;HVP-TEST agent-refusal PASS;HVP-TEST agent-counters PASS;HVP-TEST agent-log PASS;HVP-TEST agent-hvlog PASS;HVP-TEST agent-static-key PASS;HVP-TEST agent-apply-refusals PASS;HVP-TEST agent-kernel-exec PASS
E2E_NOT_PROTECTED := HVPATCH: WARNING: booting UNPROTECTED;HVP-TEST [^ ]+ UNPROTECTED;HVPATCH: VT-x unavailable

.PHONY: test-e2e-verdict test-e2e-guest-checks
test-e2e-verdict:
	bash tests/e2e/verdict-selftest.sh
test-e2e-guest-checks: $(HVP_KERNEL) $(HVP_INITRD)
	bash tests/e2e/guest-checks-selftest.sh $(HVP_KERNEL) $(HVP_INITRD) $(E2E_DIR)/guest-checks

# The same timeouts as under hvpatch: a 2-CPU boot without it once took
# 116 s here instead of the usual 30, the host being slow, not the guest;
# `make test` runs the demo's Bochs boot beside these.
.PHONY: test-e2e-bochs-direct-1cpu test-e2e-bochs-direct-2cpu test-e2e-libvirt-direct
test-e2e-bochs-direct-1cpu: $(E2E_ESP)/bochs-direct-1cpu.img
	$(E2E_BOCHS) --name $(@:test-%=%) --esp $< --cpus 1 --timeout 300 \
		--logdir $(E2E_DIR)/$(@:test-e2e-%=%) \
		--require 'HVP-ACPI: installed;$(E2E_LINUX_OK);$(E2E_AGENT_UNPROTECTED)'
test-e2e-bochs-direct-2cpu: $(E2E_ESP)/bochs-direct-2cpu.img
	$(E2E_BOCHS) --name $(@:test-%=%) --esp $< --cpus 2 --timeout 600 \
		--logdir $(E2E_DIR)/$(@:test-e2e-%=%) \
		--require 'HVP-ACPI: installed;$(E2E_LINUX_OK);$(E2E_AGENT_UNPROTECTED)'
test-e2e-libvirt-direct: $(E2E_ESP)/qemu-direct-2cpu.img
	$(E2E_LIBVIRT) --name $(@:test-%=%) --esp $< --cpus 2 --timeout 90 --accel tcg \
		--logdir $(E2E_DIR)/$(@:test-e2e-%=%) --require '$(E2E_LINUX_OK);$(E2E_AGENT_UNPROTECTED)'

# --- fleet bundles (docs/fleet.md, "End to end") -------------------------
# Built and signed once, here, from the kernel's vmlinux, as the demo's
# bundle is; applied by tests/e2e/fleet/fleet.sh in both locked Bochs
# boots below, which differ in CPU count and KASLR slide.  The key is the
# demo's development key, enrolled the same way (make-esp.sh --key).
# Sequences 1 to 4 in the order fleet.sh applies them (replay state is per
# boot); 5 for the bundle the hypervisor must refuse, made by the tool's
# test-only path.
E2E_FLEET_DIR := $(E2E_DIR)/fleet
E2E_FLEET_KEY := $(DEMO_DIR)/keys/dev.pem
E2E_FLEET := 1:version_proc_show 2:loadavg_proc_show 3:uptime_proc_show 4:proc_resctrl_show
E2E_FLEET_BUILD = $(HVPATCH_TOOL) build --symbols $(DEMO_VMLINUX)/System.map \
	--vmlinux $(DEMO_VMLINUX)/vmlinux --build-id-from $(DEMO_VMLINUX)/vmlinux
E2E_FLEET_SIGN = $(HVPATCH_TOOL) sign --key $(E2E_FLEET_KEY) $@.unsigned -o $@

$(E2E_FLEET_DIR)/%.o: tests/e2e/fleet/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(PATCH_CFLAGS) -c $< -o $@

# $(call e2e_fleet_bundle,SEQUENCE,FUNCTION)
define e2e_fleet_bundle
$(E2E_FLEET_DIR)/fleet-$(1)-$(2).hvp: $(E2E_FLEET_DIR)/$(2).o $(E2E_FLEET_KEY) \
		$(HVP_VMLINUX_STAMP) $(HVPATCH_TOOL)
	$$(E2E_FLEET_BUILD) --object $$< --sequence $(1) -o $$@.unsigned
	$$(E2E_FLEET_SIGN)
endef
$(foreach f,$(E2E_FLEET),$(eval $(call e2e_fleet_bundle,$(firstword $(subst :, ,$(f))),$(lastword $(subst :, ,$(f))))))

# Correctly signed, for this build, sequence 5: only the uptime patch's
# call to ktime_get_seconds() is aimed past the image.
$(E2E_FLEET_DIR)/fleet-outside-image.hvp: $(E2E_FLEET_DIR)/uptime_proc_show.o \
		$(E2E_FLEET_KEY) $(HVP_VMLINUX_STAMP) $(HVPATCH_TOOL)
	$(E2E_FLEET_BUILD) --object $< --sequence 5 \
		--test-only-outside-image ktime_get_seconds -o $@.unsigned
	$(E2E_FLEET_SIGN)

E2E_FLEET_BUNDLES := $(foreach f,$(E2E_FLEET),$(E2E_FLEET_DIR)/fleet-$(subst :,-,$(f)).hvp) \
	$(E2E_FLEET_DIR)/fleet-outside-image.hvp
E2E_FLEET_INITRD := $(E2E_FLEET_DIR)/initrd.img
E2E_FLEET_FILES := $(HVP_INITRD_FILES) tests/e2e/fleet/fleet.sh $(DEMO_KSYMS) $(E2E_FLEET_BUNDLES)
$(E2E_FLEET_INITRD): qemu-scripts/make-initramfs.sh qemu-scripts/initramfs/init $(E2E_FLEET_FILES)
	bash qemu-scripts/make-initramfs.sh $@ $(E2E_FLEET_FILES)

E2E_LOCKED_ESP := $(HVP_LOADER_ARG) --policy fail-closed --key $(DEMO_DIR)/keys/dev.pub
$(eval $(call hvp_esp,bochs-1cpu,bochs,$(HVPATCH_EFI) $(E2E_FLEET_KEY),$(E2E_LOCKED_ESP),$(HVP_CMDLINE_BOCHS) hvp.cpus=1,$(E2E_FLEET_INITRD)))
$(eval $(call hvp_esp,bochs-2cpu,bochs,$(HVPATCH_EFI) $(E2E_FLEET_KEY),$(E2E_LOCKED_ESP),$(HVP_CMDLINE_BOCHS) hvp.cpus=2,$(E2E_FLEET_INITRD)))
E2E_FLEET_TESTS := $(foreach f,$(E2E_FLEET),$(foreach c,apply revert replay text,\
	fleet-$(lastword $(subst :, ,$(f)))-$(c))) fleet-outside-image
E2E_FLEET_OK := $(subst PASS$(space),PASS;,$(foreach t,$(E2E_FLEET_TESTS),HVP-TEST $(t) PASS));HVP-FLEET: _text 0x[0-9a-f]{16};HVPATCH: patch: relocation 0 points at 0x[0-9a-f]+, outside the kernel image

# --- under hvpatch.efi ----------------------------------------------------
.PHONY: test-e2e-bochs-2cpu test-e2e-bochs-1cpu test-e2e-libvirt-fail-closed test-e2e-libvirt-fail-open
# 600 s: the steady-state checks (CPU 1 offline and online, 1 s of guest
# idle, about 20 s of wall time per guest second with 2 CPUs) add a minute
# or more; a run on a loaded host took 300 s without them finishing.  The
# fleet checks take under 1 s of guest time; runs that shared the host's
# two cores with two other 2-CPU Bochs runs still reached timeouts of 420
# and 540 s in the last check.
test-e2e-bochs-2cpu: $(E2E_ESP)/bochs-2cpu.img
	$(E2E_BOCHS) --name $(@:test-%=%) --esp $< --cpus 2 --timeout 600 \
		--fail-on '$(E2E_HV_FATAL)' \
		--logdir $(E2E_DIR)/$(@:test-e2e-%=%) \
		--require '$(E2E_HV_START);HVPATCH: cpu 0 virtualized;HVPATCH: cpu 1 virtualized;$(E2E_LINUX_OK);$(E2E_PROTECTED);$(E2E_AGENT_LOCKED);HVP-TEST cpu-online PASS;$(E2E_FLEET_OK)' \
		--forbid '$(E2E_NOT_PROTECTED)'
# 300 s: the fleet checks (under 1 s of guest time) add about 30 s to a
# 60 s boot.
test-e2e-bochs-1cpu: $(E2E_ESP)/bochs-1cpu.img
	$(E2E_BOCHS) --name $(@:test-%=%) --esp $< --cpus 1 --timeout 300 \
		--fail-on '$(E2E_HV_FATAL)' \
		--logdir $(E2E_DIR)/$(@:test-e2e-%=%) \
		--require '$(E2E_HV_START);HVPATCH: cpu 0 virtualized;$(E2E_LINUX_OK);$(E2E_PROTECTED);$(E2E_AGENT_LOCKED);$(E2E_FLEET_OK)' \
		--forbid 'HVPATCH: cpu 1 virtualized;$(E2E_NOT_PROTECTED)'
.PHONY: test-e2e-fleet-slides
test-e2e-fleet-slides: $(HVP_VMLINUX_STAMP)
	bash tests/e2e/fleet/slides.sh $(DEMO_VMLINUX)/System.map \
		$(E2E_DIR)/bochs-1cpu/serial.log $(E2E_DIR)/bochs-2cpu/serial.log
# No VT-x under TCG: the loader must refuse, say why, and never start Linux.
test-e2e-libvirt-fail-closed: $(E2E_ESP)/qemu-fail-closed.img
	$(E2E_LIBVIRT) --name $(@:test-%=%) --esp $< --cpus 2 --timeout 120 --accel tcg \
		--fail-on '$(E2E_HV_FATAL)' \
		--logdir $(E2E_DIR)/$(@:test-e2e-%=%) \
		--stop-on 'HVPATCH: VT-x unavailable' \
		--require 'HVPATCH: loader start;HVPATCH: VT-x unavailable: [^ ]' \
		--forbid 'HVP-INIT;HVPATCH: starting next stage;HVPATCH: WARNING: booting UNPROTECTED'
# No VT-x, policy fail-open: Linux boots, loudly unprotected.
test-e2e-libvirt-fail-open: $(E2E_ESP)/qemu-fail-open.img
	$(E2E_LIBVIRT) --name $(@:test-%=%) --esp $< --cpus 2 --timeout 120 --accel tcg \
		--fail-on '$(E2E_HV_FATAL)' \
		--logdir $(E2E_DIR)/$(@:test-e2e-%=%) \
		--require 'HVPATCH: loader start;HVPATCH: WARNING: booting UNPROTECTED;$(E2E_LINUX_OK);HVP-TEST hv-leaf UNPROTECTED;$(E2E_AGENT_UNPROTECTED)' \
		--forbid 'HVPATCH: cpu [0-9]+ virtualized;HVP-TEST hv-leaf PASS'

# The agent without a hypervisor, straight from QEMU (no firmware, TCG).
E2E_AGENT_CMDLINE := console=ttyS0,115200 quiet cryptomgr.notests=1 mitigations=off iomem=relaxed hvp.cpus=1
.PHONY: test-e2e-agent-unprotected test-e2e-agent-selftest
test-e2e-agent-unprotected: $(HVP_KERNEL) $(HVP_INITRD)
	bash qemu-scripts/run-qemu.sh --name $(@:test-%=%) --accel tcg --cpus 1 --timeout 60 \
		--logdir $(E2E_DIR)/$(@:test-e2e-%=%) --kernel $(HVP_KERNEL) --initrd $(HVP_INITRD) \
		--append '$(E2E_AGENT_CMDLINE)' \
		--require '$(E2E_LINUX_OK);$(E2E_AGENT_UNPROTECTED)' --forbid 'HVP-AGENT: .*FAILED'
test-e2e-agent-selftest: $(HVP_KERNEL) $(HVP_INITRD)
	bash tests/e2e/agent-selftest.sh $(HVP_KERNEL) $(HVP_INITRD) $(E2E_DIR)/agent-selftest

.PHONY: test-e2e-testbed test-e2e-hvpatch
test-e2e-testbed: test-e2e-verdict test-e2e-guest-checks test-e2e-agent-selftest \
	test-e2e-agent-unprotected test-e2e-bochs-direct-1cpu test-e2e-bochs-direct-2cpu \
	test-e2e-libvirt-direct
test-e2e-hvpatch: test-e2e-bochs-2cpu test-e2e-bochs-1cpu test-e2e-libvirt-fail-closed \
	test-e2e-libvirt-fail-open

TEST_TARGETS += test-e2e-verdict test-e2e-guest-checks test-e2e-agent-selftest \
	test-e2e-agent-unprotected test-e2e-bochs-direct-1cpu test-e2e-bochs-direct-2cpu \
	test-e2e-libvirt-direct
TEST_TARGETS += $(E2E_HVPATCH_CASES:%=test-e2e-%)
# After both locked Bochs boots: their slides must differ.
ifeq ($(words $(filter bochs-1cpu bochs-2cpu,$(E2E_HVPATCH_CASES))),2)
TEST_TARGETS += test-e2e-fleet-slides
endif
# The demo (qemu-scripts/demo), every step asserted: the slowest, in a
# lane of its own beside the rest (the top Makefile, test-suites).
TEST_BESIDE += demo-run
TEST_BESIDE_PREREQS += $(DEMO_IMAGE)
