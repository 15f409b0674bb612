// SPDX-License-Identifier: MIT
#include <getopt.h>
#include <stdio.h>

#include "bundle_writer.h"
#include "commands.h"
#include "keys.h"
#include "patch/verify.h"

static void usage(void)
{
	puts("usage: hvpatch sign --key PRIV.pem IN -o OUT\n"
	     "\n"
	     "Signs a bundle: sets its key id from the key (it is part of the\n"
	     "signed bytes), then appends the SIG1 block with an ECDSA P-256\n"
	     "signature of SHA-256 over everything before it. A signed input\n"
	     "is signed again, replacing its old signature.");
}

int cmd_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *key = NULL, *output = NULL;
	struct hvp_bundle_view view;
	struct buffer in, out;
	struct signer s;
	bool is_signed;
	int c;

	while ((c = getopt_long(argc, argv, "k:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': key = optarg; break;
		case 'o': output = optarg; break;
		case 'h': usage(); return EXIT_OK;
		default: usage(); return EXIT_USAGE;
		}
	}
	if (!key || !output || optind != argc - 1) {
		usage();
		return EXIT_USAGE;
	}
	if (!load_bundle(argv[optind], true, &in, &view, &is_signed))
		return EXIT_INPUT;
	if (!signer_load(key, &s))
		return EXIT_INPUT;
	if (!bundle_sign(&s, &in, &out)) {
		errorf("signing failed");
		return EXIT_INTERNAL;
	}
	/* Check our own output with the hypervisor's parser and verifier. */
	if (hvp_bundle_parse(out.data, out.len, &view) != HVP_OK ||
	    hvp_bundle_check_signature(&view, &s.public_key) != HVP_OK) {
		errorf("internal error: the signed bundle does not verify");
		return EXIT_INTERNAL;
	}
	signer_free(&s);
	return write_file(output, out.data, out.len, 0644) ? EXIT_OK :
							     EXIT_INTERNAL;
}
