/* Route matching: literals, parameters, 404 vs 405 with Allow. */
#include "router.h"
#include "tap.h"

static void h(struct req *r) { (void)r; }

static const struct route table[] = {
	{ "GET",    "/api/v1/instances",			h, AUTH_EITHER, ROLE_MEMBER, 0, 0 },
	{ "POST",   "/api/v1/instances",			h, AUTH_EITHER, ROLE_MEMBER, 0, 0 },
	{ "GET",    "/api/v1/instances/{id}",			h, AUTH_EITHER, ROLE_MEMBER, 0, 0 },
	{ "DELETE", "/api/v1/instances/{id}",			h, AUTH_EITHER, ROLE_MEMBER, 0, 0 },
	{ "POST",   "/api/v1/chats/{chatId}/read",		h, AUTH_EITHER, ROLE_MEMBER, 0, 0 },
	{ "GET",    "/api/v1/instances/{id}/state",		h, AUTH_EITHER, ROLE_MEMBER, 0, 0 },
	{ "GET",    "/api/v1/messages/{id}",			h, AUTH_EITHER, ROLE_MEMBER, 0, 0 },
	{ "POST",   "/api/v1/messages/send-text",		h, AUTH_EITHER, ROLE_MEMBER, 0, 0 },
	{ "POST",   "/api/v1/{kind}/send-text",			h, AUTH_EITHER, ROLE_MEMBER, 0, 0 },
};
#define N (sizeof table / sizeof table[0])

int
main(void)
{
	struct route_match	m;
	char			allow[64];

	ok(route_find(table, N, "GET", "/api/v1/instances", &m, allow,
	    sizeof allow) == ROUTE_FOUND && m.route == &table[0], "literal");
	ok(route_find(table, N, "POST", "/api/v1/instances", &m, allow,
	    sizeof allow) == ROUTE_FOUND && m.route == &table[1], "by method");
	ok(route_find(table, N, "GET", "/api/v1/instances/abc", &m, allow,
	    sizeof allow) == ROUTE_FOUND && m.route == &table[2], "parameter");
	is_str(route_param(&m, "id"), "abc", "parameter value");
	ok(route_param(&m, "i") == NULL, "no prefix match of names");
	ok(route_find(table, N, "POST", "/api/v1/chats/966501234567@c.us/read",
	    &m, allow, sizeof allow) == ROUTE_FOUND, "parameter mid-path");
	is_str(route_param(&m, "chatId"), "966501234567@c.us", "chat id");
	ok(route_find(table, N, "GET", "/api/v1/instances/abc/state", &m, allow,
	    sizeof allow) == ROUTE_FOUND && m.route == &table[5], "deeper");
	ok(route_find(table, N, "GET", "/api/v1/instances/", &m, allow,
	    sizeof allow) == ROUTE_NOT_FOUND, "empty parameter");
	ok(route_find(table, N, "GET", "/api/v1/instances/a/b", &m, allow,
	    sizeof allow) == ROUTE_NOT_FOUND, "extra segment");
	ok(route_find(table, N, "GET", "/api/v1/instance", &m, allow,
	    sizeof allow) == ROUTE_NOT_FOUND, "prefix of a literal");
	ok(route_find(table, N, "PUT", "/api/v1/instances/x", &m, allow,
	    sizeof allow) == ROUTE_METHOD_NOT_ALLOWED, "405");
	is_str(allow, "GET, HEAD, DELETE", "Allow lists the methods (HEAD with GET)");
	ok(route_find(table, N, "HEAD", "/api/v1/instances/abc", &m, allow,
	    sizeof allow) == ROUTE_FOUND && m.route == &table[2],
	    "HEAD is served by the GET route");
	ok(route_find(table, N, "HEAD", "/api/v1/instances/abc/state/x", &m,
	    allow, sizeof allow) == ROUTE_NOT_FOUND, "HEAD of nothing is 404");
	ok(route_find(table, N, "POST", "/api/v1/messages/send-text", &m, allow,
	    sizeof allow) == ROUTE_FOUND && m.route == &table[7],
	    "a literal segment wins over a parameter");
	ok(route_find(table, N, "GET", "/api/v1/messages/send-text", &m, allow,
	    sizeof allow) == ROUTE_METHOD_NOT_ALLOWED, "and is its own resource");
	is_str(allow, "POST", "so Allow lists only its methods");
	ok(route_find(table, N, "GET", "/api/v1/messages/abc", &m, allow,
	    sizeof allow) == ROUTE_FOUND && m.route == &table[6],
	    "any other segment is the parameter");
	ok(route_find(table, N, "POST", "/api/v1/chats/send-text", &m, allow,
	    sizeof allow) == ROUTE_FOUND && m.route == &table[8],
	    "a parameter matches where no literal does");
	return tap_done();
}
