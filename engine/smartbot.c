/*
 * SmartBot in the engine: a new inbound text is matched against its
 * tenant's rules (lib/smartbot.h), compiled once and cached per tenant
 * until NOTIFY waqtor_smartbot says they changed, so matching costs no
 * database round trip; the reply is queued in the outbox in the inbound
 * event's own transaction, with a row in smartbot_replies, so a replayed
 * event never gets a second reply.
 *
 * Never a loop: the bot does not answer a number that is one of the
 * tenant's own instances, stays silent in a chat for handover_minutes after
 * a person (an API send that is no campaign's and no bot's) wrote in it,
 * and answers a chat at most chat_replies_per_minute times a minute (the
 * tenant's smartbot settings). Stop and start keywords are never answered
 * by rules (engine/optout.c handles them first).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_msg.h"
#include "engine.h"
#include "jsonx.h"
#include "log.h"
#include "settings.h"
#include "smartbot.h"
#include "xmalloc.h"

#define SB_CACHE_MS	60000	/* reloaded at least this often anyway */

struct sb_entry {
	char			 id[UTIL_UUID_LEN + 1];
	char			 name[201];
	struct sb_candidate	 c;
	struct sb_schedule	 sched;
	struct json_object	*replies;
	struct json_object	*schedule;
	struct json_object	*instances;	/* array of ids, or NULL */
	int			 cooldown_s, typing_ms;
};

struct sb_tenant {
	struct sb_tenant	*next;
	char			 id[UTIL_UUID_LEN + 1];
	char			 tz[65];
	int			 enabled, handover_min, per_minute;
	struct sb_entry		*rules;
	struct sb_candidate	*cands;		/* decide's array */
	size_t			 n;
	long long		 loaded_ms;
};

static void
sb_tenant_free(struct sb_tenant *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		smartbot_free((struct sb_rule *)t->rules[i].c.rule);
		json_object_put(t->rules[i].replies);
		json_object_put(t->rules[i].schedule);
		json_object_put(t->rules[i].instances);
	}
	free(t->rules);
	free(t->cands);
	free(t);
}

void
smartbot_forget(struct engine *e, const char *tenant_id)
{
	struct sb_tenant	**pp, *t;

	for (pp = &e->smartbot; (t = *pp) != NULL;) {
		if (tenant_id == NULL || strcmp(t->id, tenant_id) == 0) {
			*pp = t->next;
			sb_tenant_free(t);
		} else
			pp = &t->next;
	}
}

/* NOTIFY waqtor_smartbot (the tenant's id): its rules changed. */
void
smartbot_notified(struct engine *e, const char *tenant_id)
{
	if (util_is_uuid(tenant_id))
		smartbot_forget(e, tenant_id);
}

static void
sb_entry_fill(struct sb_entry *r, PGresult *res, int i)
{
	char	err[64];

	snprintf(r->id, sizeof r->id, "%s", PQgetvalue(res, i, 0));
	snprintf(r->name, sizeof r->name, "%s", PQgetvalue(res, i, 1));
	/* (a rule that does not compile does not run: the API saves none) */
	r->c.enabled = smartbot_candidate_load(&r->c, &r->sched, &r->schedule,
	    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetisnull(res, i,
	    4) ? NULL : PQgetvalue(res, i, 4), strcmp(PQgetvalue(res, i, 5),
	    "t") == 0, atof(PQgetvalue(res, i, 6)), PQgetisnull(res, i, 10) ?
	    NULL : PQgetvalue(res, i, 10)) == 0 && strcmp(PQgetvalue(res, i,
	    8), "t") == 0;
	if (jsonx_parse(PQgetvalue(res, i, 7), (size_t)PQgetlength(res, i, 7),
	    JSONX_MAX_DEPTH, &r->replies, err, sizeof err) == -1)
		r->replies = NULL;	/* (stored by the API: valid) */
	if (!PQgetisnull(res, i, 9) && jsonx_parse(PQgetvalue(res, i, 9),
	    (size_t)PQgetlength(res, i, 9), JSONX_MAX_DEPTH, &r->instances,
	    err, sizeof err) == -1)
		r->instances = NULL;
	r->c.allow_groups = strcmp(PQgetvalue(res, i, 11), "t") == 0;
	r->cooldown_s = atoi(PQgetvalue(res, i, 12));
	r->typing_ms = atoi(PQgetvalue(res, i, 13));
}

/* The tenant's rules and settings, from the cache or loaded; NULL when the
 * database failed (err says so). */
static struct sb_tenant *
sb_tenant_get(struct engine *e, const char *tenant_id, char *err,
    size_t errlen)
{
	struct json_object	*set, *v;
	struct sb_tenant	*t;
	PGresult		*res;
	const char		*params[1] = { tenant_id };
	int			 i;

	for (t = e->smartbot; t != NULL; t = t->next) {
		if (strcmp(t->id, tenant_id) == 0) {
			if (util_now_ms() - t->loaded_ms < SB_CACHE_MS)
				return t;
			smartbot_forget(e, tenant_id);
			break;
		}
	}
	res = db_query(&e->db, "SELECT tenant_time_zone($1), (SELECT "
	    "smartbot::text FROM tenant_settings WHERE tenant_id = $1)", 1,
	    params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		snprintf(err, errlen, "database: reading SmartBot settings");
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	snprintf(t->id, sizeof t->id, "%s", tenant_id);
	snprintf(t->tz, sizeof t->tz, "%s", PQgetvalue(res, 0, 0));
	set = settings_merge(SETTINGS_SMARTBOT_DEFAULTS, PQgetisnull(res, 0,
	    1) ? NULL : PQgetvalue(res, 0, 1));
	t->enabled = (v = json_object_object_get(set, "enabled")) == NULL ||
	    json_object_get_boolean(v);
	t->handover_min = json_object_get_int(json_object_object_get(set,
	    "handover_minutes"));
	t->per_minute = json_object_get_int(json_object_object_get(set,
	    "chat_replies_per_minute"));
	json_object_put(set);
	PQclear(res);
	res = db_query(&e->db, "SELECT id, name, match, to_json(keywords)::text, "
	    "pattern, normalize, threshold, replies::text, enabled, "
	    "to_json(instance_ids)::text, schedule::text, allow_groups, "
	    "cooldown_seconds, typing_delay_ms FROM smartbot_rules WHERE "
	    "tenant_id = $1 ORDER BY priority, id", 1, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		free(t);
		snprintf(err, errlen, "database: reading SmartBot rules");
		return NULL;
	}
	t->n = (size_t)PQntuples(res);
	t->rules = xcalloc(t->n + 1, sizeof *t->rules);
	t->cands = xcalloc(t->n + 1, sizeof *t->cands);
	for (i = 0; i < PQntuples(res); i++)
		sb_entry_fill(&t->rules[i], res, i);
	PQclear(res);
	t->loaded_ms = util_now_ms();
	t->next = e->smartbot;
	e->smartbot = t;
	return t;
}

static int
sb_for_instance(const struct sb_entry *r, const char *instance)
{
	size_t	i;

	if (r->instances == NULL ||
	    !json_object_is_type(r->instances, json_type_array))
		return 1;
	for (i = 0; i < json_object_array_length(r->instances); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(
		    r->instances, i)), instance) == 0)
			return 1;
	return 0;
}

/* Marks a rule whose regex ran out of its match limit (it is skipped). */
static void
sb_failed(struct engine *e, const struct sb_entry *r)
{
	const char	*params[1] = { r->id };

	log_warn("SmartBot rule %s: its regex ran out of its match limit",
	    r->id);
	if (db_exec(&e->db, "UPDATE smartbot_rules SET error = 'its regex ran "
	    "out of its match limit on a message' WHERE id = $1 AND error IS "
	    "NULL", 1, params) == -1)
		log_warn("SmartBot rule %s: its error not recorded", r->id);
}

struct json_object *
smartbot_inbound(struct engine *e, const char *tenant, const char *instance,
    const char *inbound_id, const char *from, const char *name,
    const char *text, char *err, size_t errlen)
{
	struct sb_tenant	*t;
	struct sb_text		 txt;
	struct sb_local		 now;
	struct json_object	*content = NULL, *data = NULL;
	struct sb_entry		*r;
	const char		*params[8], *type = "text";
	char			 chat[48], delay[16], handover[16], cap[16];
	char			 when[32], known[201];
	PGresult		*res = NULL;
	size_t			 i;
	int			 win, closed;

	*err = '\0';
	if (text == NULL || (t = sb_tenant_get(e, tenant, err, errlen)) == NULL)
		return NULL;
	if (!t->enabled || t->n == 0 ||
	    smartbot_text(&txt, text, strlen(text)) == -1)
		return NULL;
	snprintf(chat, sizeof chat, "%s@c.us", from);
	if (smartbot_local(t->tz, util_wall_ms(), &now) == -1)
		(void)smartbot_local("UTC", util_wall_ms(), &now);
	for (i = 0; i < t->n; i++) {
		t->cands[i] = t->rules[i].c;
		t->cands[i].this_instance = sb_for_instance(&t->rules[i],
		    instance);
	}
	win = smartbot_decide(t->cands, t->n, &txt, &now, 0);
	for (i = 0; i < t->n; i++)
		if (t->cands[i].outcome == SB_FAILED)
			sb_failed(e, &t->rules[i]);
	if (win == -1)
		goto out;
	r = &t->rules[win];
	closed = t->cands[win].outcome == SB_ANSWERS_CLOSED;

	/* what only the database knows: loops, handover, cooldown */
	snprintf(handover, sizeof handover, "%d", t->handover_min);
	snprintf(cap, sizeof cap, "%d", t->per_minute);
	snprintf(delay, sizeof delay, "%d", r->cooldown_s);
	params[0] = tenant;
	params[1] = instance;
	params[2] = chat;
	params[3] = from;
	params[4] = handover;
	params[5] = cap;
	params[6] = r->id;
	params[7] = delay;
	res = db_query(&e->db, "SELECT "
	    /* a number of one of the tenant's instances */
	    "EXISTS (SELECT 1 FROM instances WHERE tenant_id = $1 AND "
	    "regexp_replace(client_info->>'phoneNumber', '[^0-9]', '', 'g') = "
	    "$4), "
	    /* a person wrote in the chat lately */
	    "EXISTS (SELECT 1 FROM messages m WHERE m.instance_id = $2 AND "
	    "m.chat_id = $3 AND m.direction = 'out' AND m.campaign_id IS NULL "
	    "AND m.created_at > now() - make_interval(mins => $5::int) AND NOT "
	    "EXISTS (SELECT 1 FROM smartbot_replies b WHERE b.reply_id = m.id)), "
	    /* the chat's replies this minute */
	    "(SELECT count(*) FROM smartbot_replies WHERE instance_id = $2 AND "
	    "chat_id = $3 AND created_at > now() - interval '1 minute') >= "
	    "$6::int, "
	    /* this rule answered the chat within its cooldown */
	    "$8::int > 0 AND EXISTS (SELECT 1 FROM smartbot_replies WHERE "
	    "rule_id = $7 AND instance_id = $2 AND chat_id = $3 AND created_at "
	    "> now() - make_interval(secs => $8::int)), "
	    /* {{name}}: the contact's, else the profile's */
	    "(SELECT name FROM contacts WHERE tenant_id = $1 AND phone = $4)",
	    8, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "database: SmartBot's checks");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0 ||
	    strcmp(PQgetvalue(res, 0, 1), "t") == 0 ||
	    strcmp(PQgetvalue(res, 0, 2), "t") == 0 ||
	    strcmp(PQgetvalue(res, 0, 3), "t") == 0) {
		log_info("SmartBot: %s in %s not answered (%s)", r->id, instance,
		    strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? "one of the "
		    "tenant's own numbers" : strcmp(PQgetvalue(res, 0, 1), "t")
		    == 0 ? "handed over to a person" : strcmp(PQgetvalue(res, 0,
		    2), "t") == 0 ? "the chat's replies per minute" :
		    "the rule's cooldown");
		goto out;
	}
	snprintf(known, sizeof known, "%s", PQgetisnull(res, 0, 4) ? (name != NULL ?
	    name : "") : PQgetvalue(res, 0, 4));
	PQclear(res);
	res = NULL;
	if ((content = smartbot_render(r->replies, json_object_object_get(
	    r->schedule, "outOfHoursReply"), closed, &now, known, from,
	    &type)) == NULL)
		goto out;
	snprintf(delay, sizeof delay, "%d", r->typing_ms);
	params[0] = tenant;
	params[1] = instance;
	params[2] = chat;
	params[3] = type;
	params[4] = jsonx_string(content);
	params[5] = inbound_id;
	params[6] = r->id;
	params[7] = delay;
	res = db_query(&e->db, "WITH m AS (INSERT INTO messages (tenant_id, "
	    "instance_id, direction, chat_id, type, content, next_attempt_at) "
	    "VALUES ($1, $2, 'out', $3, $4, $5, now() + make_interval(secs => "
	    "$8::int / 1000.0)) RETURNING id, created_at), b AS (INSERT INTO "
	    "smartbot_replies (inbound_id, tenant_id, instance_id, chat_id, "
	    "rule_id, reply_id) SELECT $6, $1, $2, $3, $7, m.id FROM m), u AS "
	    "(UPDATE smartbot_rules SET hits = hits + 1, last_hit_at = now() "
	    "WHERE id = $7) SELECT m.id, api_time(m.created_at) FROM m", 8,
	    params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "database: queueing SmartBot's reply");
		goto out;
	}
	snprintf(when, sizeof when, "%s", PQgetvalue(res, 0, 1));
	data = json_object_new_object();		/* the seed's shape */
	jsonx_add_str(data, "to", from);
	jsonx_add_str(data, "trigger", text);
	jsonx_add_str(data, "response", jsonx_get_str(content, "text") != NULL ?
	    jsonx_get_str(content, "text") : jsonx_get_str(content, "caption"));
	jsonx_add_str(data, "timestamp", when);
	jsonx_add_str(data, "ruleId", r->id);
	jsonx_add_str(data, "ruleName", r->name);
	jsonx_add_str(data, "messageId", PQgetvalue(res, 0, 0));
	jsonx_add_str(data, "inboundId", inbound_id);
	json_object_object_add(data, "outOfHours",
	    json_object_new_boolean(closed));
	outbox_wake(e, instance);
out:
	PQclear(res);
	json_object_put(content);
	smartbot_text_free(&txt);
	return data;
}
