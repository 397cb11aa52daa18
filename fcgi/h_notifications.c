/*
 * The caller's notification center (sql/014_notifications.sql): the
 * signed-in user's own notifications, newest first, marked read one by one
 * or all at once, deleted, counted; and which kinds the user receives.
 * Another user's notification is as unknown as a missing one. API keys
 * have no inbox: these routes need a session.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "util.h"
#include "validate.h"

#define NOTIFICATIONS_PAGE_MAX	100

static int
is_filter(const char *s)
{
	static const char *const filters[] = { "all", "unread", NULL };

	return validate_one_of(s, filters);
}

void
h_notifications_list(struct req *r)
{
	char		 filter[8], cursor[40], limit[8];
	const char	*params[4];
	PGresult	*res;
	long		 n;

	if (query_filter(r, "filter", filter, sizeof filter, is_filter) == 1 ||
	    query_filter(r, "cursor", cursor, sizeof cursor, util_is_uuid) == 1 ||
	    (n = query_long(r, "limit", 20, NOTIFICATIONS_PAGE_MAX)) == -1)
		return;
	params[0] = r->auth.user_id;
	params[1] = http_query(r, "filter", filter, sizeof filter) == 0 &&
	    strcmp(filter, "unread") == 0 ? "t" : "f";
	params[2] = http_query(r, "cursor", cursor, sizeof cursor) == 0 ?
	    cursor : NULL;
	snprintf(limit, sizeof limit, "%ld", n);
	params[3] = limit;
	if ((res = api_query(r, "WITH page AS (SELECT n.* FROM notifications n "
	    "WHERE n.user_id = $1 AND (NOT $2::boolean OR n.read_at IS NULL) "
	    "AND ($3::uuid IS NULL OR (n.created_at, n.id) < (SELECT "
	    "created_at, id FROM notifications WHERE id = $3 AND user_id = "
	    "$1)) ORDER BY n.created_at DESC, n.id DESC LIMIT $4::int + 1), "
	    "shown AS (SELECT * FROM page ORDER BY created_at DESC, id DESC "
	    "LIMIT $4::int) SELECT json_build_object('notifications', "
	    "COALESCE((SELECT json_agg(notification_json(s) ORDER BY "
	    "s.created_at DESC, s.id DESC) FROM shown s), '[]'), 'nextCursor', "
	    "CASE WHEN (SELECT count(*) FROM page) > $4::int THEN (SELECT id "
	    "FROM shown ORDER BY created_at, id LIMIT 1) END, 'unread', (SELECT "
	    "count(*) FROM notifications WHERE user_id = $1 AND read_at IS "
	    "NULL))::text", 4, params)) == NULL)
		return;
	api_respond_row(r, 200, res, "notification");
}

void
h_notifications_count(struct req *r)
{
	const char	*params[1] = { r->auth.user_id };
	PGresult	*res;

	if ((res = api_query(r, "SELECT json_build_object('unread', count(*))"
	    "::text FROM notifications WHERE user_id = $1 AND read_at IS NULL",
	    1, params)) == NULL)
		return;
	api_respond_row(r, 200, res, "notification");
}

void
h_notifications_read(struct req *r)
{
	const char	*params[2];
	PGresult	*res;

	if ((params[0] = api_uuid_param(r, "id", "notification")) == NULL)
		return;
	params[1] = r->auth.user_id;
	if ((res = api_query(r, "UPDATE notifications n SET read_at = "
	    "COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 "
	    "RETURNING notification_json(n)::text", 2, params)) == NULL)
		return;
	api_respond_row(r, 200, res, "notification");
}

void
h_notifications_read_all(struct req *r)
{
	const char	*params[1] = { r->auth.user_id };
	PGresult	*res;

	if ((res = api_query(r, "WITH m AS (UPDATE notifications SET read_at = "
	    "now() WHERE user_id = $1 AND read_at IS NULL RETURNING 1) SELECT "
	    "json_build_object('marked', count(*), 'unread', 0)::text FROM m",
	    1, params)) == NULL)
		return;
	api_respond_row(r, 200, res, "notification");
}

void
h_notifications_delete(struct req *r)
{
	const char	*params[2];

	if ((params[0] = api_uuid_param(r, "id", "notification")) == NULL)
		return;
	params[1] = r->auth.user_id;
	(void)api_delete(r, "notification", "DELETE FROM notifications WHERE "
	    "id = $1 AND user_id = $2 RETURNING id", 2, params);
}

/* The kinds the caller's role hears of, each with whether it is on. */
static void
preferences_respond(struct req *r)
{
	const char	*params[1] = { r->auth.user_id };
	PGresult	*res;

	if ((res = api_query(r, "SELECT json_build_object('kinds', "
	    "json_agg(json_build_object('kind', k.kind, 'title', k.title, "
	    "'type', k.type, 'icon', k.icon, 'enabled', NOT k.kind = ANY "
	    "(u.notifications_muted)) ORDER BY k.kind))::text FROM users u "
	    "JOIN notification_kinds k ON role_rank(u.role) >= "
	    "role_rank(k.least_role) WHERE u.id = $1", 1, params)) == NULL)
		return;
	api_respond_row(r, 200, res, "user");
}

void
h_notifications_prefs_get(struct req *r)
{
	preferences_respond(r);
}

/* {"kinds": {"campaign.completed": false, ...}}: the kinds named are
 * turned on or off, the others stay as they are. */
void
h_notifications_prefs_update(struct req *r)
{
	static const struct vfield fields[] = {
		{ "kinds", V_OBJECT, 1, 0, 0, NULL },
	};
	struct json_object	*in = NULL, *kinds, *details;
	const char		*params[2];
	PGresult		*res;

	if (validate_body(r, fields, 1, &in) == -1)
		return;
	kinds = json_object_object_get(in, "kinds");
	details = json_object_new_object();
	json_object_object_foreach(kinds, key, val) {
		if (!json_object_is_type(val, json_type_boolean)) {
			char	name[96];

			snprintf(name, sizeof name, "kinds.%.80s", key);
			jsonx_add_str(details, name, "must be true or false");
		}
	}
	if (json_object_object_length(details) > 0) {
		validate_fail(r, details);
		goto out;
	}
	json_object_put(details);
	params[0] = r->auth.user_id;
	params[1] = jsonx_string(kinds);
	/* a kind that does not exist is refused rather than kept */
	if ((res = api_query(r, "SELECT string_agg(key, ', ' ORDER BY key) "
	    "FROM json_object_keys($1::json) key WHERE NOT EXISTS (SELECT 1 "
	    "FROM notification_kinds WHERE kind = key)", 1, params + 1)) == NULL)
		goto out;
	if (!PQgetisnull(res, 0, 0)) {
		char	why[300];

		snprintf(why, sizeof why, "has no such notification kinds: "
		    "%.200s", PQgetvalue(res, 0, 0));
		PQclear(res);
		validate_fail_field(r, "kinds", why);
		goto out;
	}
	PQclear(res);
	if ((res = api_query(r, "UPDATE users SET notifications_muted = ARRAY("
	    "SELECT m FROM unnest(notifications_muted) m WHERE NOT ($2::jsonb "
	    "? m) UNION SELECT key FROM jsonb_each($2::jsonb) WHERE value = "
	    "'false' ORDER BY 1), updated_at = now() WHERE id = $1", 2,
	    params)) == NULL)
		goto out;
	PQclear(res);
	preferences_respond(r);
out:
	json_object_put(in);
}
