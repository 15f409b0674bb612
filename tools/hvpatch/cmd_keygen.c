// SPDX-License-Identifier: MIT
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "keys.h"

static void usage(void)
{
	puts("usage: hvpatch keygen --out-private PRIV.pem --out-public PUB.pem\n"
	     "\n"
	     "Makes an ECDSA P-256 signing key pair. The private key is written\n"
	     "as SEC1 PEM (mode 0600), the public key as SubjectPublicKeyInfo\n"
	     "PEM; OpenSSL reads both, and OpenSSL-made P-256 keys work in their\n"
	     "place. Prints the key id: SHA-256 of the DER public key.");
}

int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out-private", required_argument, NULL, 'k' },
		{ "out-public", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *priv = NULL, *pub = NULL;
	char id[2 * HVP_KEY_ID_LEN + 1];
	struct signer s;
	int c, rc = EXIT_INTERNAL;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': priv = optarg; break;
		case 'p': pub = optarg; break;
		case 'h': usage(); return EXIT_OK;
		default: usage(); return EXIT_USAGE;
		}
	}
	if (!priv || !pub) {
		usage();
		return EXIT_USAGE;
	}
	if (signer_generate(&s) && signer_write(&s, priv, pub)) {
		hex_string(s.public_key.key_id, HVP_KEY_ID_LEN, id);
		printf("key id %s\n", id);
		rc = EXIT_OK;
	} else {
		errorf("key generation failed");
	}
	signer_free(&s);
	return rc;
}
