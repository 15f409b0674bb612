/* SPDX-License-Identifier: MIT */
/* COM1, a 16550 UART at I/O port 0x3f8: the boot log and the hypervisor
 * log.  Polled, 115200 8N1, so it works with interrupts off in VMX root. */
#ifndef HVPATCH_X86_SERIAL_H
#define HVPATCH_X86_SERIAL_H

#include <stddef.h>

void hvp_serial_init(void);
void hvp_serial_write(const char *s, size_t len);

#endif /* HVPATCH_X86_SERIAL_H */
