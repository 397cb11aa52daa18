/*
 * libFuzzer target: a campaign message (JSON, as a tenant sends it to
 * POST /api/v1/campaigns) named and rendered for a recipient
 * (lib/campaign_msg.c): no crash, no leak, and a message that renders has
 * a type and content, with every placeholder it names given a value.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "campaign_msg.h"
#include "jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object	*msg = NULL, *names, *rv, *cv, *content = NULL;
	struct campaign_vars	 vars;
	const char		*type = NULL;
	char			 err[64], missing[80];
	size_t			 i;

	if (jsonx_parse((const char *)data, size, JSONX_MAX_DEPTH, &msg, err,
	    sizeof err) == -1)
		return 0;
	names = json_object_new_array();
	campaign_msg_names(msg, names);
	rv = json_object_new_object();
	cv = json_object_new_object();
	/* every name the message uses has a value: it must render */
	for (i = 0; i < json_object_array_length(names); i++)
		json_object_object_add(i % 2 ? rv : cv, json_object_get_string(
		    json_object_array_get_idx(names, i)),
		    json_object_new_string("v"));
	vars.recipient = rv;
	vars.campaign = cv;
	vars.name = NULL;
	vars.phone = "966501234567";
	missing[0] = '\0';
	if (json_object_is_type(msg, json_type_object) &&
	    campaign_msg_render(msg, &vars, &type, &content, missing,
	    sizeof missing) == 0) {
		if (content == NULL)
			__builtin_trap();
	} else if (json_object_is_type(msg, json_type_object) &&
	    missing[0] != '\0')
		__builtin_trap();	/* a name without a value: not listed */
	json_object_put(content);
	json_object_put(names);
	json_object_put(rv);
	json_object_put(cv);
	json_object_put(msg);
	return 0;
}
