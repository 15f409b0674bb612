# guest-agent/: hvpatch.ko (the guest's side of docs/hypercalls.md) and
# hvpatchctl (its command line), both for the test bed's guest kernel.
#
#   $(GA_MODULE)    hvpatch.ko, built out of tree against the exact guest
#                   kernel that qemu-scripts/fetch-kernel.sh fetched
#   $(GA_CTL)       hvpatchctl, static (the guest has no libc)
#   (its host tests are in tests/agent)
#
# qemu-scripts/build.mk (read after this file) puts both into the initramfs.

GA_DIR := $(BUILD)/guest-agent
GA_MODULE := $(GA_DIR)/hvpatch.ko
GA_CTL := $(GA_DIR)/hvpatchctl
GA_HEADERS := include/hvpatch/abi.h guest-agent/include/hvpatch_ioctl.h
GA_MODULE_SRCS := $(wildcard guest-agent/module/*.c guest-agent/module/*.h) \
	guest-agent/module/Kbuild
# The kernel is fetched by qemu-scripts/build.mk's rule for this file
# (HVP_KERNEL there; that fragment is read after this one).
GA_KERNEL := $(BUILD)/kernel/vmlinuz

# $(call ga_kbuild,DIR,NAME,SOURCES): $(GA_DIR)/NAME.ko, out of tree
# against the fetched guest kernel.  Kbuild writes its objects next to the
# sources, so it builds a copy in $(GA_DIR)/DIR, never in the source tree.
# The copy of record is stripped of debug info for the initramfs (the
# unstripped one stays in DIR).
define ga_kbuild
$(GA_DIR)/$(2).ko: $(3) $(GA_HEADERS) $(GA_KERNEL)
	rm -rf $(GA_DIR)/$(1) && mkdir -p $(GA_DIR)/$(1)
	cp $(3) $(GA_DIR)/$(1)/
	$$(MAKE) --no-print-directory -C "$$$$(cat $(BUILD)/kernel/kdir)" \
		M=$(GA_DIR)/$(1) HVP_TOP=$(TOP) modules
	strip --strip-debug -o $$@ $(GA_DIR)/$(1)/$(2).ko
endef
$(eval $(call ga_kbuild,module,hvpatch,$(GA_MODULE_SRCS)))

GA_CTL_SRCS := guest-agent/cli/hvpatchctl.c guest-agent/cli/hvpctl_format.c
GA_CTL_CFLAGS := $(HOST_CFLAGS) -Iguest-agent/include -Iguest-agent/cli
GA_CTL_DEPS := $(GA_CTL_SRCS) guest-agent/cli/hvpctl.h $(GA_HEADERS)

$(GA_CTL): $(GA_CTL_DEPS) guest-agent/cli/hvpctl_dev.c
	@mkdir -p $(@D)
	$(HOST_CC) $(GA_CTL_CFLAGS) -static -s -o $@ $(GA_CTL_SRCS) guest-agent/cli/hvpctl_dev.c

ALL_TARGETS += $(GA_MODULE) $(GA_CTL)
