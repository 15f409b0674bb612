// SPDX-License-Identifier: MIT
#include "config.h"

#include <stdbool.h>

/* Freestanding: the loader has no libc, so the few string helpers it
 * needs are here, bounded by the destination size. */
static size_t bounded_copy(char *dst, size_t max, const char *src, size_t len)
{
	size_t n = len < max - 1 ? len : max - 1;

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
	dst[n] = '\0';
	return n;
}

static bool token_is(const char *s, size_t len, const char *word)
{
	size_t i = 0;

	for (; i < len && word[i]; i++)
		if (s[i] != word[i])
			return false;
	return i == len && word[i] == '\0';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void problem(struct hvp_loader_config *cfg, unsigned int line,
		    const char *what, const char *s, size_t len)
{
	char *out;
	size_t at = 0, max = HVP_CONFIG_PROBLEM_LEN;
	unsigned int digits = 1;

	if (cfg->problem_count == HVP_CONFIG_MAX_PROBLEMS)
		return;
	out = cfg->problems[cfg->problem_count++];
	at += bounded_copy(out + at, max - at, "line ", 5);
	for (unsigned int v = line; v >= 10; v /= 10)
		digits++;
	for (unsigned int d = digits, v = line; d > 0 && at + d < max; d--, v /= 10)
		out[at + d - 1] = (char)('0' + v % 10);
	at += digits;
	at += bounded_copy(out + at, max - at, ": ", 2);
	while (*what && at < max - 1)
		out[at++] = *what++;
	at += bounded_copy(out + at, max - at, " '", 2);
	at += bounded_copy(out + at, max - at, s, len > 40 ? 40 : len);
	bounded_copy(out + at, max - at, "'", 1);
}

void hvp_config_defaults(struct hvp_loader_config *cfg)
{
	*cfg = (struct hvp_loader_config){
		.policy = HVP_POLICY_FAIL_CLOSED,
		.log_level = HVP_LOG_INFO,
		.kernel_exec = HVP_KERNEL_EXEC_APPROVED,
	};
	bounded_copy(cfg->next_stage, sizeof(cfg->next_stage),
		     HVP_DEFAULT_NEXT_STAGE, sizeof(HVP_DEFAULT_NEXT_STAGE) - 1);
}

/* A path on the ESP: starts with '\', printable ASCII, fits. */
static bool valid_path(const char *s, size_t len)
{
	if (len == 0 || len >= HVP_CONFIG_PATH_MAX || s[0] != '\\')
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

static void apply_setting(struct hvp_loader_config *cfg, unsigned int line,
			  const char *key, size_t key_len, const char *value,
			  size_t value_len)
{
	static const char *const policies[] = { "fail-closed", "fail-open" };
	static const char *const levels[] = { "error", "warn", "info", "debug" };

	if (token_is(key, key_len, "next_stage")) {
		if (valid_path(value, value_len))
			bounded_copy(cfg->next_stage, sizeof(cfg->next_stage),
				     value, value_len);
		else
			problem(cfg, line, "next_stage must be a \\path, ignored", value, value_len);
	} else if (token_is(key, key_len, "next_stage_options")) {
		if (value_len < sizeof(cfg->next_stage_options))
			bounded_copy(cfg->next_stage_options,
				     sizeof(cfg->next_stage_options), value, value_len);
		else
			problem(cfg, line, "next_stage_options too long, ignored", value, value_len);
	} else if (token_is(key, key_len, "policy")) {
		for (unsigned int i = 0; i < 2; i++)
			if (token_is(value, value_len, policies[i])) {
				cfg->policy = (enum hvp_policy)i;
				return;
			}
		problem(cfg, line, "policy must be fail-closed or fail-open; keeping fail-closed",
			value, value_len);
		cfg->policy = HVP_POLICY_FAIL_CLOSED;
	} else if (token_is(key, key_len, "log_level")) {
		for (unsigned int i = 0; i < 4; i++)
			if (token_is(value, value_len, levels[i])) {
				cfg->log_level = (enum hvp_log_level)i;
				return;
			}
		problem(cfg, line, "unknown log_level, ignored", value, value_len);
	} else if (token_is(key, key_len, "kernel_exec")) {
		for (unsigned int i = HVP_KERNEL_EXEC_APPROVED; i <= HVP_KERNEL_EXEC_ANY; i++)
			if (token_is(value, value_len, hvp_kernel_exec_name(i))) {
				cfg->kernel_exec = (enum hvp_kernel_exec_mode)i;
				return;
			}
		problem(cfg, line, "kernel_exec must be approved or any; keeping approved",
			value, value_len);
		cfg->kernel_exec = HVP_KERNEL_EXEC_APPROVED;
	} else if (token_is(key, key_len, "key")) {
		if (!valid_path(value, value_len))
			problem(cfg, line, "key must be a \\path, ignored", value, value_len);
		else if (cfg->key_count == HVP_CONFIG_MAX_KEYS)
			problem(cfg, line, "too many keys, ignored", value, value_len);
		else
			bounded_copy(cfg->keys[cfg->key_count++], HVP_CONFIG_PATH_MAX,
				     value, value_len);
	} else {
		problem(cfg, line, "unknown setting, ignored", key, key_len);
	}
}

void hvp_config_parse(struct hvp_loader_config *cfg, const char *text,
		      size_t len)
{
	size_t pos = 0;
	unsigned int line = 0;

	hvp_config_defaults(cfg);
	/* A UTF-8 byte-order mark, as some editors write, is not a key. */
	if (len >= 3 && (unsigned char)text[0] == 0xef &&
	    (unsigned char)text[1] == 0xbb && (unsigned char)text[2] == 0xbf)
		pos = 3;
	while (pos < len) {
		size_t start = pos, end, eq, k_end, v_start;

		line++;
		while (pos < len && text[pos] != '\n')
			pos++;
		end = pos++;
		while (start < end && is_space(text[start]))
			start++;
		while (end > start && is_space(text[end - 1]))
			end--;
		if (start == end || text[start] == '#')
			continue;
		for (eq = start; eq < end && text[eq] != '='; eq++)
			;
		if (eq == end) {
			problem(cfg, line, "not 'key = value', ignored", text + start, end - start);
			continue;
		}
		for (k_end = eq; k_end > start && is_space(text[k_end - 1]); k_end--)
			;
		for (v_start = eq + 1; v_start < end && is_space(text[v_start]); v_start++)
			;
		apply_setting(cfg, line, text + start, k_end - start,
			      text + v_start, end - v_start);
	}
}

const char *hvp_policy_name(enum hvp_policy policy)
{
	return policy == HVP_POLICY_FAIL_OPEN ? "fail-open" : "fail-closed";
}

const char *hvp_log_level_name(enum hvp_log_level level)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	return level <= HVP_LOG_DEBUG ? names[level] : "?";
}
