// SPDX-License-Identifier: MIT
#include "patch/verify.h"

#include "lib/bytes.h"
#include "patch/internal.h"

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

/*
 * The verify stage: who signed it, for which kernel, and is it newer than
 * anything that key signed before.  Nothing here touches the guest.
 */
enum hvp_status hvp_verify_bundle(struct hvp_engine *e,
				  const struct hvp_bundle_view *view,
				  uint32_t *key_index)
{
	const struct hvp_bundle_header *h = view->header;
	enum hvp_status status;
	uint32_t k;

	for (k = 0; k < e->key_count; k++)
		if (hvp_bytes_equal(e->keys[k].key_id, h->key_id,
				    HVP_KEY_ID_LEN))
			break;
	if (k == e->key_count)
		return HVP_E_UNKNOWN_KEY;
	status = hvp_bundle_check_signature(view, &e->keys[k]);
	if (status != HVP_OK)
		return status;
	if (h->build_id_len != e->build_id_len ||
	    !hvp_bytes_equal(h->build_id, e->build_id, e->build_id_len))
		return HVP_E_WRONG_BUILD;
	if (h->sequence <= e->last_sequence[k])
		return HVP_E_REPLAY;
	*key_index = k;
	return HVP_OK;
}
