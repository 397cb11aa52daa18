/*
 * libFuzzer target: a Cloud API webhook body as the engine reads it (the
 * same jsonx_parse, then the cloud provider's parse_inbound). Whatever the
 * input, parsing ends with a result and every item handed on keeps the
 * contract the sink relies on.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check_item(void *arg, const struct inbound_item *it, char *err, size_t errlen)
{
	(void)arg;
	(void)err;
	(void)errlen;
	if (it->provider_id == NULL || it->provider_id[0] == '\0')
		__builtin_trap();
	if (it->kind == INBOUND_MESSAGE) {
		if (it->from == NULL || it->from[0] == '\0' ||
		    it->from[strspn(it->from, "0123456789")] != '\0' ||
		    it->type == NULL || it->content == NULL || it->unix_ts < 0)
			__builtin_trap();
		(void)jsonx_string(it->content);
	} else if (it->status == NULL)
		__builtin_trap();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object	*o = NULL;
	char			 err[512];
	int			 rc;

	if (jsonx_parse((const char *)data, size, JSONX_MAX_DEPTH, &o, err,
	    sizeof err) == 0) {
		rc = cloud_parse_inbound(o, check_item, NULL, err, sizeof err);
		if (rc != INBOUND_OK && rc != INBOUND_MALFORMED)
			__builtin_trap();
		if (rc == INBOUND_MALFORMED && strncmp(err, "malformed", 9) != 0)
			__builtin_trap();
	}
	json_object_put(o);
	return 0;
}
