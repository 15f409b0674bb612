/* SPDX-License-Identifier: MIT */
/*
 * Bundle verification: is this parsed bundle signed by an enrolled key?
 * Shared by the hypervisor's patch engine and the host tool's `verify`, so
 * that both accept exactly the same bundles.
 */
#ifndef HVPATCH_PATCH_VERIFY_H
#define HVPATCH_PATCH_VERIFY_H

#include "hvp_crypto.h"
#include "patch/bundle.h"

/*
 * HVP_OK when the header's key id names key and the signature block holds
 * a valid ECDSA P-256 signature of SHA-256(signed part) by that key;
 * HVP_E_UNKNOWN_KEY or HVP_E_BAD_SIGNATURE otherwise.
 */
enum hvp_status hvp_bundle_check_signature(const struct hvp_bundle_view *view,
					   const struct hvp_pubkey *key);

#endif /* HVPATCH_PATCH_VERIFY_H */
