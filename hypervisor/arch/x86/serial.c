// SPDX-License-Identifier: MIT
#include "arch/x86/serial.h"

#include "arch/x86/cpu.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define  LSR_THR_EMPTY 0x20
#define UART_DLAB 0x80

void hvp_serial_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_DLAB);
	outb(COM1 + UART_DATA, 1); /* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0x07); /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

static void put_byte(char c)
{
	/* Bounded: a missing UART must not hang the hypervisor. */
	for (int spins = 0; spins < 100000; spins++)
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void hvp_serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			put_byte('\r');
		put_byte(s[i]);
	}
}
