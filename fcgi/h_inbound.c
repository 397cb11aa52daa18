/*
 * Inbound events: the raw provider payloads (webhook bodies, sandbox
 * injections) the engine turns into messages and receipts. A tenant sees
 * its own, and above all the dead ones (a payload that broke the
 * provider's contract, or failed every try), each with its error, and can
 * send a dead one back for another try. Bodies are shown one at a time
 * (GET .../{id}); the list carries everything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "util.h"

#define INBOUND_PAGE_MAX	200

/* An event's status, as SQL (the column list ends with it). */
#define INBOUND_STATUS_SQL \
	"CASE WHEN processed_at IS NOT NULL THEN 'processed' WHEN dead_at IS " \
	"NOT NULL THEN 'dead' WHEN attempts > 0 THEN 'retrying' ELSE " \
	"'pending' END"
#define INBOUND_COLUMNS "id, instance_id, source, attempts, last_error, " \
	"received_at, processed_at, dead_at, retry_at, " INBOUND_STATUS_SQL

static int
is_inbound_status(const char *s)
{
	static const char *const all[] = { "pending", "retrying", "dead",
	    "processed" };
	size_t	i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(all[i], s) == 0)
			return 1;
	return 0;
}

static int
is_event_id(const char *s)
{
	size_t	n = strspn(s, "0123456789");

	return n > 0 && n <= 18 && s[n] == '\0';
}

static struct json_object *
inbound_json(PGresult *res, int i)
{
	struct json_object	*e = json_object_new_object();

	jsonx_add_str(e, "id", PQgetvalue(res, i, 0));
	jsonx_add_str(e, "instanceId", PQgetvalue(res, i, 1));
	jsonx_add_str(e, "source", PQgetvalue(res, i, 2));
	jsonx_add_str(e, "status", PQgetvalue(res, i, 9));
	jsonx_add_int(e, "attempts", atoll(PQgetvalue(res, i, 3)));
	jsonx_add_str(e, "error", api_value(res, i, 4));
	api_add_time(e, "receivedAt", PQgetvalue(res, i, 5));
	api_add_time(e, "processedAt", api_value(res, i, 6));
	api_add_time(e, "deadAt", api_value(res, i, 7));
	api_add_time(e, "retryAt", api_value(res, i, 8));
	return e;
}

void
h_inbound_list(struct req *r)
{
	struct json_object	*body, *items;
	char			 status[16], inst[UTIL_UUID_LEN + 1], cursor[24];
	char			 limit[8];
	const char		*params[4];
	PGresult		*res;
	long			 n;
	int			 i;

	if (query_filter(r, "status", status, sizeof status,
	    is_inbound_status) == 1 ||
	    query_filter(r, "instanceId", inst, sizeof inst, util_is_uuid) == 1)
		return;
	switch (query_filter(r, "cursor", cursor, sizeof cursor, is_event_id)) {
	case 1:
		return;
	case -1:
		snprintf(cursor, sizeof cursor, "%s", "999999999999999999");
		break;
	}
	if ((n = query_long(r, "limit", 50, INBOUND_PAGE_MAX)) == -1)
		return;
	snprintf(limit, sizeof limit, "%ld", n);
	params[0] = cursor;
	params[1] = limit;
	params[2] = http_query(r, "status", status, sizeof status) == 0 ?
	    status : NULL;
	params[3] = http_query(r, "instanceId", inst, sizeof inst) == 0 ?
	    inst : NULL;
	if ((res = api_query(r, "SELECT " INBOUND_COLUMNS " FROM "
	    "inbound_events WHERE id < $1::bigint AND ($3::text IS NULL OR "
	    INBOUND_STATUS_SQL " = $3) AND ($4::uuid IS NULL OR instance_id = "
	    "$4) ORDER BY id DESC LIMIT $2::int", 4, params)) == NULL)
		return;
	items = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, inbound_json(res, i));
	body = json_object_new_object();
	json_object_object_add(body, "events", items);
	jsonx_add_str(body, "nextCursor", PQntuples(res) == n ?
	    PQgetvalue(res, PQntuples(res) - 1, 0) : NULL);
	PQclear(res);
	http_respond_json(r, 200, body);
}

/*
 * Runs sql with the path's event id; its one row, or answers: 404 for no
 * such event of the tenant, else 409 with conflict (the row was not one
 * sql applies to).
 */
static PGresult *
inbound_one(struct req *r, const char *sql, const char *conflict)
{
	const char	*id = route_param(&r->match, "eventId");
	PGresult	*res;
	int		 exists;

	if (id == NULL || !is_event_id(id)) {
		http_respond_error(r, 404, "not_found", "no such event", NULL);
		return NULL;
	}
	if ((res = api_query(r, sql, 1, &id)) == NULL)
		return NULL;
	if (PQntuples(res) == 1)
		return res;
	PQclear(res);
	if ((res = api_query(r, "SELECT 1 FROM inbound_events WHERE id = "
	    "$1::bigint", 1, &id)) == NULL)
		return NULL;
	exists = PQntuples(res) == 1;
	PQclear(res);
	if (exists && conflict != NULL)
		http_respond_error(r, 409, "conflict", conflict, NULL);
	else
		http_respond_error(r, 404, "not_found", "no such event", NULL);
	return NULL;
}

void
h_inbound_get(struct req *r)
{
	struct json_object	*e, *payload = NULL;
	PGresult		*res;
	char			 err[32];

	if ((res = inbound_one(r, "SELECT " INBOUND_COLUMNS ", body FROM "
	    "inbound_events WHERE id = $1::bigint", NULL)) == NULL)
		return;
	e = inbound_json(res, 0);
	/* as stored: a body that is not JSON is shown as a string */
	if (jsonx_parse(PQgetvalue(res, 0, 10), (size_t)PQgetlength(res, 0, 10),
	    JSONX_MAX_DEPTH, &payload, err, sizeof err) == -1)
		payload = json_object_new_string(PQgetvalue(res, 0, 10));
	json_object_object_add(e, "payload", payload);
	PQclear(res);
	http_respond_json(r, 200, e);
}

/* A dead event goes back to the queue, as if new (after a fix, say). */
void
h_inbound_retry(struct req *r)
{
	struct json_object	*details;
	PGresult		*res;

	if ((res = inbound_one(r, "UPDATE inbound_events SET dead_at = NULL, "
	    "attempts = 0, retry_at = NULL WHERE id = $1::bigint AND dead_at "
	    "IS NOT NULL RETURNING " INBOUND_COLUMNS ", pg_notify("
	    "'waqtor_inbound', instance_id::text)",
	    "only a dead event can be retried")) == NULL)
		return;
	details = json_object_new_object();
	jsonx_add_str(details, "eventId", PQgetvalue(res, 0, 0));
	api_audit(r, "inbound.retried", details);
	http_respond_json(r, 202, inbound_json(res, 0));
	PQclear(res);
}
