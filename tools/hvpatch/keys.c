// SPDX-License-Identifier: MIT
#include "keys.h"

#include <string.h>

#include <mbedtls/ecp.h>

#include "hvpatch/abi.h"
#include "util.h"

static bool is_p256(mbedtls_pk_context *pk, const char *path)
{
	if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY ||
	    mbedtls_pk_ec(*pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
		errorf("%s: not an ECDSA P-256 key", path);
		return false;
	}
	return true;
}

/* The key id is over the DER SubjectPublicKeyInfo (docs/bundle-format.md). */
static bool pk_to_hvp(mbedtls_pk_context *pk, struct hvp_pubkey *key)
{
	uint8_t der[256];
	int len = mbedtls_pk_write_pubkey_der(pk, der, sizeof(der));

	/* mbedtls writes DER at the end of the buffer. */
	return len > 0 &&
	       hvp_pubkey_from_spki_der(der + sizeof(der) - len, (size_t)len,
					key) == 0;
}

static bool seed(struct signer *s)
{
	static const char personal[] = "hvpatch";

	mbedtls_entropy_init(&s->entropy);
	mbedtls_ctr_drbg_init(&s->drbg);
	return mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func,
				     &s->entropy, (const uint8_t *)personal,
				     sizeof(personal)) == 0;
}

bool signer_load(const char *private_pem, struct signer *s)
{
	memset(s, 0, sizeof(*s));
	mbedtls_pk_init(&s->pk);
	if (!seed(s))
		return false;
	if (mbedtls_pk_parse_keyfile(&s->pk, private_pem, NULL) != 0) {
		errorf("%s: cannot read the private key (PEM, PKCS#8 or SEC1, unencrypted)",
		       private_pem);
		return false;
	}
	return is_p256(&s->pk, private_pem) && pk_to_hvp(&s->pk, &s->public_key);
}

bool signer_generate(struct signer *s)
{
	memset(s, 0, sizeof(*s));
	mbedtls_pk_init(&s->pk);
	return seed(s) &&
	       mbedtls_pk_setup(&s->pk,
				mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0 &&
	       mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(s->pk),
				   mbedtls_ctr_drbg_random, &s->drbg) == 0 &&
	       pk_to_hvp(&s->pk, &s->public_key);
}

bool signer_write(struct signer *s, const char *private_pem,
		  const char *public_pem)
{
	uint8_t pem[1024];

	if (mbedtls_pk_write_key_pem(&s->pk, pem, sizeof(pem)) != 0 ||
	    !write_file(private_pem, pem, strlen((char *)pem), 0600))
		return false;
	return mbedtls_pk_write_pubkey_pem(&s->pk, pem, sizeof(pem)) == 0 &&
	       write_file(public_pem, pem, strlen((char *)pem), 0644);
}

bool signer_sign(struct signer *s, const uint8_t *data, size_t len,
		 uint8_t *sig, size_t *sig_len)
{
	uint8_t digest[HVP_SHA256_LEN];
	uint8_t der[MBEDTLS_PK_SIGNATURE_MAX_SIZE];

	hvp_sha256(data, len, digest);
	if (mbedtls_pk_sign(&s->pk, MBEDTLS_MD_SHA256, digest, sizeof(digest),
			    der, sig_len, mbedtls_ctr_drbg_random,
			    &s->drbg) != 0 ||
	    *sig_len > HVP_SIG_DER_MAX)
		return false;
	memcpy(sig, der, *sig_len);
	return true;
}

void signer_free(struct signer *s)
{
	mbedtls_pk_free(&s->pk);
	mbedtls_ctr_drbg_free(&s->drbg);
	mbedtls_entropy_free(&s->entropy);
}

bool public_key_load(const char *public_pem, struct hvp_pubkey *key)
{
	mbedtls_pk_context pk;
	bool ok;

	mbedtls_pk_init(&pk);
	if (mbedtls_pk_parse_public_keyfile(&pk, public_pem) != 0) {
		errorf("%s: cannot read the public key (PEM SubjectPublicKeyInfo)",
		       public_pem);
		mbedtls_pk_free(&pk);
		return false;
	}
	ok = is_p256(&pk, public_pem) && pk_to_hvp(&pk, key);
	mbedtls_pk_free(&pk);
	return ok;
}
