// SPDX-License-Identifier: MIT
/*
 * I/O instructions to the few ports the I/O bitmaps intercept (SDM Vol.
 * 3C, 25.6.4, I/O-bitmap addresses; the qualification is table 28-5):
 * the ACPI PM1a control port, to print the exit counters before a
 * power-off (exit_shutdown.c), and the CMOS index and data ports, whose
 * warm-reset code announces an AP start-up (apic_window.c).  The access
 * is done on the guest's behalf.  String I/O to these ports has no use
 * and gets #GP rather than an emulation nobody tests.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx.h"
#include "vmx/apic.h"
#include "vmx/exit.h"
#include "vmx/hv.h"
#include "vmx/log.h"

static void io_write(struct vcpu *v, uint16_t port, unsigned int size, uint32_t value)
{
	if (port == hv.boot->pm1a_control_port && size >= 2)
		hvp_pm1a_write(value);
	for (unsigned int i = 0; i < size; i++)
		if (port + i == HVP_CMOS_INDEX_PORT || port + i == HVP_CMOS_DATA_PORT)
			hvp_apic_cmos_write(v, (uint16_t)(port + i), (uint8_t)(value >> (8 * i)));
	if (size == 1)
		outb(port, (uint8_t)value);
	else if (size == 2)
		outw(port, (uint16_t)value);
	else
		outl(port, value);
}

enum exit_action hvp_exit_io(struct vcpu *v, struct guest_regs *r)
{
	uint64_t q = vmread(EXIT_QUALIFICATION);
	unsigned int size = IO_QUAL_SIZE(q);
	uint16_t port = (uint16_t)IO_QUAL_PORT(q);

	if (q & IO_QUAL_STRING) {
		hvp_error("cpu %u: string I/O to port 0x%x not emulated\n", v->index, port);
		return hvp_inject_gp();
	}
	if (q & IO_QUAL_IN) {
		uint32_t value = size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
		uint64_t keep = size == 4 ? 0 : r->rax & ~((1ull << (8 * size)) - 1);

		r->rax = keep | value;
		return EXIT_SKIP_INSTRUCTION;
	}
	io_write(v, port, size, (uint32_t)r->rax);
	return EXIT_SKIP_INSTRUCTION;
}
