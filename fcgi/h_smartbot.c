/*
 * SmartBot rules (the seed's /smartbot): a tenant's auto-replies, in
 * priority order, first match wins. A rule is checked whole at every save
 * (its keywords folded, its regex compiled by PCRE2: a bad one is 422 with
 * PCRE2's message and offset) by lib/smartbot.h, which the engine matches
 * with too; NOTIFY waqtor_smartbot tells the engine to reload the tenant's
 * rules, and smartbot.rule-updated the tenant's clients. POST
 * /smartbot/test says which rule a text would fire, and why, without
 * sending anything.
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
#include "phone.h"
#include "smartbot.h"
#include "util.h"
#include "validate.h"
#include "xmalloc.h"

#define RULES_MAX		1000	/* per tenant */
#define STR(x)			#x
#define XSTR(x)			STR(x)
#define RULES_MAX_STR		XSTR(RULES_MAX)
#define REPLIES_MAX		10	/* variations of a reply */
#define RULE_INSTANCES_MAX	100

/* what a reply may say: {{name}} {{phone}} {{time}} {{date}} */
static const char *const reply_vars[] = { "name", "phone", "time", "date",
    NULL };

static const struct vfield rule_fields[] = {
	{ "name", V_STRING, 1, 1, 200, NULL },
	{ "match", V_ENUM, 1, 0, 0, smartbot_matches },
	{ "keywords", V_STRINGS, 0, 0, SB_KEYWORDS_MAX, NULL },
	{ "pattern", V_STRING, 0, 1, SB_PATTERN_MAX, NULL },
	{ "normalize", V_BOOL, 0, 0, 0, NULL },
	{ "threshold", V_ANY, 0, 0, 0, NULL },		/* a number: rule_check */
	{ "replies", V_ARRAY, 1, 1, REPLIES_MAX, NULL },
	{ "instanceIds", V_UUIDS, 0, 0, RULE_INSTANCES_MAX, NULL },
	{ "enabled", V_BOOL, 0, 0, 0, NULL },
	{ "schedule", V_OBJECT, 0, 0, 0, NULL },
	{ "cooldownSeconds", V_INT, 0, 0, 604800, NULL },
	{ "typingDelayMs", V_INT, 0, 0, 30000, NULL },
	{ "allowGroups", V_BOOL, 0, 0, 0, NULL },
};
#define NFIELDS		(sizeof rule_fields / sizeof rule_fields[0])
/* these may be null (none) */
static const char *const nullable[] = { "pattern", "instanceIds",
    "schedule", NULL };

/* What a new rule has unless it says otherwise. */
#define RULE_DEFAULTS "{\"keywords\":[],\"pattern\":null,\"normalize\":true," \
	"\"threshold\":0.8,\"instanceIds\":null,\"enabled\":true,"	\
	"\"schedule\":null,\"cooldownSeconds\":0,\"typingDelayMs\":0,"	\
	"\"allowGroups\":false}"

static void	reply_vars_check(struct json_object *, const char *,
		    struct json_object *);

/* A rule's schedule: 0, or -1 with its problems in details. */
static int
schedule_check(struct json_object *o, struct json_object *details)
{
	static const struct vfield fields[] = {
		{ "days", V_STRINGS, 1, 1, 7, NULL },
		{ "from", V_STRING, 1, 5, 5, NULL },
		{ "to", V_STRING, 1, 5, 5, NULL },
		{ "outOfHoursReply", V_OBJECT, 0, 0, 0, NULL },
	};
	struct sb_schedule	 sched;
	struct json_object	*v;

	if (validate_object(o, fields, 4, "schedule.", details) == 0 &&
	    smartbot_schedule_json(o, &sched) == -1)
		jsonx_add_str(details, "schedule", "days are mon, tue, wed, thu, "
		    "fri, sat or sun; from and to are times HH:MM (00:00 to "
		    "24:00, from before 24:00)");
	if (json_object_object_get_ex(o, "outOfHoursReply", &v)) {
		message_check(v, "schedule.outOfHoursReply", 0, details);
		reply_vars_check(v, "schedule.outOfHoursReply", details);
	}
	return json_object_object_length(details) > 0 ? -1 : 0;
}

/* Adds to details each variable msg uses that a reply cannot have. */
static void
reply_vars_check(struct json_object *msg, const char *field,
    struct json_object *details)
{
	struct json_object	*names = json_object_new_array();
	size_t			 i;

	campaign_msg_names(msg, names);
	for (i = 0; i < json_object_array_length(names); i++) {
		if (!validate_one_of(json_object_get_string(
		    json_object_array_get_idx(names, i)), reply_vars)) {
			jsonx_add_str(details, field, "a reply may use "
			    "{{name}}, {{phone}}, {{time}} and {{date}} only");
			break;
		}
	}
	json_object_put(names);
}

/*
 * Checks a whole rule (every field present, as RULE_DEFAULTS fills them
 * in); 0, or -1 answered. Compiles it as the engine will.
 */
static int
rule_check(struct req *r, struct json_object *in)
{
	struct json_object	*details = json_object_new_object(), *v, *a;
	const char		*match = jsonx_get_str(in, "match");
	const char		*kw[SB_KEYWORDS_MAX];
	struct sb_rule		*rule;
	PGresult		*res;
	char			 field[48], err[256];
	double			 th = 0.8;
	long			 off;
	size_t			 i, n = 0;
	int			 m = smartbot_match_find(match);

	v = json_object_object_get(in, "threshold");
	if (v != NULL && !json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		jsonx_add_str(details, "threshold", "must be a number");
	else if (v != NULL && !((th = json_object_get_double(v)) >= 0.01 &&
	    th <= 1))
		jsonx_add_str(details, "threshold", "must be from 0.01 to 1");
	a = json_object_object_get(in, "replies");
	if (json_object_array_length(a) == 0)
		jsonx_add_str(details, "replies", "give 1 to 10");
	for (i = 0; i < json_object_array_length(a); i++) {
		snprintf(field, sizeof field, "replies.%zu", i);
		message_check(json_object_array_get_idx(a, i), field, 0,
		    details);
		reply_vars_check(json_object_array_get_idx(a, i), field,
		    details);
	}
	if ((v = json_object_object_get(in, "schedule")) != NULL)
		(void)schedule_check(v, details);
	a = json_object_object_get(in, "keywords");
	if (strcmp(match, "regex") == 0) {
		if (jsonx_get_str(in, "pattern") == NULL)
			jsonx_add_str(details, "pattern", "a regex rule needs "
			    "one");
		if (json_object_array_length(a) > 0)
			jsonx_add_str(details, "keywords", "a regex rule has a "
			    "pattern instead");
	} else {
		if (json_object_object_get(in, "pattern") != NULL)
			jsonx_add_str(details, "pattern", "only a regex rule "
			    "has one");
		if (strcmp(match, "fallback") == 0 ?
		    json_object_array_length(a) > 0 :
		    json_object_array_length(a) == 0)
			jsonx_add_str(details, "keywords", strcmp(match,
			    "fallback") == 0 ? "a fallback rule answers when "
			    "no rule matches: it has none" : "give 1 to 50");
	}
	if (json_object_object_length(details) > 0) {
		validate_fail(r, details);
		return -1;
	}
	json_object_put(details);

	/* the engine's own compilation */
	if (strcmp(match, "fallback") != 0) {
		a = json_object_object_get(in, "keywords");
		for (i = 0; i < json_object_array_length(a); i++)
			kw[n++] = json_object_get_string(
			    json_object_array_get_idx(a, i));
		rule = smartbot_compile((enum sb_match)m, kw, n,
		    jsonx_get_str(in, "pattern"), json_object_get_boolean(
		    json_object_object_get(in, "normalize")), th, err,
		    sizeof err, &off);
		if (rule == NULL) {
			details = json_object_new_object();
			jsonx_add_str(details, m == SB_REGEX ? "pattern" :
			    "keywords", err);
			if (off >= 0)
				jsonx_add_int(details, "offset", off);
			http_respond_error(r, 422, "invalid_rule", err, details);
			return -1;
		}
		smartbot_free(rule);
	}
	/* instances of the tenant's own (RLS: another's are not found) */
	if ((a = json_object_object_get(in, "instanceIds")) != NULL) {
		const char *params[] = { jsonx_string(a) };

		if ((res = api_query(r, "SELECT count(*) = (SELECT count("
		    "DISTINCT x) FROM jsonb_array_elements_text($1::jsonb) x) "
		    "FROM instances WHERE id IN (SELECT jsonb_array_elements_"
		    "text($1::jsonb)::uuid)", 1, params)) == NULL)
			return -1;
		if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
			PQclear(res);
			http_respond_error(r, 422, "unknown_instance", "an id of "
			    "instanceIds is not one of your instances", NULL);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

/*
 * The body, over base (the defaults, or the rule as it is), checked whole:
 * a new object, or NULL answered. Nullable fields sent as null are unset.
 */
static struct json_object *
rule_body(struct req *r, const char *base, int partial)
{
	struct json_object	*in, *out = NULL, *details, *v;
	struct vfield		 fields[NFIELDS];
	char			 err[64];
	size_t			 i;

	memcpy(fields, rule_fields, sizeof fields);
	for (i = 0; partial && i < NFIELDS; i++)
		fields[i].required = 0;
	if (jsonx_parse(base, strlen(base), JSONX_MAX_DEPTH, &out, err,
	    sizeof err) == -1) {
		http_respond_error(r, 500, "internal", "internal error", NULL);
		return NULL;
	}
	/* validate_body refuses nulls: take them out first */
	if (validate_json_body(r, &in) == -1) {
		json_object_put(out);
		return NULL;
	}
	for (i = 0; nullable[i] != NULL; i++) {
		if (json_object_object_get_ex(in, nullable[i], &v) && v == NULL) {
			json_object_object_del(in, nullable[i]);
			json_object_object_add(out, nullable[i], NULL);
		}
	}
	details = json_object_new_object();
	if (validate_object(in, fields, NFIELDS, "", details) == -1) {
		validate_fail(r, details);
		json_object_put(in);
		json_object_put(out);
		return NULL;
	}
	json_object_put(details);
	json_object_object_foreach(in, k, val)
		json_object_object_add(out, k, json_object_get(val));
	json_object_put(in);
	if (rule_check(r, out) == -1) {
		json_object_put(out);
		return NULL;
	}
	return out;
}

/* A rule's columns and their values from $2.. (rule_params), for both
 * the INSERT and the UPDATE. */
#define RULE_COLUMNS "name, match, keywords, pattern, normalize, threshold, " \
	"replies, instance_ids, enabled, schedule, cooldown_seconds, "	\
	"typing_delay_ms, allow_groups"
#define RULE_VALUES "$2, $3, ARRAY(SELECT jsonb_array_elements_text("	\
	"$4::jsonb)), $5, $6::boolean, $7::real, $8::jsonb, CASE WHEN "	\
	"$9::jsonb IS NULL THEN NULL ELSE ARRAY(SELECT "		\
	"jsonb_array_elements_text($9::jsonb)::uuid) END, $10::boolean, "	\
	"$11::jsonb, $12::int, $13::int, $14::boolean"
#define RULE_NPARAMS	14

static void
rule_params(struct json_object *in, const char *params[RULE_NPARAMS])
{
	static const char *const keys[] = { "name", "match", "keywords",
	    "pattern", "normalize", "threshold", "replies", "instanceIds",
	    "enabled", "schedule", "cooldownSeconds", "typingDelayMs",
	    "allowGroups" };
	struct json_object	*v;
	size_t			 i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		v = json_object_object_get(in, keys[i]);
		params[i + 1] = v == NULL ? NULL :
		    json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : jsonx_string(v);
	}
}

/* NOTIFY the engine (it reloads the tenant's rules), and tell the tenant's
 * clients (smartbot.rule-updated) once committed. */
static int
rule_notify(struct req *r, const char *id, const char *action)
{
	struct json_object	*data;
	PGresult		*res;

	if ((res = api_query(r, "SELECT pg_notify('waqtor_smartbot', "
	    "current_setting('waqtor.tenant_id'))", 0, NULL)) == NULL)
		return -1;
	PQclear(res);
	data = json_object_new_object();
	jsonx_add_str(data, "ruleId", id);
	jsonx_add_str(data, "action", action);
	return api_event(r, "smartbot.rule-updated", NULL, data) != NULL ? 0 :
	    -1;
}

void
h_smartbot_rules_list(struct req *r)
{
	PGresult	*res;

	if ((res = api_query(r, "SELECT json_build_object('rules', "
	    "COALESCE(json_agg(smartbot_rule_json(s) ORDER BY s.priority, "
	    "s.id), '[]'))::text FROM smartbot_rules s", 0, NULL)) != NULL)
		api_respond_row(r, 200, res, "rules");
}

void
h_smartbot_rules_get(struct req *r)
{
	api_get_row(r, "rule", "SELECT smartbot_rule_json(s) FROM "
	    "smartbot_rules s WHERE id = $1");
}

void
h_smartbot_rules_create(struct req *r)
{
	struct json_object	*in;
	const char		*params[RULE_NPARAMS];
	char			 id[40];
	PGresult		*res;

	if ((in = rule_body(r, RULE_DEFAULTS, 0)) == NULL)
		return;
	rule_params(in, params);
	params[0] = RULES_MAX_STR;
	/* (one statement: the count, the next priority and the row) */
	if ((res = api_query(r, "INSERT INTO smartbot_rules AS s (tenant_id, "
	    "priority, " RULE_COLUMNS ") SELECT current_setting("
	    "'waqtor.tenant_id')::uuid, COALESCE(max(priority), 0) + 1, "
	    RULE_VALUES " FROM smartbot_rules HAVING count(*) < $1::int "
	    "RETURNING smartbot_rule_json(s), id", RULE_NPARAMS,
	    params)) == NULL)
		goto out;
	if (PQntuples(res) == 0) {
		PQclear(res);
		http_respond_error(r, 422, "too_many_rules", "a tenant has at "
		    "most " RULES_MAX_STR " rules", NULL);
		goto out;
	}
	snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 1));
	if (rule_notify(r, id, "created") == -1) {
		PQclear(res);
		goto out;
	}
	api_respond_row(r, 201, res, "rule");
out:
	json_object_put(in);
}

void
h_smartbot_rules_update(struct req *r)
{
	struct json_object	*in = NULL;
	const char		*params[RULE_NPARAMS];
	PGresult		*res = NULL;

	if ((params[0] = api_uuid_param(r, "id", "rule")) == NULL ||
	    (res = api_query(r, "SELECT smartbot_rule_json(s) FROM "
	    "smartbot_rules s WHERE id = $1 FOR UPDATE", 1, params)) == NULL)
		return;
	if (PQntuples(res) == 0) {
		http_respond_error(r, 404, "not_found", "no such rule", NULL);
		goto out;
	}
	if ((in = rule_body(r, PQgetvalue(res, 0, 0), 1)) == NULL)
		goto out;
	PQclear(res);
	rule_params(in, params);
	if ((res = api_query(r, "UPDATE smartbot_rules s SET (" RULE_COLUMNS
	    ") = (" RULE_VALUES "), error = NULL, updated_at = now() WHERE id "
	    "= $1 RETURNING smartbot_rule_json(s)", RULE_NPARAMS,
	    params)) == NULL)
		goto out;
	if (rule_notify(r, params[0], "updated") == 0) {
		api_respond_row(r, 200, res, "rule");
		res = NULL;
	}
out:
	PQclear(res);
	json_object_put(in);
}

void
h_smartbot_rules_delete(struct req *r)
{
	const char	*params[1];

	if ((params[0] = api_uuid_param(r, "id", "rule")) != NULL &&
	    rule_notify(r, params[0], "deleted") == 0)
		(void)api_delete(r, "rule", "DELETE FROM smartbot_rules WHERE id "
		    "= $1 RETURNING 1", 1, params);	/* (a 404 commits nothing) */
}

/* {"ruleIds": [...]}: every rule of the tenant, once, in the new order. */
void
h_smartbot_rules_reorder(struct req *r)
{
	static const struct vfield fields[] = {
		{ "ruleIds", V_UUIDS, 1, 0, RULES_MAX, NULL },
	};
	struct json_object	*in;
	const char		*params[1];
	PGresult		*res;

	if (validate_body(r, fields, 1, &in) == -1)
		return;
	params[0] = jsonx_string(json_object_object_get(in, "ruleIds"));
	if ((res = api_query(r, "WITH x AS (SELECT v::uuid AS id, n FROM "
	    "jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS a(v, n)), "
	    "ok AS (SELECT (SELECT count(*) FROM x) = (SELECT count(*) FROM "
	    "smartbot_rules) AND (SELECT count(DISTINCT id) FROM x) = (SELECT "
	    "count(*) FROM x) AND NOT EXISTS (SELECT 1 FROM x WHERE id NOT IN "
	    "(SELECT id FROM smartbot_rules)) AS ok), u AS (UPDATE "
	    "smartbot_rules s SET priority = x.n, updated_at = now() FROM x, ok "
	    "WHERE s.id = x.id AND ok.ok RETURNING 1) SELECT ok FROM ok", 1,
	    params)) == NULL)
		goto out;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		PQclear(res);
		http_respond_error(r, 422, "incomplete_order", "ruleIds must "
		    "name each of your rules exactly once", NULL);
		goto out;
	}
	PQclear(res);
	if (rule_notify(r, NULL, "reordered") == 0)
		h_smartbot_rules_list(r);
out:
	json_object_put(in);
}

/* The columns smartbot_test reads of each rule, in priority order. */
#define TEST_COLUMNS "s.id, s.name, s.match, to_json(s.keywords)::text, "	\
	"s.pattern, s.normalize, s.threshold, s.replies::text, s.enabled, "	\
	"$1::uuid IS NULL OR s.instance_ids IS NULL OR $1::uuid = ANY "	\
	"(s.instance_ids), "						\
	"s.schedule::text, s.allow_groups, EXISTS (SELECT 1 FROM "	\
	"smartbot_replies b WHERE b.rule_id = s.id AND b.chat_id = $2 AND "	\
	"b.created_at > now() - make_interval(secs => s.cooldown_seconds))"

/* One rule of the test's rows, as the engine loads it. */
static void
test_candidate(PGresult *res, int i, struct sb_candidate *c,
    struct sb_schedule *sched, struct json_object **schedule)
{
	memset(c, 0, sizeof *c);
	c->enabled = smartbot_candidate_load(c, sched, schedule,
	    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), api_value(res, i, 4),
	    strcmp(PQgetvalue(res, i, 5), "t") == 0, atof(PQgetvalue(res, i, 6)),
	    api_value(res, i, 10)) == 0 && strcmp(PQgetvalue(res, i, 8),
	    "t") == 0;
	c->this_instance = strcmp(PQgetvalue(res, i, 9), "t") == 0;
	c->allow_groups = strcmp(PQgetvalue(res, i, 11), "t") == 0;
	c->cooling = strcmp(PQgetvalue(res, i, 12), "t") == 0;
}

/*
 * POST /smartbot/test {"text", "from"?, "instanceId"?, "group"?}: which
 * rule would answer and why, each rule's outcome in order, and the reply
 * rendered; nothing is sent and no rule's hits change.
 */
void
h_smartbot_test(struct req *r)
{
	static const struct vfield fields[] = {
		{ "text", V_TEXT, 1, 1, CAMPAIGN_TEXT_MAX, NULL },
		{ "from", V_STRING, 0, 1, 32, NULL },
		{ "instanceId", V_UUID, 0, 0, 0, NULL },
		{ "group", V_BOOL, 0, 0, 0, NULL },
	};
	struct json_object	*in, *out = NULL, *evals, *e, *replies = NULL;
	struct json_object	*sch[RULES_MAX], *content;
	struct sb_candidate	*c = NULL;
	struct sb_schedule	*sched = NULL;
	struct sb_text		 t;
	struct sb_local		 now;
	const char		*params[3], *type, *from;
	char			 cc[PHONE_CC_MAX + 1], phone[PHONE_LEN] = "";
	char			 chat[PHONE_LEN + 8] = "", missing[80];
	PGresult		*res = NULL, *tz = NULL;
	int			 i, n = 0, win, group;

	if (validate_body(r, fields, 4, &in) == -1)
		return;
	memset(&t, 0, sizeof t);
	if ((from = jsonx_get_str(in, "from")) != NULL) {
		if (contacts_default_cc(r, cc) == -1 ||
		    contacts_phone(r, "from", from, cc, phone) == -1)
			goto out;
		snprintf(chat, sizeof chat, "%s@c.us", phone);
	}
	group = json_object_get_boolean(json_object_object_get(in, "group"));
	params[0] = jsonx_get_str(in, "instanceId");
	params[1] = chat;
	params[2] = phone;
	if ((tz = api_query(r, "SELECT tenant_time_zone(current_setting("
	    "'waqtor.tenant_id')::uuid), (SELECT name FROM contacts WHERE "
	    "phone = NULLIF($3, '')), $1::uuid IS NULL OR EXISTS (SELECT 1 "
	    "FROM instances WHERE id = $1), (EXTRACT(epoch FROM now()) * "
	    "1000)::bigint, $2", 3, params)) == NULL)
		goto out;
	if (strcmp(PQgetvalue(tz, 0, 2), "t") != 0) {
		http_respond_error(r, 404, "not_found", "no such instance", NULL);
		goto out;
	}
	if ((res = api_query(r, "SELECT " TEST_COLUMNS " FROM smartbot_rules s "
	    "ORDER BY s.priority, s.id", 2, params)) == NULL)
		goto out;
	n = PQntuples(res);
	c = xcalloc((size_t)n + 1, sizeof *c);
	sched = xcalloc((size_t)n + 1, sizeof *sched);
	for (i = 0; i < n; i++)
		test_candidate(res, i, &c[i], &sched[i], &sch[i]);
	(void)smartbot_text(&t, jsonx_get_str(in, "text"),
	    strlen(jsonx_get_str(in, "text")));
	if (smartbot_local(PQgetvalue(tz, 0, 0), atoll(PQgetvalue(tz, 0, 3)),
	    &now) == -1)	/* (a zone PostgreSQL knows and ICU does not) */
		(void)smartbot_local("UTC", atoll(PQgetvalue(tz, 0, 3)), &now);
	win = smartbot_decide(c, (size_t)n, &t, &now, group);

	out = json_object_new_object();
	jsonx_add_str(out, "normalizedText", t.folded);
	evals = json_object_new_array();
	for (i = 0; i < n; i++) {
		e = json_object_new_object();
		jsonx_add_str(e, "ruleId", PQgetvalue(res, i, 0));
		jsonx_add_str(e, "name", PQgetvalue(res, i, 1));
		jsonx_add_str(e, "outcome", smartbot_outcomes[c[i].outcome]);
		if (c[i].outcome == SB_ANSWERS || c[i].outcome ==
		    SB_ANSWERS_CLOSED || c[i].outcome == SB_CLOSED ||
		    c[i].outcome == SB_COOLDOWN) {
			const char *s = c[i].hit.folded ? t.folded : t.raw;

			if (c[i].rule != NULL) {
				json_object_object_add(e, "matched",
				    json_object_new_string_len(s + c[i].hit.off,
				    (int)c[i].hit.len));
				json_object_object_add(e, "score",
				    json_object_new_double(c[i].hit.score));
			}
		}
		json_object_array_add(evals, e);
	}
	json_object_object_add(out, "rules", evals);
	json_object_object_add(out, "ruleId", win == -1 ? NULL :
	    json_object_new_string(PQgetvalue(res, win, 0)));
	json_object_object_add(out, "outOfHours", json_object_new_boolean(
	    win != -1 && c[win].outcome == SB_ANSWERS_CLOSED));
	content = NULL;
	if (win != -1 && jsonx_parse(PQgetvalue(res, win, 7), (size_t)
	    PQgetlength(res, win, 7), JSONX_MAX_DEPTH, &replies, missing,
	    sizeof missing) == 0)
		content = smartbot_render(replies, json_object_object_get(
		    sch[win], "outOfHoursReply"), c[win].outcome ==
		    SB_ANSWERS_CLOSED, &now, api_value(tz, 0, 1), phone, &type);
	json_object_object_add(out, "reply", content);
	http_respond_json(r, 200, out);
out:
	for (i = 0; i < n; i++) {
		smartbot_free((struct sb_rule *)c[i].rule);
		json_object_put(sch[i]);
	}
	free(c);
	free(sched);
	json_object_put(replies);
	smartbot_text_free(&t);
	PQclear(res);
	PQclear(tz);
	json_object_put(in);
}
