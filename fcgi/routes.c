/*
 * Every endpoint of the API, one line each. docs/openapi.yaml describes the
 * same list; tests/integration/test_api.py fails when the two disagree.
 */
#include "handlers.h"
#include "router.h"

const struct route route_table[] = {
	/* method  pattern              handler     auth       flags  body_max */
	{ "GET",   "/api/v1/health",    h_health,   AUTH_NONE, 0,     0 },
	{ "GET",   "/api/v1/version",   h_version,  AUTH_NONE, 0,     0 },
};

const size_t route_table_len = sizeof route_table / sizeof route_table[0];
