/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HVP_ATTACK_PIN_ATTACKS_H
#define HVP_ATTACK_PIN_ATTACKS_H

/* The attack named by mode (dr7, lstar, idt), reported in the kernel log;
 * -EINVAL for another mode.  target is a kernel function's address. */
int hvp_attack_pins(const char *mode, unsigned long target);

#endif
