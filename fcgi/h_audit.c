/*
 * The audit log, newest first in pages by cursor: the tenant's (for
 * admins), and a user's own entries (the profile page's activity history).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"

#define AUDIT_PAGE_MAX	200

/* Whose entries a page holds, and the statement that reads them: $1 the
 * cursor, $2 the limit, $3 (when nparams is 3) the caller's user id. */
enum audit_scope { AUDIT_TENANT, AUDIT_USER };
static const struct {
	const char	*sql;
	int		 nparams;
} audit_scopes[] = {
	[AUDIT_TENANT] = { "SELECT id, action, user_id, api_key_id, ip, "
	    "details::text, created_at FROM audit_log WHERE id < $1::bigint "
	    "ORDER BY id DESC LIMIT $2::int", 2 },
	[AUDIT_USER] = { "SELECT id, action, user_id, api_key_id, ip, "
	    "details::text, created_at FROM audit_log WHERE user_id = $3::uuid "
	    "AND id < $1::bigint ORDER BY id DESC LIMIT $2::int", 3 },
};

static struct json_object *
audit_entry(PGresult *res, int i)
{
	struct json_object	*e = json_object_new_object(), *d = NULL;
	char			 err[32];

	jsonx_add_str(e, "id", PQgetvalue(res, i, 0));
	jsonx_add_str(e, "action", PQgetvalue(res, i, 1));
	jsonx_add_str(e, "userId", api_value(res, i, 2));
	jsonx_add_str(e, "apiKeyId", api_value(res, i, 3));
	jsonx_add_str(e, "ip", api_value(res, i, 4));
	if (jsonx_parse(PQgetvalue(res, i, 5), (size_t)PQgetlength(res, i, 5),
	    JSONX_MAX_DEPTH, &d, err, sizeof err) == -1)
		d = json_object_new_object();
	json_object_object_add(e, "details", d);
	api_add_time(e, "createdAt", PQgetvalue(res, i, 6));
	return e;
}

/* Answers one page (?cursor, ?limit) of scope's entries: {items, nextCursor}. */
static void
audit_page(struct req *r, enum audit_scope scope)
{
	struct json_object	*body, *items;
	char			 cursor[24], limit[8];
	const char		*params[3];
	PGresult		*res;
	long			 c, n;
	int			 i;

	if ((c = query_long(r, "cursor", 0x7fffffffffffffffL,
	    0x7fffffffffffffffL)) == -1 ||
	    (n = query_long(r, "limit", 50, AUDIT_PAGE_MAX)) == -1)
		return;
	snprintf(cursor, sizeof cursor, "%ld", c);
	snprintf(limit, sizeof limit, "%ld", n);
	params[0] = cursor;
	params[1] = limit;
	params[2] = r->auth.user_id;
	if ((res = api_query(r, audit_scopes[scope].sql,
	    audit_scopes[scope].nparams, params)) == NULL)
		return;
	items = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, audit_entry(res, i));
	body = json_object_new_object();
	json_object_object_add(body, "items", items);
	jsonx_add_str(body, "nextCursor", PQntuples(res) == n ?
	    PQgetvalue(res, PQntuples(res) - 1, 0) : NULL);
	PQclear(res);
	http_respond_json(r, 200, body);
}

void
h_audit_list(struct req *r)
{
	audit_page(r, AUDIT_TENANT);
}

/* The route is for sessions only: the caller is a user. */
void
h_me_activity(struct req *r)
{
	audit_page(r, AUDIT_USER);
}
