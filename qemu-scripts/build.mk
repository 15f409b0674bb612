# qemu-scripts/: the guest kernel, the test initramfs and the ESP images
# that the Bochs, libvirt and QEMU runners boot.  The e2e test targets that
# use them are in tests/e2e/build.mk.
#
#   make esp         ESPs that boot hvpatch.efi: QEMU/libvirt and Bochs flavours
#   make esp-direct  ESPs that boot Linux with no hypervisor (test-bed check)

HVP_KERNEL_DIR := $(BUILD)/kernel
HVP_KERNEL := $(HVP_KERNEL_DIR)/vmlinuz
HVP_INITRD := $(BUILD)/testbed/initrd.img
HVP_CPUID := $(BUILD)/testbed/hvp-cpuid
HVP_GUEST_TESTS := $(sort $(wildcard tests/e2e/guest/*.sh))
HVP_ESP_DIR := $(BUILD)/esp
HVP_ACPI_EFI := $(BUILD)/efi/hvp-acpi.efi
# The hypervisor's fatal errors in a serial log: the machine would only
# hang until the timeout, so a run that sees one ends (and fails) at once.
E2E_HV_FATAL := HVPATCH: cpu [0-9]+: stopped;HVPATCH: host exception;HVPATCH: cpu [0-9]+: VMRESUME failed;HVPATCH: cpu [0-9]+ NOT virtualized

# fetch-kernel.sh asks apt for the newest cloud kernel on every run and
# rewrites vmlinuz only when the version changed, so dependents rebuild only
# then.  (GNU make re-reads the file's time after the recipe.)
.PHONY: hvp-kernel-check
hvp-kernel-check:
$(HVP_KERNEL): hvp-kernel-check qemu-scripts/fetch-kernel.sh
	bash qemu-scripts/fetch-kernel.sh $(HVP_KERNEL_DIR)

# The guest kernel's own vmlinux, as built (Debian's linux-image-*-dbg, a
# 283 MB download): what `hvpatch build --vmlinux` describes old functions
# from (docs/fleet.md).  Fetched once per kernel version into HVP_CACHE,
# outside the build tree, so neither a test run nor `make clean` fetches
# it again.  The stamp holds the directory with vmlinux and System.map.
HVP_CACHE ?= /var/cache/hvpatch
HVP_VMLINUX_STAMP := $(HVP_KERNEL_DIR)/vmlinux-dbg.dir
$(HVP_VMLINUX_STAMP): $(HVP_KERNEL) qemu-scripts/fetch-vmlinux.sh
	bash qemu-scripts/fetch-vmlinux.sh $$(cat $(HVP_KERNEL_DIR)/version) $(HVP_CACHE)
	echo $(HVP_CACHE)/$$(cat $(HVP_KERNEL_DIR)/version) >$@

# The guest has no libc: the probe is linked statically.
$(HVP_CPUID): tests/e2e/guest/hvp-cpuid.c
	@mkdir -p $(@D)
	$(HOST_CC) -static -O2 -Wall -Wextra -o $@ $<

# The guest agent (guest-agent/build.mk, read before this file): /init
# loads hvpatch.ko first; hvpatchctl is the guest's command line.
HVP_GUEST_AGENT := $(GA_MODULE) $(GA_CTL)

HVP_INITRD_FILES := $(HVP_CPUID) $(HVP_GUEST_TESTS) $(HVP_GUEST_AGENT)
$(HVP_INITRD): qemu-scripts/make-initramfs.sh qemu-scripts/initramfs/init $(HVP_INITRD_FILES)
	bash qemu-scripts/make-initramfs.sh $@ $(HVP_INITRD_FILES)

# Kernel command line pieces.  Speed (see the test-bed notes): no crypto
# self-tests, quiet console, no mitigations or init_on_alloc.  Bochs: its
# XSAVE sizes are inconsistent (noxsave), and Linux SMP under a hypervisor
# wants a gap between INIT and SIPI.  iomem=relaxed lets /dev/mem read
# reserved (non-RAM) ranges, so the guest's check that the hypervisor's
# memory is unreadable tests the hypervisor, not the kernel's policy.
HVP_CMDLINE_COMMON := quiet cryptomgr.notests=1 mitigations=off init_on_alloc=0 iomem=relaxed
HVP_CMDLINE_BOCHS := $(HVP_CMDLINE_COMMON) noxsave cpu_init_udelay=10000

# $(call hvp_esp,NAME,FLAVOUR,EXTRA_DEPS,MAKE_ESP_ARGS,CMDLINE[,INITRD])
# INITRD is HVP_INITRD unless given.
define hvp_esp
$(HVP_ESP_DIR)/$(1).img: qemu-scripts/make-esp.sh $(HVP_KERNEL) $(or $(6),$(HVP_INITRD)) \
		$(HVP_ACPI_EFI) $(3)
	bash qemu-scripts/make-esp.sh --out $$@ --kernel $(HVP_KERNEL) \
		--initrd $(or $(6),$(HVP_INITRD)) --acpi $(HVP_ACPI_EFI) --flavour $(2) $(4) -- $(5)
endef

# Test-bed checks: Linux straight from hvp-acpi.efi, no hypervisor.
$(eval $(call hvp_esp,bochs-direct-1cpu,bochs,,--direct,$(HVP_CMDLINE_BOCHS) hvp.cpus=1))
$(eval $(call hvp_esp,bochs-direct-2cpu,bochs,,--direct,$(HVP_CMDLINE_BOCHS) hvp.cpus=2))
$(eval $(call hvp_esp,qemu-direct-2cpu,qemu,,--direct,$(HVP_CMDLINE_COMMON) hvp.cpus=2))

# Under hvpatch.efi (HVPATCH_EFI comes from efi-loader/build.mk; the
# recipes fail with a clear message until it exists).  The locked Bochs
# ESPs, bochs-1cpu and bochs-2cpu, are in tests/e2e/build.mk: they carry
# the fleet bundles and the key that signed them.
HVP_LOADER_ARG = --loader $(or $(HVPATCH_EFI),$(BUILD)/efi/hvpatch.efi)
$(eval $(call hvp_esp,qemu-fail-closed,qemu,$(HVPATCH_EFI),$$(HVP_LOADER_ARG) --policy fail-closed,$(HVP_CMDLINE_COMMON) hvp.cpus=2))
$(eval $(call hvp_esp,qemu-fail-open,qemu,$(HVPATCH_EFI),$$(HVP_LOADER_ARG) --policy fail-open,$(HVP_CMDLINE_COMMON) hvp.cpus=2))

.PHONY: esp esp-direct
esp: $(HVP_ESP_DIR)/qemu-fail-closed.img $(HVP_ESP_DIR)/qemu-fail-open.img \
	$(HVP_ESP_DIR)/bochs-1cpu.img $(HVP_ESP_DIR)/bochs-2cpu.img
esp-direct: $(HVP_ESP_DIR)/bochs-direct-1cpu.img $(HVP_ESP_DIR)/bochs-direct-2cpu.img \
	$(HVP_ESP_DIR)/qemu-direct-2cpu.img
