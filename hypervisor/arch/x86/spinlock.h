/* SPDX-License-Identifier: MIT */
/* A test-and-test-and-set lock for the few structures CPUs share in VMX
 * root (the log, the page pool).  Holders never take a second lock. */
#ifndef HVPATCH_ARCH_X86_SPINLOCK_H
#define HVPATCH_ARCH_X86_SPINLOCK_H

#include <stdbool.h>

struct hvp_spinlock {
	volatile int held;
};

static inline void hvp_spin_lock(struct hvp_spinlock *l)
{
	while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->held, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

/* For code that must not spin in VMX root: false if the lock is held. */
static inline bool hvp_spin_trylock(struct hvp_spinlock *l)
{
	return !__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE);
}

static inline void hvp_spin_unlock(struct hvp_spinlock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif /* HVPATCH_ARCH_X86_SPINLOCK_H */
