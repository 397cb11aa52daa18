/*
 * The tenant's event log (sql/013_events.sql): GET /api/v1/events?after=
 * pages through every event in order, the same envelopes (and ids) as
 * Socket.IO and webhooks, so a client that was away catches up from the
 * last id it saw. A page ends at the log's horizon (no transaction still
 * running can add an event before it); nextAfter is where to go on from.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "event.h"
#include "handlers.h"
#include "jsonx.h"
#include "util.h"
#include "validate.h"

#define EVENTS_PAGE_MAX		1000
#define EVENTS_TYPES_MAX	20

/* ?types=a,b.*: into a JSON array of valid patterns; 0, -1 absent, 1
 * answered. */
static int
query_types(struct req *r, struct json_object **out)
{
	char		 buf[1024], *p, *next;
	int		 rc, n = 0;

	*out = NULL;
	if ((rc = query_filter(r, "types", buf, sizeof buf, NULL)) != 0)
		return rc;
	*out = json_object_new_array();
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if (!event_pattern_valid(p) || ++n > EVENTS_TYPES_MAX) {
			validate_fail_field(r, "types", "are up to 20 event "
			    "types (message.sent), prefixes (message.*) or *, "
			    "separated by commas");
			json_object_put(*out);
			*out = NULL;
			return 1;
		}
		json_object_array_add(*out, json_object_new_string(p));
	}
	return 0;
}

void
h_events_list(struct req *r)
{
	char			 after[EVENT_ID_LEN + 1], instance[40], limit[8];
	const char		*params[4];
	struct json_object	*types = NULL;
	PGresult		*res;
	long			 n;

	if (query_filter(r, "after", after, sizeof after, event_id_valid) == 1 ||
	    query_filter(r, "instanceId", instance, sizeof instance,
	    util_is_uuid) == 1 || query_types(r, &types) == 1 ||
	    (n = query_long(r, "limit", 100, EVENTS_PAGE_MAX)) == -1)
		goto out;
	params[0] = http_query(r, "after", after, sizeof after) == 0 ? after :
	    NULL;
	params[1] = types != NULL ? jsonx_string(types) : NULL;
	params[2] = http_query(r, "instanceId", instance, sizeof instance) ==
	    0 ? instance : NULL;
	snprintf(limit, sizeof limit, "%ld", n);
	params[3] = limit;
	if ((res = api_query(r, "WITH page AS (SELECT e.id, event_json(e) AS j "
	    "FROM events e WHERE e.tenant_id = current_setting("
	    "'waqtor.tenant_id')::uuid AND e.id > COALESCE($1, '') AND e.id < "
	    "event_horizon() AND ($2::json IS NULL OR event_matches(ARRAY("
	    "SELECT json_array_elements_text($2::json)), e.type)) AND "
	    "($3::uuid IS NULL OR e.instance_id = $3::uuid) ORDER BY e.id "
	    "LIMIT $4::int + 1), shown AS (SELECT * FROM page ORDER BY id "
	    "LIMIT $4::int) SELECT json_build_object('events', COALESCE(("
	    "SELECT json_agg(j ORDER BY id) FROM shown), '[]'), 'nextAfter', "
	    "COALESCE((SELECT max(id) FROM shown), $1), 'hasMore', (SELECT "
	    "count(*) FROM page) > $4::int)::text", 4, params)) == NULL)
		goto out;
	api_respond_row(r, 200, res, "event");
out:
	json_object_put(types);
}
