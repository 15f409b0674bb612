// SPDX-License-Identifier: MIT
/*
 * Copy once: the guest's bundle pages become one buffer in hypervisor
 * memory, and every later stage reads only that buffer.  A guest that
 * rewrites its pages while the hypercall runs (from another vCPU) changes
 * nothing we look at.  Each guest byte is read exactly once.
 */
#include "patch/internal.h"

enum hvp_status hvp_copy_in(struct hvp_engine *e, uint64_t page_list_gpa,
			    size_t *len)
{
	const struct hvp_platform *p = e->platform;
	uint64_t pages[HVP_PAGE_LIST_MAX_PAGES];
	struct hvp_page_list list;
	enum hvp_status status;
	uint32_t expected_pages;

	if (page_list_gpa % sizeof(uint64_t) != 0 ||
	    page_list_gpa % HVP_PAGE_SIZE >
		    HVP_PAGE_SIZE - sizeof(list) - sizeof(uint64_t))
		return HVP_E_INVALID;
	status = p->read_gpa(p->ctx, page_list_gpa, &list, sizeof(list));
	if (status != HVP_OK)
		return status;
	if (list.length > HVP_MAX_BUNDLE_SIZE)
		return HVP_E_TOO_LARGE;
	expected_pages = (list.length + HVP_PAGE_SIZE - 1) / HVP_PAGE_SIZE;
	if (list.length == 0 || list.page_count != expected_pages)
		return HVP_E_INVALID;
	/* The page array must end inside the descriptor page. */
	if (page_list_gpa % HVP_PAGE_SIZE + sizeof(list) +
		    (uint64_t)expected_pages * sizeof(uint64_t) >
	    HVP_PAGE_SIZE)
		return HVP_E_INVALID;
	status = p->read_gpa(p->ctx, page_list_gpa + sizeof(list), pages,
			     expected_pages * sizeof(uint64_t));
	if (status != HVP_OK)
		return status;

	for (uint32_t i = 0; i < expected_pages; i++) {
		uint32_t offset = i * HVP_PAGE_SIZE;
		uint32_t chunk = list.length - offset;

		if (chunk > HVP_PAGE_SIZE)
			chunk = HVP_PAGE_SIZE;
		if (pages[i] % HVP_PAGE_SIZE != 0)
			return HVP_E_INVALID;
		status = p->read_gpa(p->ctx, pages[i], e->bundle + offset,
				     chunk);
		if (status != HVP_OK)
			return status;
	}
	*len = list.length;
	return HVP_OK;
}
