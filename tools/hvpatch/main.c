// SPDX-License-Identifier: MIT
/* hvpatch: the host tool for signed live-patch bundles. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "keygen", cmd_keygen, "make an ECDSA P-256 signing key pair (PEM)" },
	{ "build", cmd_build, "patch object + kernel symbols → unsigned bundle" },
	{ "sign", cmd_sign, "sign a bundle with a private key" },
	{ "verify", cmd_verify, "check a bundle as the hypervisor would" },
	{ "inspect", cmd_inspect, "print a bundle (text or --json)" },
	{ "split", cmd_split, "cut out the signed part and signature for openssl" },
};

static void usage(FILE *out)
{
	fputs("usage: hvpatch COMMAND [OPTIONS]   (hvpatch COMMAND --help)\n\n",
	      out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nexit codes: 0 success, 1 usage error, 2 unreadable or malformed\n"
	      "input, 3 bundle refused by verify, 4 internal error\n"
	      "bundle format: docs/bundle-format.md\n",
	      out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "hvpatch: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
