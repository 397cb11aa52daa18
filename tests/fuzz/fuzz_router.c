/* libFuzzer target: route matching of request paths from outside. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct route_match	m;
	char			path[1024], allow[128];

	if (size >= sizeof path)
		return 0;
	memcpy(path, data, size);
	path[size] = '\0';
	(void)route_find(route_table, route_table_len, "GET", path, &m, allow,
	    sizeof allow);
	(void)route_find(route_table, route_table_len, "POST", path, &m, allow,
	    sizeof allow);
	return 0;
}
