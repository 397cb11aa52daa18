/*
 * Campaigns (premium): a message with {{variables}} sent to many
 * recipients at a pace that protects the sender's number. The API writes
 * the campaign and one row per recipient, checks every variable for every
 * recipient before anything is created, and moves the campaign between
 * states (the seed's createCampaign and controlCampaign); the engine
 * (engine/campaign.c) sends it and NOTIFY waqtor_campaigns wakes it.
 * States: draft -> scheduled -> running <-> paused -> completed, or
 * cancelled from any of the first four; failed when every recipient failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "campaign_msg.h"
#include "contacts.h"
#include "handlers.h"
#include "jsonx.h"
#include "message_check.h"
#include "strbuf.h"
#include "template.h"
#include "util.h"
#include "validate.h"
#include "xmalloc.h"

#define CAMPAIGNS_PAGE_MAX	200
#define RECIPIENTS_PAGE_MAX	1000
#define RECIPIENTS_MAX		1000000
#define PREVIEW_MAX		20
#define MISSING_SHOWN		5	/* recipients named per missing variable */

/*
 * Checks the message for an instance of provider; 0, or -1 answered. A
 * Cloud API instance may only send templates: Meta refuses free text
 * outside the 24-hour window (error 131047), which a campaign always is.
 */
static int
campaign_message_check(struct req *r, struct json_object *msg,
    const char *provider)
{
	struct json_object	*details = json_object_new_object();

	message_check(msg, "message", 1, details);
	if (json_object_object_length(details) > 0) {
		validate_fail(r, details);
		return -1;
	}
	json_object_put(details);
	if (strcmp(provider, "cloud") == 0 &&
	    !json_object_object_get_ex(msg, "template", NULL)) {
		http_respond_error(r, 422, "template_required", "a Cloud API "
		    "instance can only start conversations with a template: "
		    "WhatsApp refuses free text outside the 24-hour window "
		    "(error 131047)", NULL);
		return -1;
	}
	return 0;
}

/* The pacing object; 0, or -1 answered. Values into out[3] ("" = none). */
static int
campaign_pacing(struct req *r, struct json_object *pacing, char out[3][16])
{
	static const struct vfield fields[] = {
		{ "ratePerMinute", V_INT, V_NULLABLE, 1, 60000, NULL },
		{ "minDelayMs", V_INT, 0, 0, 3600000, NULL },
		{ "maxDelayMs", V_INT, 0, 0, 3600000, NULL },
	};
	struct json_object	*details;
	long			 lo, hi;
	int			 i;

	for (i = 0; i < 3; i++)
		out[i][0] = '\0';
	if (pacing == NULL)
		return 0;
	details = json_object_new_object();
	if (validate_object(pacing, fields, 3, "pacing.", details) == -1) {
		validate_fail(r, details);
		return -1;
	}
	json_object_put(details);
	for (i = 0; i < 3; i++) {
		struct json_object *v = json_object_object_get(pacing,
		    fields[i].name);

		if (v != NULL)
			snprintf(out[i], sizeof out[i], "%ld",
			    (long)json_object_get_int64(v));
	}
	lo = out[1][0] ? atol(out[1]) : 0;
	hi = out[2][0] ? atol(out[2]) : lo;
	if (lo > hi) {
		validate_fail_field(r, "pacing.maxDelayMs", "must not be below minDelayMs");
		return -1;
	}
	if (!out[2][0] && out[1][0])
		snprintf(out[2], sizeof out[2], "%ld", lo);
	return 0;
}

/*
 * The recipients array as rows for the INSERT, JSON text built as it goes
 * (a million recipients stay a few bytes each): [{"i","chat","name",
 * "vars"}], phones normalised like contacts'. 0, or -1 answered 400
 * naming the first bad items.
 */
static int
campaign_recipient_rows(struct req *r, struct json_object *list,
    struct strbuf *rows)
{
	struct json_object	*details, *item, *vars, *v;
	char			 cc[PHONE_CC_MAX + 1], phone[PHONE_LEN];
	char			 chat[PHONE_LEN + 8], field[48], given[48];
	const char		*to, *why;
	size_t			 i, n = json_object_array_length(list);
	enum phone_error	 pe;

	if (contacts_default_cc(r, cc) == -1)
		return -1;
	strbuf_addch(rows, '[');
	details = json_object_new_object();
	for (i = 0; i < n && json_object_object_length(details) < 5; i++) {
		item = json_object_array_get_idx(list, i);
		vars = NULL;
		why = NULL;
		if (json_object_is_type(item, json_type_object)) {
			to = jsonx_get_str(item, "to");
			vars = json_object_object_get(item, "variables");
			json_object_object_foreach(item, k, e) {
				(void)e;
				if (strcmp(k, "to") != 0 && strcmp(k,
				    "variables") != 0 && strcmp(k, "name") != 0)
					why = "takes to, name and variables";
			}
			v = json_object_object_get(item, "name");
			if (v != NULL && (!json_object_is_type(v,
			    json_type_string) || validate_chars(
			    json_object_get_string(v)) > 200 ||
			    !validate_controls(json_object_get_string(v), 0)))
				why = "name must be text of up to 200 characters";
			if (vars != NULL && why == NULL)
				why = contacts_attrs_invalid(vars, 0);
		} else
			to = json_object_is_type(item, json_type_string) ?
			    json_object_get_string(item) : NULL;
		if (why == NULL && to == NULL)
			why = "must be a phone, a chat id or {\"to\",\"variables\"}";
		if (why == NULL) {
			/* a chat id is its digits */
			snprintf(given, sizeof given, "%s", to);
			if (strlen(to) < sizeof given && strlen(to) > 5 &&
			    strcmp(given + strlen(given) - 5, "@c.us") == 0)
				given[strlen(given) - 5] = '\0';
			if ((pe = phone_normalise(given, strlen(given), cc,
			    phone)) != PHONE_OK)
				why = phone_strerror(pe);
		}
		if (why != NULL) {
			snprintf(field, sizeof field, "recipients[%zu]", i);
			jsonx_add_str(details, field, why);
			continue;
		}
		snprintf(chat, sizeof chat, "%s@c.us", phone);
		v = json_object_is_type(item, json_type_object) ?
		    json_object_object_get(item, "name") : NULL;
		strbuf_addf(rows, "%s{\"i\":%zu,\"chat\":\"%s\",\"name\":%s,"
		    "\"vars\":%s}", rows->len > 1 ? "," : "", i, chat,
		    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
		    vars != NULL ? json_object_to_json_string_ext(vars,
		    JSON_C_TO_STRING_PLAIN) : "{}");
	}
	strbuf_addch(rows, ']');
	if (json_object_object_length(details) > 0) {
		validate_fail(r, details);
		return -1;
	}
	json_object_put(details);
	return 0;
}

/*
 * Every variable the message uses must have a value for every recipient;
 * 0, or -1 answered 422 missing_variables naming each with its first
 * recipients that lack it.
 */
static int
campaign_variables_check(struct req *r, const char *id,
    struct json_object *message, struct json_object *variables)
{
	struct json_object	*names = json_object_new_array(), *body, *v;
	const char		*params[4];
	char			 shown[8], err[32];
	PGresult		*res;
	int			 rc = -1;

	campaign_msg_names(message, names);
	snprintf(shown, sizeof shown, "%d", MISSING_SHOWN);
	params[0] = id;
	params[1] = jsonx_string(names);
	params[2] = variables != NULL ? jsonx_string(variables) : "{}";
	params[3] = shown;
	if ((res = api_query(r, "SELECT COALESCE(json_object_agg(n, x), '{}'), "
	    "count(*) FROM (SELECT n, (SELECT json_agg('+' || split_part("
	    "chat_id, '@', 1) ORDER BY seq) FROM (SELECT chat_id, seq FROM "
	    "campaign_recipients WHERE campaign_id = $1 AND NOT variables ? n "
	    "AND NOT (n = 'name' AND name IS NOT NULL) ORDER BY seq LIMIT "
	    "$4::int) s) AS x FROM jsonb_array_elements_text($2::jsonb) n "
	    "WHERE n <> 'phone' AND NOT $3::jsonb ? n) m WHERE x IS NOT NULL",
	    4, params)) == NULL)
		goto out;
	if (atol(PQgetvalue(res, 0, 1)) == 0)
		rc = 0;
	else {
		body = json_object_new_object();
		if (jsonx_parse(PQgetvalue(res, 0, 0), (size_t)PQgetlength(res,
		    0, 0), JSONX_MAX_DEPTH, &v, err, sizeof err) == -1)
			v = json_object_new_object();
		json_object_object_add(body, "missing", v);
		http_respond_error(r, 422, "missing_variables", "some "
		    "recipients have no value for a variable the message uses: "
		    "give it in variables, in the contacts' attributes or per "
		    "recipient", body);
	}
	PQclear(res);
out:
	json_object_put(names);
	return rc;
}

/*
 * Creates the campaign described by in (a draft) and its recipients, with
 * every check; its id into id. 0, or -1 answered.
 */
static int
campaign_create(struct req *r, struct json_object *in, char id[40])
{
	struct json_object	*message, *list, *v;
	struct strbuf		 rows = STRBUF_INIT;
	char			 pacing[3][16], when[40], total[24];
	const char		*params[10], *provider;
	PGresult		*res;
	int			 rc = -1;

	message = json_object_object_get(in, "message");
	if ((json_object_object_get(in, "recipients") == NULL) ==
	    (jsonx_get_str(in, "contactListId") == NULL)) {
		validate_fail_field(r, "recipients", "give either recipients or "
		    "contactListId");
		return -1;
	}
	if ((v = json_object_object_get(in, "variables")) != NULL &&
	    contacts_attrs_invalid(v, 0) != NULL) {
		validate_fail_field(r, "variables", contacts_attrs_invalid(v, 0));
		return -1;
	}
	if (campaign_pacing(r, json_object_object_get(in, "pacing"),
	    pacing) == -1)
		return -1;
	when[0] = '\0';
	if (jsonx_get_str(in, "scheduleAt") != NULL &&
	    util_rfc3339_utc(jsonx_get_str(in, "scheduleAt"), when,
	    sizeof when) == -1) {
		validate_fail_field(r, "scheduleAt", "must be an RFC 3339 time, e.g. "
		    "2026-12-24T09:00:00+03:00");
		return -1;
	}
	params[0] = jsonx_get_str(in, "instanceId");
	if ((res = api_query(r, "SELECT provider, $2::timestamptz <= now(), "
	    "$3::uuid IS NULL OR EXISTS (SELECT 1 FROM contact_lists WHERE id = "
	    "$3) FROM instances WHERE id = $1", 3, (const char *[]){ params[0],
	    when[0] ? when : NULL, jsonx_get_str(in, "contactListId") })) ==
	    NULL)
		return -1;
	if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 2), "t") != 0) {
		http_respond_error(r, 404, "not_found", PQntuples(res) == 0 ?
		    "no such instance" : "no such list", NULL);
		PQclear(res);
		return -1;
	}
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		PQclear(res);
		http_respond_error(r, 422, "schedule_in_past", "scheduleAt is "
		    "in the past", NULL);
		return -1;
	}
	provider = PQgetvalue(res, 0, 0);
	if (campaign_message_check(r, message, provider) == -1) {
		PQclear(res);
		return -1;
	}
	PQclear(res);
	if ((list = json_object_object_get(in, "recipients")) != NULL &&
	    campaign_recipient_rows(r, list, &rows) == -1)
		goto out;

	params[1] = jsonx_get_str(in, "name");
	params[2] = jsonx_string(message);
	params[3] = (v = json_object_object_get(in, "variables")) != NULL ?
	    jsonx_string(v) : "{}";
	params[4] = jsonx_get_str(in, "contactListId");
	params[5] = when[0] ? when : NULL;
	params[6] = pacing[0][0] ? pacing[0] : NULL;
	params[7] = pacing[1][0] ? pacing[1] : "0";
	params[8] = pacing[2][0] ? pacing[2] : "0";
	if ((res = api_query(r, "INSERT INTO campaigns (tenant_id, instance_id, "
	    "name, message, variables, contact_list_id, schedule_at, "
	    "rate_per_minute, min_delay_ms, max_delay_ms) VALUES (current_"
	    "setting('waqtor.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9) RETURNING id", 9, params)) == NULL)
		goto out;
	snprintf(id, 40, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	params[0] = id;
	if (list != NULL) {
		/* the first of a number's duplicates stays; a contact of
		 * that number lends its attributes and name */
		params[1] = rows.data;
		res = api_query(r, "INSERT INTO campaign_recipients (campaign_id, "
		    "seq, tenant_id, chat_id, name, variables) SELECT $1, "
		    "row_number() OVER (ORDER BY x.i), current_setting("
		    "'waqtor.tenant_id')::uuid, x.chat, COALESCE(x.name, c.name), "
		    "COALESCE(c.attributes, '{}') || x.vars FROM (SELECT DISTINCT "
		    "ON (chat) * FROM json_to_recordset($2::json) AS r(i int, chat "
		    "text, name text, vars jsonb) ORDER BY chat, i) x LEFT JOIN "
		    "contacts c ON c.phone = split_part(x.chat, '@', 1)", 2, params);
	} else {
		params[1] = jsonx_get_str(in, "contactListId");
		res = api_query(r, "INSERT INTO campaign_recipients (campaign_id, "
		    "seq, tenant_id, chat_id, name, variables) SELECT $1, "
		    "row_number() OVER (ORDER BY m.added_at, c.id), c.tenant_id, "
		    "c.phone || '@c.us', c.name, c.attributes FROM "
		    "contact_list_members m JOIN contacts c ON c.id = m.contact_id "
		    "WHERE m.list_id = $2", 2, params);
	}
	if (res == NULL)
		goto out;
	snprintf(total, sizeof total, "%s", PQcmdTuples(res));
	PQclear(res);
	if (atol(total) == 0) {
		http_respond_error(r, 422, "no_recipients", list != NULL ?
		    "the campaign has no recipients" : "no such list, or it has "
		    "no members", NULL);
		goto out;
	}
	res = api_query(r, "UPDATE campaigns SET total = $2::int WHERE id = $1",
	    2, (const char *[]){ id, total });
	PQclear(res);
	if (res == NULL || campaign_variables_check(r, id, message,
	    json_object_object_get(in, "variables")) == -1)
		goto out;
	rc = 0;
out:
	strbuf_free(&rows);
	return rc;
}

static const struct vfield campaign_fields[] = {
	{ "name", V_STRING, 1, 1, 200, NULL },
	{ "instanceId", V_UUID, 1, 0, 0, NULL },
	{ "recipients", V_ARRAY, 0, 0, RECIPIENTS_MAX, NULL },
	{ "contactListId", V_UUID, 0, 0, 0, NULL },
	{ "message", V_OBJECT, 1, 0, 0, NULL },
	{ "variables", V_OBJECT, 0, 0, 0, NULL },
	{ "scheduleAt", V_STRING, 0, 1, 40, NULL },
	{ "pacing", V_OBJECT, 0, 0, 0, NULL },
	{ "start", V_BOOL, 0, 0, 0, NULL },
};
#define CAMPAIGN_FIELDS	(sizeof campaign_fields / sizeof campaign_fields[0])

/* The campaign as the API shows it, answering status. */
static void
campaign_respond(struct req *r, int status, const char *id)
{
	PGresult	*res;

	if ((res = api_query(r, "SELECT campaign_json(c) FROM campaigns c "
	    "WHERE id = $1", 1, (const char *[]){ id })) != NULL)
		api_respond_row(r, status, res, "campaign");
}

/* Wakes the engine that owns the campaign's instance. */
static int
campaign_notify(struct req *r, const char *id)
{
	PGresult	*res;

	if ((res = api_query(r, "SELECT pg_notify('waqtor_campaigns', "
	    "instance_id::text) FROM campaigns WHERE id = $1", 1,
	    (const char *[]){ id })) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/*
 * Moves a campaign from one of the states in from (a SQL array literal)
 * to its next: the SQL decides which, so every transition is in one
 * statement. -1 answered (404, or 409 invalid_state naming the current).
 */
static int
campaign_move(struct req *r, const char *id, const char *from,
    const char *sql_set, const char *action)
{
	char		 msg[128];
	const char	*params[2] = { id, from };
	PGresult	*res;
	char		*sql;
	int		 rc = -1;

	sql = xasprintf("WITH c AS (SELECT id, status FROM campaigns WHERE id = "
	    "$1 FOR UPDATE), u AS (UPDATE campaigns SET %s, updated_at = now() "
	    "WHERE id = $1 AND status = ANY($2::text[]) RETURNING id) SELECT "
	    "c.status, (SELECT count(*) FROM u) FROM c", sql_set);
	res = api_query(r, sql, 2, params);
	free(sql);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		http_respond_error(r, 404, "not_found", "no such campaign", NULL);
	else if (atol(PQgetvalue(res, 0, 1)) == 0) {
		snprintf(msg, sizeof msg, "a %s campaign cannot %s",
		    PQgetvalue(res, 0, 0), action);
		http_respond_error(r, 409, "invalid_state", msg, NULL);
	} else
		rc = 0;
	PQclear(res);
	return rc;
}

/* The SET of a start: scheduled when scheduleAt is ahead, else running. */
#define SET_START "status = CASE WHEN schedule_at > now() THEN 'scheduled' " \
	"ELSE 'running' END, started_at = CASE WHEN schedule_at > now() THEN " \
	"NULL ELSE COALESCE(started_at, now()) END, pause_reason = NULL"

void
h_campaigns_create(struct req *r)
{
	struct json_object	*in, *details;
	char			 id[40];

	if (validate_body(r, campaign_fields, CAMPAIGN_FIELDS, &in) == -1)
		return;
	if (campaign_create(r, in, id) == -1)
		goto out;
	if (json_object_get_boolean(json_object_object_get(in, "start")) &&
	    (campaign_move(r, id, "{draft}", SET_START, "start") == -1 ||
	    campaign_notify(r, id) == -1))
		goto out;
	/* recorded without the recipients: they can be a million */
	details = json_object_new_object();
	jsonx_add_str(details, "campaignId", id);
	jsonx_add_str(details, "name", jsonx_get_str(in, "name"));
	api_audit(r, "campaign.created", details);
	campaign_respond(r, 201, id);
out:
	json_object_put(in);
}

/* Renders the message for the first recipients; creates nothing. */
void
h_campaigns_preview(struct req *r)
{
	struct json_object	*in, *message, *vars, *body, *items, *rv, *c;
	char			 id[40], limit[8], missing[TEMPLATE_NAME_MAX + 1];
	char			 err[32];
	const char		*type;
	struct campaign_vars	 cv;
	PGresult		*res;
	long			 n;
	int			 i;

	r->dry_run = 1;
	if ((n = query_long(r, "limit", 5, PREVIEW_MAX)) == -1 ||
	    validate_body(r, campaign_fields, CAMPAIGN_FIELDS, &in) == -1)
		return;
	if (campaign_create(r, in, id) == -1)
		goto out;
	snprintf(limit, sizeof limit, "%ld", n);
	if ((res = api_query(r, "SELECT split_part(chat_id, '@', 1), name, "
	    "variables::text, (SELECT total FROM campaigns WHERE id = $1) FROM "
	    "campaign_recipients WHERE campaign_id = $1 ORDER BY seq LIMIT "
	    "$2::int", 2, (const char *[]){ id, limit })) == NULL)
		goto out;
	message = json_object_object_get(in, "message");
	vars = json_object_object_get(in, "variables");
	items = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		rv = NULL;
		if (jsonx_parse(PQgetvalue(res, i, 2), (size_t)PQgetlength(res,
		    i, 2), JSONX_MAX_DEPTH, &rv, err, sizeof err) == -1)
			rv = NULL;
		cv.recipient = rv;
		cv.campaign = vars;
		cv.name = api_value(res, i, 1);
		cv.phone = PQgetvalue(res, i, 0);
		if (campaign_msg_render(message, &cv, &type, &c, missing,
		    sizeof missing) == 0) {
			struct json_object *p = json_object_new_object();
			char to[32];

			snprintf(to, sizeof to, "+%s", cv.phone);
			jsonx_add_str(p, "to", to);
			jsonx_add_str(p, "type", type);
			json_object_object_add(p, "content", c);
			json_object_array_add(items, p);
		}
		json_object_put(rv);
	}
	body = json_object_new_object();
	jsonx_add_int(body, "total", PQntuples(res) > 0 ?
	    atol(PQgetvalue(res, 0, 3)) : 0);
	json_object_object_add(body, "previews", items);
	PQclear(res);
	http_respond_json(r, 200, body);
out:
	json_object_put(in);
}

static int
is_campaign_status(const char *s)
{
	static const char *const all[] = { "draft", "scheduled", "running",
	    "paused", "completed", "cancelled", "failed", NULL };

	return validate_one_of(s, all);
}

void
h_campaigns_list(struct req *r)
{
	char		 status[16], cursor[40], limit[8];
	const char	*params[3];
	PGresult	*res;
	long		 n;

	if (query_filter(r, "status", status, sizeof status,
	    is_campaign_status) == 1 ||
	    query_filter(r, "cursor", cursor, sizeof cursor, util_is_uuid) == 1 ||
	    (n = query_long(r, "limit", 50, CAMPAIGNS_PAGE_MAX)) == -1)
		return;
	params[0] = http_query(r, "status", status, sizeof status) == 0 ?
	    status : NULL;
	params[1] = http_query(r, "cursor", cursor, sizeof cursor) == 0 ?
	    cursor : NULL;
	snprintf(limit, sizeof limit, "%ld", n);
	params[2] = limit;
	if ((res = api_query(r, "WITH page AS (SELECT campaign_json(c) AS j, "
	    "c.id, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) "
	    "AS ord FROM campaigns c WHERE ($1::text IS NULL OR c.status = $1) "
	    "AND ($2::uuid IS NULL OR (c.created_at, c.id) < (SELECT "
	    "created_at, id FROM campaigns WHERE id = $2)) ORDER BY "
	    "c.created_at DESC, c.id DESC LIMIT $3::int) SELECT "
	    "json_build_object('campaigns', COALESCE((SELECT json_agg(j ORDER "
	    "BY ord) FROM page), '[]'), 'nextCursor', (SELECT id FROM page "
	    "WHERE ord = $3::int))", 3, params)) == NULL)
		return;
	api_respond_row(r, 200, res, "campaigns");
}

/* GET: the campaign with its counts and, while it runs, an ETA. */
void
h_campaigns_get(struct req *r)
{
	const char	*id;
	PGresult	*res;

	if ((id = api_uuid_param(r, "id", "campaign")) == NULL ||
	    (res = api_query(r, "SELECT (campaign_json(c)::jsonb || "
	    "jsonb_build_object('etaSeconds', CASE WHEN c.status = 'running' "
	    "THEN (SELECT CASE WHEN done > 0 THEN ceil(EXTRACT(epoch FROM "
	    "now() - c.started_at) / done * left_) END FROM (SELECT "
	    "COALESCE(sum(n) FILTER (WHERE status NOT IN ('pending', "
	    "'queued')), 0) AS done, COALESCE(sum(n) FILTER (WHERE status IN "
	    "('pending', 'queued')), 0) AS left_ FROM campaign_counts WHERE "
	    "campaign_id = c.id) k) END))::text FROM campaigns c WHERE id = $1",
	    1, (const char *[]){ id })) == NULL)
		return;
	api_respond_row(r, 200, res, "campaign");
}

static int
is_recipient_status(const char *s)
{
	static const char *const all[] = { "pending", "queued", "sent",
	    "delivered", "read", "failed", "skipped", NULL };

	return validate_one_of(s, all);
}

/* The campaign named by the path, when it is the tenant's; -1 answered. */
static int
campaign_exists(struct req *r, const char **id)
{
	return api_path_row(r, "campaign", "SELECT 1 FROM campaigns WHERE id = "
	    "$1", id);
}

void
h_campaign_recipients(struct req *r)
{
	char		 status[16], limit[8], cursor[16];
	const char	*params[4];
	PGresult	*res;
	long		 n, after;

	if (campaign_exists(r, &params[0]) == -1 ||
	    query_filter(r, "status", status, sizeof status,
	    is_recipient_status) == 1 ||
	    (after = query_long(r, "cursor", 0, 2147483647L)) == -1 ||
	    (n = query_long(r, "limit", 100, RECIPIENTS_PAGE_MAX)) == -1)
		return;
	params[1] = http_query(r, "status", status, sizeof status) == 0 ?
	    status : NULL;
	snprintf(cursor, sizeof cursor, "%ld", after);
	params[2] = cursor;
	snprintf(limit, sizeof limit, "%ld", n);
	params[3] = limit;
	if ((res = api_query(r, "WITH page AS (SELECT campaign_recipient_json(cr) "
	    "AS j, cr.seq FROM campaign_recipients cr WHERE cr.campaign_id = $1 "
	    "AND ($2::text IS NULL OR cr.status = $2) AND cr.seq > $3::int "
	    "ORDER BY cr.seq LIMIT $4::int) SELECT json_build_object("
	    "'recipients', COALESCE((SELECT json_agg(j ORDER BY seq) FROM "
	    "page), '[]'), 'nextCursor', CASE WHEN (SELECT count(*) FROM page) "
	    "= $4::int THEN (SELECT max(seq) FROM page) END)", 4,
	    params)) == NULL)
		return;
	api_respond_row(r, 200, res, "recipients");
}

/* Every recipient as CSV, for spreadsheets. */
void
h_campaign_recipients_export(struct req *r)
{
	const char	*id;
	char		 filename[64];
	PGresult	*res;

	if (campaign_exists(r, &id) == -1 ||
	    (res = api_query(r, "SELECT seq, '+' || split_part(chat_id, '@', 1) "
	    "AS \"to\", COALESCE(name, '') AS name, status, COALESCE(reason, "
	    "'') AS reason, COALESCE(error->>'code', '') AS \"errorCode\", "
	    "COALESCE(message_id::text, '') AS \"messageId\", COALESCE("
	    "api_time(queued_at), '') AS \"queuedAt\", api_time(updated_at) AS "
	    "\"updatedAt\" FROM campaign_recipients WHERE campaign_id = $1 "
	    "ORDER BY seq", 1, (const char *[]){ id })) == NULL)
		return;
	snprintf(filename, sizeof filename, "campaign-%s.csv", id);
	api_respond_result_csv(r, filename, res);
}

/* The control actions: which states each leaves, and to what. */
static const struct campaign_action {
	const char	*name;
	const char	*from;
	const char	*set;
} actions[] = {
	{ "start",  "{draft}", SET_START },
	{ "pause",  "{scheduled,running}", "status = 'paused', pause_reason "
	    "= 'manual'" },
	{ "resume", "{paused}", SET_START },
	{ "cancel", "{draft,scheduled,running,paused}", "status = 'cancelled', "
	    "completed_at = now()" },
};

static void
campaign_control(struct req *r, const char *action)
{
	const struct campaign_action	*a = NULL;
	struct json_object		*details;
	char				 audit[32];
	const char			*id;
	PGresult			*res;
	size_t				 i;

	for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		if (strcmp(actions[i].name, action) == 0)
			a = &actions[i];
	}
	if ((id = api_uuid_param(r, "id", "campaign")) == NULL ||
	    campaign_move(r, id, a->from, a->set, a->name) == -1)
		return;
	/* a cancelled campaign's pending recipients will not be sent */
	if (strcmp(action, "cancel") == 0) {
		if ((res = api_query(r, "UPDATE campaign_recipients SET status = "
		    "'skipped', reason = 'cancelled', updated_at = now() WHERE "
		    "campaign_id = $1 AND status = 'pending'", 1,
		    (const char *[]){ id })) == NULL)
			return;
		PQclear(res);
	}
	if (campaign_notify(r, id) == -1)
		return;
	details = json_object_new_object();
	jsonx_add_str(details, "campaignId", id);
	snprintf(audit, sizeof audit, "campaign.%s", action);
	api_audit(r, audit, details);
	campaign_respond(r, 200, id);
}

void
h_campaign_start(struct req *r)
{
	campaign_control(r, "start");
}

void
h_campaign_pause(struct req *r)
{
	campaign_control(r, "pause");
}

void
h_campaign_resume(struct req *r)
{
	campaign_control(r, "resume");
}

void
h_campaign_cancel(struct req *r)
{
	campaign_control(r, "cancel");
}

/* Failed recipients go back to pending; a finished campaign runs again. */
void
h_campaign_retry_failed(struct req *r)
{
	const char	*id;
	PGresult	*res;

	if ((id = api_uuid_param(r, "id", "campaign")) == NULL ||
	    campaign_move(r, id, "{running,paused,completed,failed}",
	    "status = CASE WHEN status = 'paused' THEN 'paused' ELSE "
	    "'running' END, completed_at = NULL", "retry") == -1 ||
	    (res = api_query(r, "UPDATE campaign_recipients SET status = "
	    "'pending', reason = NULL, error = NULL, message_id = NULL, "
	    "queued_at = NULL, not_before = NULL, updated_at = now() WHERE "
	    "campaign_id = $1 AND status = 'failed'", 1,
	    (const char *[]){ id })) == NULL)
		return;
	PQclear(res);
	if (campaign_notify(r, id) == -1)
		return;
	campaign_respond(r, 200, id);
}

/* A new draft with the same message, settings and recipients. */
void
h_campaign_duplicate(struct req *r)
{
	const char	*id;
	char		 copy[40];
	PGresult	*res;

	if ((id = api_uuid_param(r, "id", "campaign")) == NULL ||
	    (res = api_query(r, "INSERT INTO campaigns (tenant_id, instance_id, "
	    "name, message, variables, contact_list_id, rate_per_minute, "
	    "min_delay_ms, max_delay_ms, total) SELECT tenant_id, instance_id, "
	    "left(name, 193) || ' (copy)', message, variables, contact_list_id, "
	    "rate_per_minute, min_delay_ms, max_delay_ms, total FROM campaigns "
	    "WHERE id = $1 RETURNING id", 1, (const char *[]){ id })) == NULL)
		return;
	if (PQntuples(res) == 0) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such campaign", NULL);
		return;
	}
	snprintf(copy, sizeof copy, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((res = api_query(r, "INSERT INTO campaign_recipients (campaign_id, "
	    "seq, tenant_id, chat_id, name, variables) SELECT $2, seq, "
	    "tenant_id, chat_id, name, variables FROM campaign_recipients WHERE "
	    "campaign_id = $1", 2, (const char *[]){ id, copy })) == NULL)
		return;
	PQclear(res);
	campaign_respond(r, 201, copy);
}

void
h_campaigns_delete(struct req *r)
{
	const char	*id;
	PGresult	*res;

	if ((id = api_uuid_param(r, "id", "campaign")) == NULL ||
	    (res = api_query(r, "WITH c AS (SELECT status FROM campaigns WHERE "
	    "id = $1), d AS (DELETE FROM campaigns WHERE id = $1 AND status = "
	    "'draft' RETURNING 1) SELECT c.status, (SELECT count(*) FROM d) "
	    "FROM c", 1, (const char *[]){ id })) == NULL)
		return;
	if (PQntuples(res) == 0)
		http_respond_error(r, 404, "not_found", "no such campaign", NULL);
	else if (atol(PQgetvalue(res, 0, 1)) == 0)
		http_respond_error(r, 409, "invalid_state", "only a draft can be "
		    "deleted: cancel the campaign instead", NULL);
	else
		http_respond_json(r, 204, NULL);
	PQclear(res);
}
