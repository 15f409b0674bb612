// SPDX-License-Identifier: MIT
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "keys.h"
#include "lib/bytes.h"
#include "patch/verify.h"

static void usage(void)
{
	puts("usage: hvpatch verify --key PUB.pem [--build-id HEX] BUNDLE\n"
	     "\n"
	     "Runs the hypervisor's own parser and signature check on BUNDLE,\n"
	     "and with --build-id also its build check. Prints OK, or the\n"
	     "refusal the hypervisor would give (exit code 3).");
}

static int refuse(enum hvp_status status)
{
	printf("REFUSED: %s: %s\n", hvp_status_name(status), hvp_status_text(status));
	return EXIT_REFUSED;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "build-id", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *key_path = NULL, *build_hex = NULL;
	uint8_t build_id[HVP_BUILD_ID_MAX];
	struct hvp_bundle_view view;
	struct hvp_pubkey key;
	enum hvp_status status;
	size_t build_len = 0;
	struct buffer buf;
	int c;

	while ((c = getopt_long(argc, argv, "k:b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': key_path = optarg; break;
		case 'b': build_hex = optarg; break;
		case 'h': usage(); return EXIT_OK;
		default: usage(); return EXIT_USAGE;
		}
	}
	if (!key_path || optind != argc - 1) {
		usage();
		return EXIT_USAGE;
	}
	if (build_hex && !parse_hex(build_hex, build_id, sizeof(build_id),
				    &build_len)) {
		errorf("--build-id: expected 1 to %d bytes of hex",
		       HVP_BUILD_ID_MAX);
		return EXIT_USAGE;
	}
	if (!public_key_load(key_path, &key))
		return EXIT_INPUT;
	if (!read_file(argv[optind], &buf))
		return EXIT_INPUT;
	status = hvp_bundle_parse(buf.data, buf.len, &view);
	if (status != HVP_OK)
		return refuse(status);
	status = hvp_bundle_check_signature(&view, &key);
	if (status != HVP_OK)
		return refuse(status);
	if (build_hex && (view.header->build_id_len != build_len ||
			  !hvp_bytes_equal(view.header->build_id, build_id,
					   build_len)))
		return refuse(HVP_E_WRONG_BUILD);
	printf("OK: signature valid, sequence %llu, %u replacement(s)\n",
	       (unsigned long long)view.header->sequence,
	       view.header->replacement_count);
	return EXIT_OK;
}
