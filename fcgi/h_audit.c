/*
 * The audit log (the profile page's activity history) and the premium
 * usage report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"

#define AUDIT_PAGE_MAX	200

void
h_audit_list(struct req *r)
{
	struct json_object	*body, *items;
	char			 cursor[24], limit[8];
	const char		*params[2];
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
	if ((res = api_query(r, "SELECT id, action, user_id, api_key_id, ip, "
	    "details::text, created_at FROM audit_log WHERE id < $1::bigint "
	    "ORDER BY id DESC LIMIT $2::int", 2, params)) == NULL)
		return;
	items = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		struct json_object	*e = json_object_new_object(), *d = NULL;
		char			 err[32];

		jsonx_add_str(e, "id", PQgetvalue(res, i, 0));
		jsonx_add_str(e, "action", PQgetvalue(res, i, 1));
		jsonx_add_str(e, "userId", api_value(res, i, 2));
		jsonx_add_str(e, "apiKeyId", api_value(res, i, 3));
		jsonx_add_str(e, "ip", api_value(res, i, 4));
		if (jsonx_parse(PQgetvalue(res, i, 5), (size_t)PQgetlength(res,
		    i, 5), JSONX_MAX_DEPTH, &d, err, sizeof err) == -1)
			d = json_object_new_object();
		json_object_object_add(e, "details", d);
		api_add_time(e, "createdAt", PQgetvalue(res, i, 6));
		json_object_array_add(items, e);
	}
	body = json_object_new_object();
	json_object_object_add(body, "items", items);
	jsonx_add_str(body, "nextCursor", PQntuples(res) == n ?
	    PQgetvalue(res, PQntuples(res) - 1, 0) : NULL);
	PQclear(res);
	http_respond_json(r, 200, body);
}

void
h_report_summary(struct req *r)
{
	struct json_object	*body, *msgs;
	char			 days[8];
	const char		*params[1];
	PGresult		*res;
	long			 d;
	int			 i;

	if ((d = query_long(r, "days", 30, 366)) == -1)
		return;
	snprintf(days, sizeof days, "%ld", d);
	params[0] = days;
	if ((res = api_query(r, "SELECT direction, status, count(*) FROM "
	    "messages WHERE created_at > now() - make_interval(days => $1::int)"
	    " GROUP BY direction, status ORDER BY 1, 2", 1, params)) == NULL)
		return;
	body = json_object_new_object();
	jsonx_add_int(body, "days", d);
	msgs = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		struct json_object *m = json_object_new_object();

		jsonx_add_str(m, "direction", PQgetvalue(res, i, 0));
		jsonx_add_str(m, "status", PQgetvalue(res, i, 1));
		jsonx_add_int(m, "count", atoll(PQgetvalue(res, i, 2)));
		json_object_array_add(msgs, m);
	}
	PQclear(res);
	json_object_object_add(body, "messages", msgs);
	if ((res = api_query(r, "SELECT count(*), count(*) FILTER (WHERE "
	    "status = 'ready') FROM instances", 0, NULL)) == NULL) {
		json_object_put(body);
		return;
	}
	jsonx_add_int(body, "instances", atoll(PQgetvalue(res, 0, 0)));
	jsonx_add_int(body, "instancesReady", atoll(PQgetvalue(res, 0, 1)));
	PQclear(res);
	http_respond_json(r, 200, body);
}
