// SPDX-License-Identifier: MIT
/* The real backend: /dev/hvpatch and its ioctls (hvpatch_ioctl.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hvpctl.h"

static int dev_fd = -1;

int hvpctl_dev_open(void)
{
	if (dev_fd >= 0)
		return 0;
	dev_fd = open(HVPATCH_DEVICE, O_RDWR | O_CLOEXEC);
	return dev_fd < 0 ? -errno : 0;
}

int hvpctl_dev_ioctl(unsigned long cmd, void *arg)
{
	return ioctl(dev_fd, cmd, arg) < 0 ? -errno : 0;
}
