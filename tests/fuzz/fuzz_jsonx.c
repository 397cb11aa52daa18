/* libFuzzer target: the strict JSON parser that every request body meets. */
#include <stddef.h>
#include <stdint.h>

#include "jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object	*o = NULL;
	char			 err[128];

	if (jsonx_parse((const char *)data, size, JSONX_MAX_DEPTH, &o, err,
	    sizeof err) == 0) {
		/* what parsed must serialise and parse back */
		const char *s = jsonx_string(o);
		struct json_object *again = NULL;

		if (jsonx_parse(s, __builtin_strlen(s), JSONX_MAX_DEPTH + 1,
		    &again, err, sizeof err) != 0)
			__builtin_trap();
		json_object_put(again);
	}
	json_object_put(o);
	return 0;
}
