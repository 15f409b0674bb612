# hypervisor/core: the portable core (no hardware instructions), compiled
# into host tests here and into the hypervisor by the VMX build.
CORE_SRCS := hypervisor/core/ept.c hypervisor/core/guest_walk.c
