/*
 * Campaigns: the running campaigns of the instances we own, sent through
 * the same outbox, providers and receipts as single sends.
 *
 * Each dispatch tick, after the outbox has claimed the instance's single
 * sends (which therefore always go first), campaign_dispatch() shares what
 * is left of the instance's rate among its campaigns, round robin. For one
 * campaign it takes the next pending recipients in order, and in one
 * statement marks each queued (with a new outbox message, already claimed
 * by us), skipped (opted out) or deferred (the number got a campaign
 * message from this instance less than WAQTOR_CAMPAIGN_PAIR_SECS ago);
 * then it hands the messages to the provider at once. From there a
 * recipient's status is its message's (sql/009_campaigns.sql). A crash
 * loses nothing: a pending recipient is taken again, a queued one's claim
 * lapses and the outbox sends it (docs/delivery.md: the duplicate window).
 *
 * Pacing layers, none ever exceeded: the instance's rate (outbox.c), the
 * campaign's ratePerMinute (a ring of its last sends, seeded at load from
 * the messages of the last minute, so a restart does not reset it), a
 * random delay between minDelayMs and maxDelayMs after each send, and the
 * pair limit above; and the instance's messaging tier
 * (config.dailyRecipientCap): at most that many numbers reached by
 * campaigns in any 24 hours, after which they wait, with a notification.
 *
 * Auto-pause, with a reason and a notification: the instance leaves ready,
 * its credentials fail, Meta answers 131048/131049 (spam and quality
 * limits), or more than WAQTOR_CAMPAIGN_FAILURE_PERCENT of the last
 * WAQTOR_CAMPAIGN_FAILURE_WINDOW sends failed. Resume continues with the
 * next pending recipient. Progress is published coalesced, at most every
 * CAMPAIGN_PROGRESS_MS per campaign, on sends and on receipts (delivered
 * and read keep moving the funnel after the campaign completed).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "campaign_msg.h"
#include "config.h"
#include "engine.h"
#include "jsonx.h"
#include "log.h"
#include "metrics.h"
#include "xmalloc.h"

#define CAMPAIGN_BATCH_MAX	100	/* recipients per statement */
#define CAMPAIGN_RELOAD_MS	500	/* scheduled starts are this late */
#define CAMPAIGN_PROGRESS_MS	250
#define CAMPAIGN_RECEIPTED_MAX	256	/* inactive campaigns per batch; more
					   wait for their next receipt */
#define CAMPAIGN_IDLE_MS	1000	/* recheck a campaign with nothing
					   to send (deferred, all queued) */
#define CAMPAIGN_WINDOW_MS	61000	/* a minute, and a margin */
#define CAMPAIGN_OUTCOMES_MAX	1000
#define CAMPAIGN_TURN_MAX	64	/* campaigns of an instance per tick */
#define CAMPAIGN_DAILY_CHECK_MS	10000	/* recount the numbers reached */
#define CAMPAIGN_DAILY_WAIT_MS	60000	/* capped: look again after */
#define CAMPAIGN_NOT_READY_MS	5000	/* an instance down this long (a
					   restart takes less) pauses */

struct campaign {
	struct campaign		*next;
	struct engine		*e;
	char			 id[UTIL_UUID_LEN + 1];
	char			 tenant_id[UTIL_UUID_LEN + 1];
	char			 instance_id[UTIL_UUID_LEN + 1];
	struct json_object	*message;
	struct json_object	*variables;
	int			 rate_per_minute;	/* 0: unpaced */
	int			 min_delay_ms;
	int			 max_delay_ms;
	long long		*sent_ms;	/* ring of rate_per_minute */
	int			 sent_next;
	long long		 next_at_ms;	/* the delay after a send */
	long long		 idle_until_ms;
	int			 seen;		/* still active at the last load */
	int			 stopped;	/* paused here: skip until reload */
	long long		 not_ready_ms;	/* since when its instance is
						   not ready, or 0 */
	int			 dirty;		/* progress to publish */
	long long		 progress_ms;
	unsigned char		 outcomes[CAMPAIGN_OUTCOMES_MAX];	/* 1 failed */
	int			 noutcomes;
	int			 outcome_next;
};

static struct campaign *
campaign_find(struct engine *e, const char *id)
{
	struct campaign	*c;

	for (c = e->campaigns; c != NULL; c = c->next) {
		if (strcmp(c->id, id) == 0)
			return c;
	}
	return NULL;
}

static void
campaign_free(struct campaign *c)
{
	json_object_put(c->message);
	json_object_put(c->variables);
	free(c->sent_ms);
	free(c);
}

void
campaign_free_all(struct engine *e)
{
	struct campaign	*c;

	while ((c = e->campaigns) != NULL) {
		e->campaigns = c->next;
		campaign_free(c);
	}
	json_object_put(e->receipted);
	e->receipted = NULL;
}

void
campaign_wake(struct engine *e)
{
	e->campaigns_loaded_ms = 0;
}

/* Publishes campaign.progress now (the seed's shape, with every count). */
static void
campaign_progress(struct engine *e, const char *ids_json)
{
	const char	*params[1] = { ids_json };
	PGresult	*res;
	char		 err[32];
	int		 i;

	res = db_query(&e->db, "SELECT c.id, c.tenant_id, c.instance_id, "
	    "c.status, c.total, COALESCE((SELECT json_object_agg(status, n) "
	    "FROM campaign_counts k WHERE k.campaign_id = c.id), '{}') FROM "
	    "campaigns c WHERE c.id IN (SELECT jsonb_array_elements_text("
	    "$1::jsonb)::uuid)", 1, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		struct json_object	*data = json_object_new_object();
		struct json_object	*counts = NULL;
		long long		 sent;

		if (jsonx_parse(PQgetvalue(res, i, 5), (size_t)PQgetlength(res,
		    i, 5), JSONX_MAX_DEPTH, &counts, err, sizeof err) == -1)
			counts = json_object_new_object();
#define COUNT(k) json_object_get_int64(json_object_object_get(counts, k))
		sent = COUNT("sent") + COUNT("delivered") + COUNT("read");
		jsonx_add_str(data, "campaignId", PQgetvalue(res, i, 0));
		jsonx_add_int(data, "sent", sent);
		jsonx_add_int(data, "total", atoll(PQgetvalue(res, i, 4)));
		jsonx_add_int(data, "failed", COUNT("failed"));
		jsonx_add_str(data, "status", PQgetvalue(res, i, 3));
		jsonx_add_int(data, "pending", COUNT("pending"));
		jsonx_add_int(data, "queued", COUNT("queued"));
		jsonx_add_int(data, "delivered", COUNT("delivered"));
		jsonx_add_int(data, "read", COUNT("read"));
		jsonx_add_int(data, "skipped", COUNT("skipped"));
#undef COUNT
		json_object_put(counts);
		engine_emit(e, "campaign.progress", PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), data);
	}
out:
	PQclear(res);
}

static void
campaign_progress_one(struct campaign *c)
{
	char	ids[64];

	snprintf(ids, sizeof ids, "[\"%s\"]", c->id);
	campaign_progress(c->e, ids);
	c->dirty = 0;
	c->progress_ms = util_now_ms();
}

/* Tells the tenant's members what happened to a campaign (or, with no
 * campaign, to the campaigns of an instance). */
static void
campaign_notify(struct engine *e, const char *kind, const char *tenant_id,
    const char *instance_id, const char *campaign_id, const char *text,
    const char *reason)
{
	struct json_object	*data = json_object_new_object();
	char			 link[64];

	jsonx_add_str(data, "message", text);
	jsonx_add_str(data, "campaignId", campaign_id);
	jsonx_add_str(data, "reason", reason);
	snprintf(link, sizeof link, "/campaigns%s%s", campaign_id != NULL ?
	    "/" : "", campaign_id != NULL ? campaign_id : "");
	jsonx_add_str(data, "link", link);
	engine_notify(e, kind, campaign_id != NULL ? campaign_id : instance_id,
	    tenant_id, instance_id, data);
}

/* Pauses a running campaign here, with its reason and a notification. */
static void
campaign_autopause(struct campaign *c, const char *reason, const char *why)
{
	struct engine		*e = c->e;
	const char		*params[2] = { c->id, reason };
	PGresult		*res;
	char			 text[256];

	c->stopped = 1;
	(void)engine_begin(e);	/* (when this fails, so does the commit) */
	res = db_query(&e->db, "UPDATE campaigns SET status = 'paused', "
	    "pause_reason = $2, updated_at = now() WHERE id = $1 AND status = "
	    "'running' RETURNING name", 2, params, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQntuples(res) == 1) {
		log_info("campaign %s paused: %s", c->id, reason);
		snprintf(text, sizeof text, "Campaign \"%.100s\" was paused: %s",
		    PQgetvalue(res, 0, 0), why);
		campaign_notify(e, "campaign.paused", c->tenant_id,
		    c->instance_id, c->id, text, reason);
		campaign_progress_one(c);
	}
	PQclear(res);
	if (engine_commit(e) == -1)
		log_error("campaign %s: its pause not recorded", c->id);
}

/* Marks a campaign with nothing left completed (or failed, when nothing
 * went out), and publishes campaign.completed. */
static void
campaign_complete(struct campaign *c)
{
	struct engine		*e = c->e;
	const char		*params[1] = { c->id };
	struct json_object	*data;
	PGresult		*res;
	char			 text[200];
	int			 failed;

	(void)engine_begin(e);	/* (when this fails, so does the commit) */
	res = db_query(&e->db, "WITH k AS (SELECT COALESCE(sum(n) FILTER "
	    "(WHERE status IN ('sent', 'delivered', 'read')), 0) AS sent, "
	    "COALESCE(sum(n) FILTER (WHERE status = 'failed'), 0) AS failed, "
	    "COALESCE(sum(n) FILTER (WHERE status IN ('pending', 'queued')), "
	    "0) AS open FROM campaign_counts WHERE campaign_id = $1) "
	    "UPDATE campaigns c SET status = CASE WHEN k.sent = 0 AND k.failed "
	    "> 0 THEN 'failed' ELSE 'completed' END, completed_at = now(), "
	    "updated_at = now() FROM k WHERE c.id = $1 AND c.status = 'running' "
	    "AND k.open = 0 RETURNING k.sent, k.failed, (EXTRACT(epoch FROM "
	    "now() - COALESCE(c.started_at, c.created_at)) * 1000)::bigint, "
	    "c.status, c.name", 1, params, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQntuples(res) == 1) {
		c->stopped = 1;
		campaign_progress_one(c);
		data = json_object_new_object();
		jsonx_add_str(data, "campaignId", c->id);
		jsonx_add_int(data, "totalSent", atoll(PQgetvalue(res, 0, 0)));
		jsonx_add_int(data, "totalFailed", atoll(PQgetvalue(res, 0, 1)));
		jsonx_add_int(data, "duration", atoll(PQgetvalue(res, 0, 2)));
		engine_emit(e, "campaign.completed", c->tenant_id,
		    c->instance_id, data);
		failed = strcmp(PQgetvalue(res, 0, 3), "failed") == 0;
		snprintf(text, sizeof text, failed ? "Campaign \"%.100s\" "
		    "failed: none of its %s messages went out." : "Campaign "
		    "\"%.100s\" completed: %s sent, %s failed.",
		    PQgetvalue(res, 0, 4), failed ? PQgetvalue(res, 0, 1) :
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
		campaign_notify(e, failed ? "campaign.failed" :
		    "campaign.completed", c->tenant_id, c->instance_id, c->id,
		    text, NULL);
		log_info("campaign %s %s", c->id, PQgetvalue(res, 0, 3));
	}
	PQclear(res);
	if (engine_commit(e) == -1)
		log_error("campaign %s: its completion not recorded", c->id);
}

/* The sends of the last minute, so pacing survives a restart. */
static void
campaign_seed_pacing(struct campaign *c)
{
	char		 limit[16];
	const char	*params[2] = { c->id, limit };
	PGresult	*res;
	long long	 now = util_now_ms(), t;
	int		 i, n;

	snprintf(limit, sizeof limit, "%d", c->rate_per_minute > 0 ?
	    c->rate_per_minute : 1);
	res = db_query(&c->e->db, "SELECT (EXTRACT(epoch FROM now() - "
	    "created_at) * 1000)::bigint FROM messages WHERE campaign_id = $1 "
	    "AND created_at > now() - interval '61 seconds' ORDER BY created_at "
	    "DESC LIMIT $2::int", 2, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		goto out;
	n = PQntuples(res);
	/* oldest first into the ring */
	for (i = n - 1; c->sent_ms != NULL && i >= 0; i--) {
		c->sent_ms[c->sent_next] = now - atoll(PQgetvalue(res, i, 0));
		c->sent_next = (c->sent_next + 1) % c->rate_per_minute;
	}
	if (n > 0 && c->min_delay_ms > 0) {
		t = now - atoll(PQgetvalue(res, 0, 0)) + c->min_delay_ms;
		if (t > c->next_at_ms)
			c->next_at_ms = t;
	}
out:
	PQclear(res);
}

/* Loads the active campaigns of our instances; starts the scheduled ones
 * that are due. */
static void
campaign_load(struct engine *e)
{
	struct json_object	*ids = json_object_new_array();
	struct campaign		*c, **pp;
	struct inst		*in;
	const char		*params[1];
	PGresult		*res;
	char			 err[32];
	int			 i;

	for (in = e->insts; in != NULL; in = in->next) {
		if (!in->dropped)
			json_object_array_add(ids, json_object_new_string(in->id));
	}
	params[0] = jsonx_string(ids);
	/* scheduled ones that are due start now (running, started_at) */
	res = db_query(&e->db, "WITH due AS (UPDATE campaigns SET status = "
	    "'running', started_at = COALESCE(started_at, now()), updated_at = "
	    "now() WHERE status = 'scheduled' AND schedule_at <= now() AND "
	    "instance_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid) "
	    "RETURNING id) SELECT c.id, c.tenant_id, c.instance_id, "
	    "c.message::text, c.variables::text, COALESCE(c.rate_per_minute, "
	    "0), c.min_delay_ms, c.max_delay_ms, c.id IN (SELECT id FROM due) "
	    "FROM campaigns c WHERE (c.status = 'running' OR c.id IN (SELECT "
	    "id FROM due)) AND c.instance_id IN (SELECT "
	    "jsonb_array_elements_text($1::jsonb)::uuid)", 1, params, 0);
	json_object_put(ids);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return;
	}
	for (c = e->campaigns; c != NULL; c = c->next)
		c->seen = 0;
	for (i = 0; i < PQntuples(res); i++) {
		if ((c = campaign_find(e, PQgetvalue(res, i, 0))) == NULL) {
			c = xcalloc(1, sizeof *c);
			c->e = e;
			snprintf(c->id, sizeof c->id, "%s", PQgetvalue(res, i, 0));
			snprintf(c->tenant_id, sizeof c->tenant_id, "%s",
			    PQgetvalue(res, i, 1));
			snprintf(c->instance_id, sizeof c->instance_id, "%s",
			    PQgetvalue(res, i, 2));
			if (jsonx_parse(PQgetvalue(res, i, 3), (size_t)
			    PQgetlength(res, i, 3), JSONX_MAX_DEPTH, &c->message,
			    err, sizeof err) == -1)
				c->message = json_object_new_object();
			if (jsonx_parse(PQgetvalue(res, i, 4), (size_t)
			    PQgetlength(res, i, 4), JSONX_MAX_DEPTH,
			    &c->variables, err, sizeof err) == -1)
				c->variables = json_object_new_object();
			c->rate_per_minute = atoi(PQgetvalue(res, i, 5));
			c->min_delay_ms = atoi(PQgetvalue(res, i, 6));
			c->max_delay_ms = atoi(PQgetvalue(res, i, 7));
			if (c->rate_per_minute > 0)
				c->sent_ms = xcalloc((size_t)c->rate_per_minute,
				    sizeof *c->sent_ms);
			campaign_seed_pacing(c);
			c->next = e->campaigns;
			e->campaigns = c;
			c->dirty = 1;
			log_info("campaign %s: running on %s", c->id,
			    c->instance_id);
		}
		c->seen = 1;
		if (c->stopped) {
			/* resumed before this engine let it go: a new run, so
			 * the failures that paused it count no more */
			c->stopped = 0;
			c->noutcomes = c->outcome_next = 0;
			c->idle_until_ms = 0;
		}
		if (strcmp(PQgetvalue(res, i, 8), "t") == 0)
			c->dirty = 1;
	}
	PQclear(res);
	/* paused, cancelled, completed elsewhere, or no longer our instance */
	for (pp = &e->campaigns; (c = *pp) != NULL;) {
		if (c->seen)
			pp = &c->next;
		else {
			*pp = c->next;
			if (c->dirty)
				campaign_progress_one(c);
			campaign_free(c);
		}
	}
	e->campaigns_loaded_ms = util_now_ms();
}

/* How many sends the campaign's own pacing allows now. */
static int
campaign_allowance(struct campaign *c, long long now)
{
	int	i, n = 0;

	if (now < c->next_at_ms)
		return 0;
	if (c->max_delay_ms > 0)
		return 1;	/* a delay after each send: one at a time */
	if (c->sent_ms == NULL)
		return CAMPAIGN_BATCH_MAX;
	for (i = 0; i < c->rate_per_minute; i++) {
		if (c->sent_ms[(c->sent_next + i) % c->rate_per_minute] >
		    now - CAMPAIGN_WINDOW_MS)
			break;
		n++;
	}
	return n;
}

static void
campaign_paced(struct campaign *c, long long now)
{
	if (c->sent_ms != NULL) {
		c->sent_ms[c->sent_next] = now;
		c->sent_next = (c->sent_next + 1) % c->rate_per_minute;
	}
	if (c->max_delay_ms > 0)
		c->next_at_ms = now + c->min_delay_ms + (long long)
		    randombytes_uniform((uint32_t)(c->max_delay_ms -
		    c->min_delay_ms + 1));
}

/*
 * Decides what to do with up to n pending recipients of c, records it in
 * one statement and sends the queued ones; the number sent.
 */
static int
campaign_send(struct campaign *c, struct inst *in, int n)
{
	struct engine		*e = c->e;
	struct json_object	*acts = json_object_new_array(), *seen, *rv;
	struct json_object	*content;
	struct campaign_vars	 cv;
	const char		*params[6], *type;
	char			 limit[16], pair[32], claim[32], err[32];
	char			 missing[80], phone[32];
	PGresult		*res = NULL;
	long long		 now = util_now_ms();
	int			 i, sent = 0;

	snprintf(limit, sizeof limit, "%d", n);
	snprintf(pair, sizeof pair, "%ld seconds",
	    config_int(CFG_CAMPAIGN_PAIR_SECS));
	params[0] = c->id;
	params[1] = in->id;
	params[2] = limit;
	params[3] = pair;
	res = db_query(&e->db, "SELECT r.seq, r.chat_id, r.name, "
	    "r.variables::text, EXISTS (SELECT 1 FROM opt_outs o WHERE "
	    "o.tenant_id = r.tenant_id AND o.phone = split_part(r.chat_id, '@', "
	    "1)), $4::interval > '0' AND EXISTS (SELECT 1 FROM messages m "
	    "WHERE m.instance_id = $2 AND m.chat_id = r.chat_id AND "
	    "m.campaign_id IS NOT NULL AND m.created_at > now() - $4::interval) "
	    "FROM campaign_recipients r WHERE r.campaign_id = $1 AND r.status = "
	    "'pending' AND (r.not_before IS NULL OR r.not_before <= now()) "
	    "ORDER BY r.seq LIMIT $3::int", 4, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		goto out;
	if (PQntuples(res) == 0) {
		c->idle_until_ms = now + CAMPAIGN_IDLE_MS;
		campaign_complete(c);
		goto out;
	}
	seen = json_object_new_object();	/* chats in this batch */
	for (i = 0; i < PQntuples(res); i++) {
		struct json_object	*a = json_object_new_object();
		const char		*chat = PQgetvalue(res, i, 1);

		jsonx_add_int(a, "seq", atoll(PQgetvalue(res, i, 0)));
		if (strcmp(PQgetvalue(res, i, 4), "t") == 0) {
			jsonx_add_str(a, "act", "skip");
			jsonx_add_str(a, "reason", "opted_out");
		} else if (strcmp(PQgetvalue(res, i, 5), "t") == 0 ||
		    (config_int(CFG_CAMPAIGN_PAIR_SECS) > 0 &&
		    json_object_object_get_ex(seen, chat, NULL)))
			jsonx_add_str(a, "act", "defer");
		else {
			rv = NULL;
			if (jsonx_parse(PQgetvalue(res, i, 3), (size_t)
			    PQgetlength(res, i, 3), JSONX_MAX_DEPTH, &rv, err,
			    sizeof err) == -1)
				rv = NULL;
			snprintf(phone, sizeof phone, "%.*s",
			    (int)strcspn(chat, "@"), chat);
			cv.recipient = rv;
			cv.campaign = c->variables;
			cv.name = PQgetisnull(res, i, 2) ? NULL :
			    PQgetvalue(res, i, 2);
			cv.phone = phone;
			if (campaign_msg_render(c->message, &cv, &type, &content,
			    missing, sizeof missing) == -1) {
				jsonx_add_str(a, "act", "fail");
				jsonx_add_str(a, "reason", missing[0] != '\0' ?
				    "a variable has no value" :
				    "the rendered message is too long");
			} else {
				jsonx_add_str(a, "act", "send");
				jsonx_add_str(a, "type", type);
				json_object_object_add(a, "content", content);
				json_object_object_add(seen, chat,
				    json_object_new_boolean(1));
			}
			json_object_put(rv);
		}
		json_object_array_add(acts, a);
	}
	json_object_put(seen);
	PQclear(res);
	snprintf(claim, sizeof claim, "%ld seconds",
	    config_int(CFG_OUTBOX_CLAIM_SECS));
	params[1] = jsonx_string(acts);
	params[2] = in->id;
	params[3] = e->id;
	params[4] = pair;
	params[5] = claim;
	res = db_query(&e->db, "WITH x AS (SELECT * FROM json_to_recordset("
	    "$2::json) AS x(seq int, act text, type text, content jsonb, reason "
	    "text)), u AS (UPDATE campaign_recipients r SET status = CASE x.act "
	    "WHEN 'send' THEN 'queued' WHEN 'skip' THEN 'skipped' WHEN 'fail' "
	    "THEN 'failed' ELSE 'pending' END, reason = x.reason, message_id = "
	    "CASE WHEN x.act = 'send' THEN gen_random_uuid() END, not_before = "
	    "CASE WHEN x.act = 'defer' THEN now() + $5::interval END, queued_at "
	    "= CASE WHEN x.act = 'send' THEN now() END, updated_at = now() FROM "
	    "x WHERE r.campaign_id = $1 AND r.seq = x.seq AND r.status = "
	    "'pending' RETURNING r.message_id, r.tenant_id, r.chat_id, x.type, "
	    "x.content) INSERT INTO messages (id, tenant_id, instance_id, "
	    "direction, chat_id, type, content, campaign_id, priority, "
	    "claimed_by, claim_until, attempts) SELECT message_id, tenant_id, "
	    "$3, 'out', chat_id, type, content, $1, 1, $4, now() + "
	    "$6::interval, 1 FROM u WHERE message_id IS NOT NULL RETURNING "
	    OUTBOX_COLUMNS, 6, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		goto out;
	c->dirty = 1;
	for (i = 0; i < PQntuples(res); i++) {
		outbox_send(in, outbox_msg(in, res, i));
		/* from the hand-off, not the decision: the statement's own
		 * time would come off the delay */
		campaign_paced(c, util_now_ms());
		sent++;
	}
	metrics_add("waqtor_engine_campaign_messages", "", (unsigned long long)sent);
out:
	PQclear(res);
	json_object_put(acts);
	return sent;
}

/*
 * How many more numbers the instance's campaigns may reach now under its
 * dailyRecipientCap (a rolling 24 hours, as Meta counts its tiers);
 * INT_MAX without one. Counted from the messages every few seconds, and
 * conservatively in between (every send counts as a new number).
 */
static long
campaign_daily_room(struct inst *in, long long now)
{
	struct json_object	*v;
	const char		*params[1] = { in->id };
	PGresult		*res;
	long			 cap;

	if (!json_object_object_get_ex(in->config, "dailyRecipientCap", &v) ||
	    (cap = (long)json_object_get_int64(v)) <= 0)
		return INT_MAX;
	if (now - in->daily_checked_ms >= CAMPAIGN_DAILY_CHECK_MS) {
		res = db_query(&in->e->db, "SELECT count(DISTINCT chat_id) FROM "
		    "messages WHERE instance_id = $1 AND campaign_id IS NOT NULL "
		    "AND created_at > now() - interval '24 hours'", 1, params, 0);
		if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
			PQclear(res);
			return 0;	/* unknown: wait */
		}
		in->daily_used = atol(PQgetvalue(res, 0, 0));
		in->daily_checked_ms = now;
		PQclear(res);
	}
	return in->daily_used >= cap ? 0 : cap - in->daily_used;
}

/* The instance's campaigns wait for its daily window; the tenant is told
 * once. */
static void
campaign_daily_wait(struct inst *in, long long now)
{
	struct campaign		*c;

	for (c = in->e->campaigns; c != NULL; c = c->next) {
		if (strcmp(c->instance_id, in->id) == 0)
			c->idle_until_ms = now + CAMPAIGN_DAILY_WAIT_MS;
	}
	in->daily_checked_ms = 0;	/* recount when they look again */
	if (in->daily_capped)
		return;
	in->daily_capped = 1;
	log_info("instance %s: daily recipient cap reached", in->id);
	campaign_notify(in->e, "campaign.daily_cap", in->tenant_id, in->id,
	    NULL, "This number reached its daily limit of new recipients "
	    "(dailyRecipientCap, as Meta's messaging tiers): its campaigns "
	    "continue as the 24-hour window moves on.", "daily_cap");
}

void
campaign_dispatch(struct inst *in, int n)
{
	struct engine	*e = in->e;
	struct campaign	*c, *mine[CAMPAIGN_TURN_MAX];
	long long	 now = util_now_ms();
	long		 room;
	int		 k = 0, all = 0, share, i, left, sent;
	static unsigned	 turn;

	if (n > CAMPAIGN_BATCH_MAX * 2)
		n = CAMPAIGN_BATCH_MAX * 2;
	/* each tick starts with another of the instance's campaigns: a fair
	 * share each, and past CAMPAIGN_TURN_MAX of them, a turn each */
	turn++;
	for (c = e->campaigns; c != NULL; c = c->next) {
		if (c->stopped || c->idle_until_ms > now ||
		    strcmp(c->instance_id, in->id) != 0)
			continue;
		if (k < CAMPAIGN_TURN_MAX)
			mine[k++] = c;
		else	/* keep a rotating sample of the rest */
			mine[(turn + (unsigned)all) % CAMPAIGN_TURN_MAX] = c;
		all++;
	}
	if (k == 0)
		return;
	if ((room = campaign_daily_room(in, now)) == 0) {
		campaign_daily_wait(in, now);
		return;
	}
	in->daily_capped = 0;
	left = room < n ? (int)room : n;
	for (i = 0; i < k && left > 0; i++) {
		c = mine[(turn + (unsigned)i) % (unsigned)k];
		share = (left + (k - i) - 1) / (k - i);
		if (share > campaign_allowance(c, now))
			share = campaign_allowance(c, now);
		if (share > CAMPAIGN_BATCH_MAX)
			share = CAMPAIGN_BATCH_MAX;
		if (share > 0) {
			sent = campaign_send(c, in, share);
			left -= sent;
			in->daily_used += sent;
		}
	}
}

void
campaign_receipt(struct engine *e, const char *campaign_id)
{
	struct campaign	*c = campaign_find(e, campaign_id);
	size_t		 i, n;

	if (c != NULL) {
		c->dirty = 1;
		return;
	}
	if (e->receipted == NULL)
		e->receipted = json_object_new_array();
	n = json_object_array_length(e->receipted);
	for (i = 0; i < n; i++) {
		if (strcmp(json_object_get_string(json_object_array_get_idx(
		    e->receipted, i)), campaign_id) == 0)
			return;
	}
	if (n < CAMPAIGN_RECEIPTED_MAX)
		json_object_array_add(e->receipted,
		    json_object_new_string(campaign_id));
}

void
campaign_outcome(struct engine *e, const char *campaign_id,
    const struct outcome *o)
{
	struct campaign	*c = campaign_find(e, campaign_id);
	int		 window = (int)config_int(CFG_CAMPAIGN_FAILURE_WINDOW);
	int		 i, failed = 0;

	if (c == NULL || c->stopped)
		return;
	c->dirty = 1;
	if (o->kind == OUT_AUTH_FAILURE) {
		campaign_autopause(c, "auth_failure", "WhatsApp refused the "
		    "instance's credentials");
		return;
	}
	if (o->kind != OUT_SENT && o->kind != OUT_FAILED)
		return;		/* retried: not an outcome yet */
	if (o->kind == OUT_FAILED && (o->code == 131048 || o->code == 131049)) {
		campaign_autopause(c, "quality", "WhatsApp limited the number "
		    "for spam or quality (error 131048/131049): wait before "
		    "resuming");
		return;
	}
	if (window > CAMPAIGN_OUTCOMES_MAX)
		window = CAMPAIGN_OUTCOMES_MAX;
	c->outcomes[c->outcome_next] = o->kind == OUT_FAILED;
	c->outcome_next = (c->outcome_next + 1) % window;
	if (c->noutcomes < window)
		c->noutcomes++;
	if (c->noutcomes < window)
		return;
	for (i = 0; i < window; i++)
		failed += c->outcomes[i];
	if (failed * 100 >= window * (int)config_int(CFG_CAMPAIGN_FAILURE_PERCENT))
		campaign_autopause(c, "failure_rate", "too many of its last "
		    "messages failed");
}

/* The campaign timer: loads, pauses those whose instance is not ready,
 * publishes progress. */
void
campaign_tick(struct engine *e)
{
	struct json_object	*dirty = NULL;
	struct campaign		*c;
	struct inst		*in;
	long long		 now = util_now_ms();
	char			 reason[40];

	if (e->stopping || db_ensure(&e->db) == -1)
		return;
	if (now - e->campaigns_loaded_ms >= CAMPAIGN_RELOAD_MS)
		campaign_load(e);
	for (c = e->campaigns; c != NULL; c = c->next) {
		in = lease_find(e, c->instance_id);
		if (in == NULL || strcmp(in->status, "ready") == 0)
			c->not_ready_ms = 0;
		else if (c->not_ready_ms == 0)
			c->not_ready_ms = now;
		if (!c->stopped && c->not_ready_ms != 0 && (now -
		    c->not_ready_ms >= CAMPAIGN_NOT_READY_MS ||
		    strcmp(in->status, "auth_failure") == 0)) {
			snprintf(reason, sizeof reason, "instance_%s", in->status);
			campaign_autopause(c, reason, "its WhatsApp instance is "
			    "not connected");
		}
		if (c->dirty && now - c->progress_ms >= CAMPAIGN_PROGRESS_MS) {
			if (dirty == NULL)
				dirty = json_object_new_array();
			json_object_array_add(dirty, json_object_new_string(c->id));
			c->dirty = 0;
			c->progress_ms = now;
		}
	}
	if (dirty != NULL)
		campaign_progress(e, jsonx_string(dirty));
	json_object_put(dirty);
	if (e->receipted != NULL && now - e->receipted_ms >=
	    CAMPAIGN_PROGRESS_MS) {
		campaign_progress(e, jsonx_string(e->receipted));
		json_object_put(e->receipted);
		e->receipted = NULL;
		e->receipted_ms = now;
	}
}
