#include "settings.h"

#include <string.h>

#include "jsonx.h"

struct json_object *
settings_merge(const char *defaults, const char *stored)
{
	struct json_object	*o = NULL, *s = NULL;
	char			 err[64];

	if (jsonx_parse(defaults, strlen(defaults), JSONX_MAX_DEPTH, &o, err,
	    sizeof err) == -1)
		o = json_object_new_object();
	if (stored != NULL && jsonx_parse(stored, strlen(stored),
	    JSONX_MAX_DEPTH, &s, err, sizeof err) == 0 &&
	    json_object_is_type(s, json_type_object)) {
		json_object_object_foreach(s, k, v)
			json_object_object_add(o, k, json_object_get(v));
	}
	json_object_put(s);
	return o;
}
