// SPDX-License-Identifier: MIT
#include "vmx/log.h"

#include "arch/x86/serial.h"
#include "arch/x86/spinlock.h"
#include "lib/byte_ring.h"
#include "lib/format.h"

static char ring_buf[HVP_LOG_RING_SIZE];
static struct {
	struct hvp_spinlock lock;
	enum hvp_log_level threshold;
	struct hvp_byte_ring ring;
} hv_log = { .ring = { .buf = ring_buf, .size = sizeof(ring_buf) } };

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
	hvp_byte_ring_write(&hv_log.ring, line, n);
	hvp_spin_unlock(&hv_log.lock);
}

void hvp_log(enum hvp_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hvp_vlog(level, fmt, ap);
	va_end(ap);
}

size_t hvp_log_read(uint64_t from, char *out, size_t max, uint64_t *start,
		    uint64_t *written)
{
	size_t n;

	hvp_spin_lock(&hv_log.lock);
	n = hvp_byte_ring_read(&hv_log.ring, from, out, max, start);
	*written = hv_log.ring.written;
	hvp_spin_unlock(&hv_log.lock);
	return n;
}
