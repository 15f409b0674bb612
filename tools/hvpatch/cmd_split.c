// SPDX-License-Identifier: MIT
#include <getopt.h>
#include <stdio.h>

#include "commands.h"

static void usage(void)
{
	puts("usage: hvpatch split BUNDLE --signed-part FILE --signature FILE\n"
	     "\n"
	     "Cuts a signed bundle into the bytes that were signed and the DER\n"
	     "signature, for: openssl dgst -sha256 -verify PUB.pem\n"
	     "                -signature FILE FILE");
}

int cmd_split(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signed-part", required_argument, NULL, 's' },
		{ "signature", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *part = NULL, *sig = NULL;
	struct hvp_bundle_view view;
	struct buffer buf;
	bool is_signed;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': part = optarg; break;
		case 'g': sig = optarg; break;
		case 'h': usage(); return EXIT_OK;
		default: usage(); return EXIT_USAGE;
		}
	}
	if (!part || !sig || optind != argc - 1) {
		usage();
		return EXIT_USAGE;
	}
	if (!load_bundle(argv[optind], false, &buf, &view, &is_signed))
		return EXIT_INPUT;
	if (!write_file(part, view.signed_part, view.header->signed_size, 0644) ||
	    !write_file(sig, view.signature_der, view.signature->der_len, 0644))
		return EXIT_INTERNAL;
	return EXIT_OK;
}
