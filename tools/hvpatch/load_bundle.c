// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* An unsigned bundle is the signed part alone.  To run the one parser on
 * it, append a placeholder signature block that no key can verify. */
static bool add_placeholder_signature(struct buffer *buf)
{
	static const uint8_t placeholder_der[8] = { 0x30, 0x06, 0x02, 0x01,
						    0x00, 0x02, 0x01, 0x00 };
	struct hvp_bundle_signature sig = {
		.magic = { 'S', 'I', 'G', '1' },
		.algorithm = HVP_SIG_ECDSA_P256_SHA256,
		.der_len = sizeof(placeholder_der),
	};
	size_t len = buf->len + sizeof(sig) + sizeof(placeholder_der);
	uint8_t *data = aligned_alloc(8, (len + 7) & ~(size_t)7);

	if (!data)
		return false;
	memcpy(data, buf->data, buf->len);
	memcpy(data + buf->len, &sig, sizeof(sig));
	memcpy(data + buf->len + sizeof(sig), placeholder_der,
	       sizeof(placeholder_der));
	free(buf->data);
	buf->data = data;
	buf->len = len;
	return true;
}

bool load_bundle(const char *path, bool allow_unsigned, struct buffer *buf,
		 struct hvp_bundle_view *view, bool *is_signed)
{
	const struct hvp_bundle_header *h;
	enum hvp_status status;

	if (!read_file(path, buf))
		return false;
	h = (const void *)buf->data;
	*is_signed = !(buf->len >= sizeof(*h) && h->signed_size == buf->len);
	if (!*is_signed) {
		if (!allow_unsigned) {
			errorf("%s: bundle is not signed (run hvpatch sign)",
			       path);
			return false;
		}
		if (!add_placeholder_signature(buf))
			return false;
	}
	status = hvp_bundle_parse(buf->data, buf->len, view);
	if (status != HVP_OK) {
		errorf("%s: malformed bundle: %s: %s", path,
		       hvp_status_name(status), hvp_status_text(status));
		return false;
	}
	return true;
}
