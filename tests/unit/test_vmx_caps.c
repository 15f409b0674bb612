// SPDX-License-Identifier: MIT
/*
 * The VT-x capability verdict (arch/x86/vmx_caps.c): what the loader
 * refuses, and says why, before it tries VMXON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86/vmx_caps.h"
/* What Bochs's icelake model reports, per the boot log. */
static struct hvp_vmx_caps usable_caps(void)
{
	return (struct hvp_vmx_caps){
		.cpuid_vmx = true,
		.feature_control = 0,
		.procbased = 0xfff9fffe0401e172ull,
		.procbased2 = 0x02977fff00000000ull,
		.entry = 0x0003ffff000011ffull,
		.exit = 0x01ffffff00036dffull,
		.ept_vpid = 0xf0106334141ull,
	};
}

static void vmx_verdicts(void **state)
{
	struct hvp_vmx_caps c = usable_caps();
	const char *why;

	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_USABLE);
	c.feature_control = 1; /* locked, VMX outside SMX off */
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_LOCKED_OFF);
	assert_non_null(strstr(why, "locked off"));
	c.feature_control = 5; /* locked, on */
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_USABLE);
	c = usable_caps();
	c.cpuid_vmx = false;
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_ABSENT);
	c = usable_caps();
	c.procbased2 &= ~((uint64_t)VMX_PROC2_EPT << 32);
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_MISSING_FEATURE);
	assert_non_null(strstr(why, "EPT"));
	c = usable_caps();
	c.procbased2 &= ~((uint64_t)VMX_PROC2_UNRESTRICTED_GUEST << 32);
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_MISSING_FEATURE);
	assert_non_null(strstr(why, "unrestricted"));
	c = usable_caps();
	c.ept_vpid &= ~VMX_EPT_WB;
	assert_int_equal(hvp_vmx_check(&c, &why), HVP_VMX_MISSING_FEATURE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmx_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
