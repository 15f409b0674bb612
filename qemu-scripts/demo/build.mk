# qemu-scripts/demo: `make demo`.  Builds a live patch for the running
# guest kernel and shows it applied and reverted under the hypervisor in
# Bochs, with forged, foreign and replayed bundles refused and an attack
# on kernel text stopped.  `make test` runs it too: every step is asserted.
#
#  1. the host builds the bundles from the kernel's own vmlinux (the -dbg
#     package, cached once: docs/fleet.md), as a patch author would for a
#     fleet, and signs them with a development key;
#  2. one boot, with the key enrolled, runs guest/demo.sh.
#
# `make fleet-sample` measures the same path on many functions: a boot
# prints their running bytes (hvp-ksyms, a test probe), and the host
# checks each bundle against them (docs/fleet.md, "Figures").

DEMO_DIR := $(BUILD)/demo
DEMO_KSYMS := $(DEMO_DIR)/hvp-ksyms
DEMO_PATCH_OBJ := $(DEMO_DIR)/cmdline_proc_show.o
DEMO_CMDLINE := $(HVP_CMDLINE_BOCHS) hvp.cpus=2
DEMO_ATTACK := $(BUILD)/guest-agent/hvp_attack.ko

# The attacker, built like the agent (and with its hypercall wrapper).
DEMO_ATTACK_SRCS := guest-agent/attack/attack.c guest-agent/attack/Kbuild \
	guest-agent/attack/pin_attacks.c guest-agent/attack/pin_attacks.h \
	guest-agent/module/hvpatch_hc.c guest-agent/module/hvpatch_hc.h
$(eval $(call ga_kbuild,attack,hvp_attack,$(DEMO_ATTACK_SRCS)))

$(DEMO_DIR)/%: qemu-scripts/demo/guest/%.c
	@mkdir -p $(@D)
	$(HOST_CC) -static -O2 -Wall -Wextra -o $@ $<
DEMO_VMCALL := $(DEMO_DIR)/hvp-vmcall

$(DEMO_PATCH_OBJ): qemu-scripts/demo/patch/cmdline_proc_show.c
	@mkdir -p $(@D)
	$(HOST_CC) $(PATCH_CFLAGS) -c $< -o $@

# --- the running bytes of the sample, for `make fleet-sample` only ----------
FLEET_SAMPLE := qemu-scripts/demo/fleet-sample.txt
$(DEMO_DIR)/dump-initrd.img: $(DEMO_KSYMS) qemu-scripts/demo/guest/dump-ksyms.sh \
		$(FLEET_SAMPLE) qemu-scripts/make-initramfs.sh qemu-scripts/initramfs/init
	bash qemu-scripts/make-initramfs.sh $@ $(DEMO_KSYMS) \
		qemu-scripts/demo/guest/dump-ksyms.sh $(FLEET_SAMPLE)

# One CPU, another boot (so another KASLR slide) than the demo's.
$(DEMO_DIR)/dump.img: $(DEMO_DIR)/dump-initrd.img $(HVPATCH_EFI) \
		$(HVP_KERNEL) $(HVP_ACPI_EFI) qemu-scripts/make-esp.sh
	bash qemu-scripts/make-esp.sh --out $@ --flavour bochs --kernel $(HVP_KERNEL) \
		--initrd $< --acpi $(HVP_ACPI_EFI) --loader $(HVPATCH_EFI) \
		-- $(HVP_CMDLINE_BOCHS) hvp.cpus=1 hvp.agent=0

$(DEMO_DIR)/facts/System.map: $(DEMO_DIR)/dump.img qemu-scripts/demo/collect-kernel-facts.py
	bash qemu-scripts/run-bochs.sh --name fleet-sample --esp $< --cpus 1 --timeout 600 \
		--logdir $(DEMO_DIR)/facts-boot --require 'HVP-TEST ksyms PASS'
	python3 qemu-scripts/demo/collect-kernel-facts.py $(DEMO_DIR)/facts-boot/serial.log $(@D)

.PHONY: fleet-sample
fleet-sample: $(DEMO_DIR)/facts/System.map $(HVP_VMLINUX_STAMP) $(HVPATCH_TOOL)
	bash qemu-scripts/demo/fleet-sample.sh $(HVPATCH_TOOL) $$(cat $(HVP_VMLINUX_STAMP)) \
		$(DEMO_DIR)/facts $(FLEET_SAMPLE) $(DEMO_DIR)/fleet-sample

# --- 2. keys and bundles ----------------------------------------------------
$(DEMO_DIR)/keys/dev.pem: $(HVPATCH_TOOL)
	@mkdir -p $(@D)
	$(HVPATCH_TOOL) keygen --out-private $@ --out-public $(@D)/dev.pub
	$(HVPATCH_TOOL) keygen --out-private $(@D)/stranger.pem --out-public $(@D)/stranger.pub

DEMO_VMLINUX = $$(cat $(HVP_VMLINUX_STAMP))
DEMO_BUILD = $(HVPATCH_TOOL) build --object $(DEMO_PATCH_OBJ) \
	--symbols $(DEMO_VMLINUX)/System.map --vmlinux $(DEMO_VMLINUX)/vmlinux \
	--description "cmdline marker (hvpatch demo)"
DEMO_BUILD_ID = $$(readelf -n $(DEMO_VMLINUX)/vmlinux | awk '/Build ID/ { print $$3 }')
DEMO_BUNDLES := $(addprefix $(DEMO_DIR)/,demo-good.hvp demo-forged.hvp \
	demo-other-build.hvp demo-unknown-key.hvp)

$(DEMO_BUNDLES) &: $(HVP_VMLINUX_STAMP) $(DEMO_DIR)/keys/dev.pem $(DEMO_PATCH_OBJ) $(HVPATCH_TOOL)
	$(DEMO_BUILD) --build-id $(DEMO_BUILD_ID) --sequence 1 -o $(DEMO_DIR)/good.unsigned
	$(HVPATCH_TOOL) sign --key $(DEMO_DIR)/keys/dev.pem $(DEMO_DIR)/good.unsigned -o $(DEMO_DIR)/demo-good.hvp
	$(HVPATCH_TOOL) sign --key $(DEMO_DIR)/keys/stranger.pem $(DEMO_DIR)/good.unsigned \
		-o $(DEMO_DIR)/demo-unknown-key.hvp
	# Forged: one byte of the signed part changed after signing (the last
	# byte before the signature block, inside the replacement data).
	cp $(DEMO_DIR)/demo-good.hvp $(DEMO_DIR)/demo-forged.hvp
	n=$$(od -An -tu4 -j104 -N4 $(DEMO_DIR)/demo-good.hvp | tr -d ' '); \
	bash -c '. tests/lib/check.sh && flip_byte "$$1" "$$2"' flip \
		$(DEMO_DIR)/demo-forged.hvp $$((n - 40))
	# Another build: the same patch for a kernel whose build-id differs.
	$(DEMO_BUILD) --build-id $$(echo $(DEMO_BUILD_ID) | tr 0-9a-f 1-9a-f0) \
		--sequence 2 -o $(DEMO_DIR)/other.unsigned
	$(HVPATCH_TOOL) sign --key $(DEMO_DIR)/keys/dev.pem $(DEMO_DIR)/other.unsigned \
		-o $(DEMO_DIR)/demo-other-build.hvp

# Apply under load: sequences 2..21 for ten apply/revert rounds, and 30
# for the bundle another CPU scribbles on during APPLY.
DEMO_LOAD_SEQUENCES := $(shell seq 2 21) 30
DEMO_LOAD_BUNDLES := $(DEMO_LOAD_SEQUENCES:%=$(DEMO_DIR)/load/demo-seq%.hvp)
$(DEMO_DIR)/load/demo-seq%.hvp: $(HVP_VMLINUX_STAMP) $(DEMO_DIR)/keys/dev.pem $(DEMO_PATCH_OBJ) $(HVPATCH_TOOL)
	@mkdir -p $(@D)
	$(DEMO_BUILD) --build-id $(DEMO_BUILD_ID) --sequence $* -o $@.unsigned
	$(HVPATCH_TOOL) sign --key $(DEMO_DIR)/keys/dev.pem $@.unsigned -o $@

# --- 3. the demo boot ----------------------------------------------------------
DEMO_GUEST_FILES := $(DEMO_BUNDLES) $(DEMO_LOAD_BUNDLES) $(DEMO_KSYMS) $(DEMO_VMCALL) \
	$(GA_MODULE) $(GA_CTL) $(DEMO_ATTACK) $(sort $(wildcard qemu-scripts/demo/guest/*.sh))
$(DEMO_DIR)/demo-initrd.img: $(filter-out %/dump-ksyms.sh,$(DEMO_GUEST_FILES)) \
		qemu-scripts/make-initramfs.sh qemu-scripts/initramfs/init
	bash qemu-scripts/make-initramfs.sh $@ $(filter-out %/dump-ksyms.sh,$(DEMO_GUEST_FILES))

$(DEMO_DIR)/demo.img: $(DEMO_DIR)/demo-initrd.img $(DEMO_DIR)/keys/dev.pem $(HVPATCH_EFI)
	bash qemu-scripts/make-esp.sh --out $@ --flavour bochs --kernel $(HVP_KERNEL) \
		--initrd $< --acpi $(HVP_ACPI_EFI) --loader $(HVPATCH_EFI) \
		--key $(DEMO_DIR)/keys/dev.pub -- $(DEMO_CMDLINE)

space := $(empty) $(empty)
DEMO_STEPS := locked before apply after-apply revert after-revert text-identical \
	forged other-build unknown-key replay attack-cr0 attack-alias attack-no-write \
	attack-text-intact log-blocked attack-register attack-hvmem attack-mmio \
	attack-ring3 attack-flood flood-kept-blocked attack-dr7 attack-lstar attack-idt \
	attack-int3 pins-audited attack-race attack-arena attack-jump-label \
	attack-remap-pte attack-remap-pmd attack-remap-pgd load-consistent load-rounds \
	load-text-intact hvlog
DEMO_REQUIRE := HVP-INIT: done;$(subst PASS$(space),PASS;,$(foreach s,$(DEMO_STEPS),HVP-TEST demo-$(s) PASS))

# The demo boot takes 26 minutes alone here, and took 51 beside three
# other Bochs runs on two cores (2 December 2026); the timeout leaves room
# for a loaded host and only matters when something hangs.
DEMO_IMAGE := $(DEMO_DIR)/demo.img
.PHONY: demo-run
demo-run: $(DEMO_IMAGE)
	bash qemu-scripts/run-bochs.sh --name demo --esp $< --cpus 2 --timeout 4800 \
		--logdir $(DEMO_DIR)/demo-boot --require '$(DEMO_REQUIRE)' \
		--fail-on '$(E2E_HV_FATAL)' || { bash qemu-scripts/demo/transcript.sh \
		$(DEMO_DIR)/demo-boot/serial.log; exit 1; }
	bash qemu-scripts/demo/transcript.sh $(DEMO_DIR)/demo-boot/serial.log
DEMO_TARGETS += demo-run
