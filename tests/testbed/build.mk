# tests/testbed/: test-bed-only programs (never part of the product).
#   hvp-acpi.efi   minimal ACPI tables for OVMF under Bochs, then chains to
#                  \EFI\hvpatch\hvpatch.efi (see acpi/acpi-tables.c)

# efi_app comes from efi-loader/efi.mk (read with efi-loader/build.mk).
# HVP_ACPI_EFI ($(BUILD)/efi/hvp-acpi.efi) is named in qemu-scripts/build.mk,
# which is read first and puts it on the Bochs ESPs.
$(eval $(call efi_app,hvp-acpi,tests/testbed/acpi/acpi-tables.c,))
ALL_TARGETS += $(HVP_ACPI_EFI)
