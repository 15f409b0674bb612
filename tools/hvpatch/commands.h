/* SPDX-License-Identifier: MIT */
#ifndef HVPATCH_TOOL_COMMANDS_H
#define HVPATCH_TOOL_COMMANDS_H

#include <stdbool.h>

#include "patch/bundle.h"
#include "util.h"

int cmd_keygen(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_split(int argc, char **argv);

/*
 * Reads and parses a bundle.  An unsigned bundle (no signature block) is
 * accepted only when allow_unsigned, for inspect; *is_signed tells which.
 */
bool load_bundle(const char *path, bool allow_unsigned, struct buffer *buf,
		 struct hvp_bundle_view *view, bool *is_signed);

#endif /* HVPATCH_TOOL_COMMANDS_H */
