// SPDX-License-Identifier: MIT
#include "core/log.h"

#include "arch/x86/serial.h"
#include "core/spinlock.h"
#include "lib/format.h"

static struct {
	struct hvp_spinlock lock;
	enum hvp_log_level threshold;
	unsigned long long written; /* bytes ever written; ring index = mod */
	char ring[HVP_LOG_RING_SIZE];
} hv_log;

void hvp_log_init(enum hvp_log_level threshold)
{
	hv_log.threshold = threshold;
	hvp_serial_init();
}

void hvp_vlog(enum hvp_log_level level, const char *fmt, va_list ap)
{
	static const char prefix[] = "HVPATCH: ";
	char line[256];
	size_t n;

	if (level > hv_log.threshold)
		return;
	n = hvp_vformat(line, sizeof(line), fmt, ap);
	hvp_spin_lock(&hv_log.lock);
	hvp_serial_write(prefix, sizeof(prefix) - 1);
	hvp_serial_write(line, n);
	for (size_t i = 0; i < n; i++)
		hv_log.ring[hv_log.written++ % HVP_LOG_RING_SIZE] = line[i];
	hvp_spin_unlock(&hv_log.lock);
}

void hvp_log(enum hvp_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hvp_vlog(level, fmt, ap);
	va_end(ap);
}
