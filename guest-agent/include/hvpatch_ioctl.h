/* SPDX-License-Identifier: MIT */
/*
 * /dev/hvpatch ioctls: the interface between hvpatch.ko and hvpatchctl.
 *
 * The module turns each ioctl into one hypercall (docs/hypercalls.md).  A
 * hypercall that the hypervisor answers, even with a refusal, makes the
 * ioctl return 0 with the hypervisor's enum hvp_status in `status`, so
 * that user space prints the exact refusal.  errno is kept for what is not
 * the hypervisor's answer:
 *   ENODEV  no hvpatch hypervisor (or it has no hypercalls)
 *   EPERM   the caller lacks CAP_SYS_ADMIN
 *   EFAULT  bad user pointer
 *   EINVAL  bad length or reserved field
 *   ENOMEM  the module could not allocate its pages
 */
#ifndef HVPATCH_IOCTL_H
#define HVPATCH_IOCTL_H

#include "hvpatch/abi.h"

#ifdef __KERNEL__
#include <linux/ioctl.h>
#else
#include <sys/ioctl.h>
#endif

#define HVPATCH_DEVICE "/dev/hvpatch"
#define HVPATCH_IOC_MAGIC 0xB7

/* APPLY: the bundle is copied into fresh kernel pages and handed to the
 * hypervisor as a page list. */
struct hvpatch_ioc_apply {
	hvp_u64 buf;      /* in: user pointer to the bundle */
	hvp_u32 len;      /* in: bytes, 1..HVP_MAX_BUNDLE_SIZE */
	hvp_u32 status;   /* out: enum hvp_status */
	hvp_u32 patch_id; /* out: when status is HVP_OK */
	hvp_u32 reserved; /* must be 0 */
};

struct hvpatch_ioc_revert {
	hvp_u32 patch_id; /* in */
	hvp_u32 status;   /* out: enum hvp_status */
};

/* STATUS, LIST, AUDIT, COUNTERS, HVLOG: the hypervisor writes one page,
 * which the module copies out whole. */
struct hvpatch_ioc_page {
	hvp_u64 arg;      /* in: AUDIT: first serial; HVLOG: offset; others: 0 */
	hvp_u64 result;   /* out: RBX (LIST, AUDIT: count; HVLOG: bytes) */
	hvp_u32 status;   /* out: enum hvp_status */
	hvp_u32 reserved; /* must be 0 */
	hvp_u8 page[HVP_PAGE_SIZE]; /* out */
};

#define HVPATCH_IOC_APPLY _IOWR(HVPATCH_IOC_MAGIC, 0x01, struct hvpatch_ioc_apply)
#define HVPATCH_IOC_REVERT _IOWR(HVPATCH_IOC_MAGIC, 0x02, struct hvpatch_ioc_revert)
#define HVPATCH_IOC_STATUS _IOWR(HVPATCH_IOC_MAGIC, 0x03, struct hvpatch_ioc_page)
#define HVPATCH_IOC_LIST _IOWR(HVPATCH_IOC_MAGIC, 0x04, struct hvpatch_ioc_page)
#define HVPATCH_IOC_AUDIT _IOWR(HVPATCH_IOC_MAGIC, 0x05, struct hvpatch_ioc_page)
#define HVPATCH_IOC_COUNTERS _IOWR(HVPATCH_IOC_MAGIC, 0x06, struct hvpatch_ioc_page)
#define HVPATCH_IOC_HVLOG _IOWR(HVPATCH_IOC_MAGIC, 0x07, struct hvpatch_ioc_page)

#define HVPATCH_AUDIT_MAX (HVP_PAGE_SIZE / sizeof(struct hvp_audit_event))

#endif /* HVPATCH_IOCTL_H */
