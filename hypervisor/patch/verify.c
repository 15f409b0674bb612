// SPDX-License-Identifier: MIT
#include "patch/verify.h"

#include "lib/bytes.h"

enum hvp_status hvp_bundle_check_signature(const struct hvp_bundle_view *view,
					   const struct hvp_pubkey *key)
{
	uint8_t digest[HVP_SHA256_LEN];

	if (!hvp_bytes_equal(view->header->key_id, key->key_id,
			     HVP_KEY_ID_LEN))
		return HVP_E_UNKNOWN_KEY;
	hvp_sha256(view->signed_part, view->header->signed_size, digest);
	if (hvp_ecdsa_p256_verify(key, digest, view->signature_der,
				  view->signature->der_len) != 0)
		return HVP_E_BAD_SIGNATURE;
	return HVP_OK;
}
