// SPDX-License-Identifier: MIT
#include "loader_log.h"

#include <efi.h>
#include <efilib.h>
#include <stdarg.h>

#include "arch/x86/serial.h"
#include "arch/x86/spinlock.h"
#include "lib/format.h"

static enum hvp_log_level log_threshold = HVP_LOG_INFO;
static struct hvp_spinlock serial_lock;

void loader_log_init(enum hvp_log_level threshold)
{
	log_threshold = threshold;
	hvp_serial_init();
}

static void emit(const char *line, size_t n, bool console)
{
	static const char prefix[] = "HVPATCH: ";

	hvp_spin_lock(&serial_lock);
	hvp_serial_write(prefix, sizeof(prefix) - 1);
	hvp_serial_write(line, n);
	hvp_spin_unlock(&serial_lock);
	if (console) {
		CHAR16 wide[256 + 2];
		size_t i, w = 0;

		for (i = 0; i < n && w < 256; i++) {
			if (line[i] == '\n')
				wide[w++] = L'\r';
			wide[w++] = (CHAR16)(unsigned char)line[i];
		}
		wide[w] = 0;
		uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut, L"hvpatch: ");
		uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut, wide);
	}
}

void loader_log(enum hvp_log_level level, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	size_t n;

	if (level > log_threshold)
		return;
	va_start(ap, fmt);
	n = hvp_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(line, n, true);
}

void loader_log_ap(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = hvp_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(line, n, false);
}
