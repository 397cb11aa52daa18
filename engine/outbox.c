/*
 * The outbox: pending outbound messages of the instances we own, claimed in
 * batches (FOR UPDATE SKIP LOCKED, with a claim that lapses) at no more than
 * each instance's rate (outbox_allowance), handed to the provider, and settled
 * by outbox_done(): sent, retried later with backoff and jitter, or failed.
 *
 * Guarantee (docs/delivery.md): at least once toward the provider. A message
 * is only marked sent after the provider accepted it; if the engine dies
 * between the provider's answer and that write, the claim lapses
 * (WAQTOR_OUTBOX_CLAIM_SECS) and the message is sent again: that is the
 * duplicate window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config.h"
#include "engine.h"
#include "jsonx.h"
#include "log.h"
#include "xmalloc.h"

#define OUTBOX_BATCH_MAX	100	/* rows per claim query */
#define OUTBOX_IN_FLIGHT_MAX	500	/* per instance */
#define OUTBOX_BACKOFF_MAX_MS	(5 * 60 * 1000)
#define OUTBOX_WINDOW_MS	1000	/* after the answer: see below */
#define OUTBOX_SENT_BATCH	500	/* accepted sends per UPDATE */

/*
 * Pacing: how many sends the instance may start now without the provider
 * ever seeing more than `rate` in any one-second window. The ring holds a
 * slot for each of `rate` sends: a send takes a free slot and holds it
 * until its answer, and the slot is free again one second after that. The
 * provider saw the request between its start and its answer, so two sends
 * of one slot reach it at least a second apart, however late the network
 * delivered the first: unlike a window over start times, no jitter can
 * push a window over the limit, and unlike a token bucket, no burst. A
 * send that hangs holds its one slot only (a free slot is taken anywhere
 * in the ring).
 */
#define OUTBOX_SLOT_BUSY	(-1LL)	/* in flight */

int
outbox_allowance(struct inst *in)
{
	long long	edge = util_now_ms() - OUTBOX_WINDOW_MS;
	int		i, n = 0;

	if (in->sent_ms == NULL)
		return in->rate;	/* nothing sent yet: every slot is free */
	for (i = 0; i < in->rate; i++) {
		if (in->sent_ms[i] != OUTBOX_SLOT_BUSY && in->sent_ms[i] <= edge)
			n++;
	}
	return n;
}

/* Takes a free slot for m (outbox_allowance said there is one). */
static void
outbox_paced(struct inst *in, struct outmsg *m)
{
	long long	edge = util_now_ms() - OUTBOX_WINDOW_MS;
	int		i, k;

	/* allocated on the first send: idle instances stay small */
	if (in->sent_ms == NULL)
		in->sent_ms = xcalloc((size_t)in->rate, sizeof *in->sent_ms);
	m->slot = -1;
	for (i = 0; i < in->rate; i++) {
		k = (in->sent_next + i) % in->rate;
		if (in->sent_ms[k] != OUTBOX_SLOT_BUSY && in->sent_ms[k] <= edge) {
			in->sent_ms[k] = OUTBOX_SLOT_BUSY;
			m->slot = k;
			m->slot_gen = in->pace_gen;
			in->sent_next = (k + 1) % in->rate;
			return;
		}
	}
}

/* The send's answer came: its slot is free a second from now. */
static void
outbox_unpaced(struct inst *in, struct outmsg *m)
{
	if (m->slot >= 0 && m->slot_gen == in->pace_gen && in->sent_ms != NULL)
		in->sent_ms[m->slot] = util_now_ms();
}

struct outmsg *
outbox_msg(struct inst *in, PGresult *res, int row)
{
	struct outmsg	*m = xcalloc(1, sizeof *m);
	char		 err[32];

	m->inst = in;
	snprintf(m->id, sizeof m->id, "%s", PQgetvalue(res, row, 0));
	snprintf(m->chat_id, sizeof m->chat_id, "%s", PQgetvalue(res, row, 1));
	snprintf(m->type, sizeof m->type, "%s", PQgetvalue(res, row, 2));
	if (jsonx_parse(PQgetvalue(res, row, 3), (size_t)PQgetlength(res, row,
	    3), JSONX_MAX_DEPTH, &m->content, err, sizeof err) == -1)
		m->content = json_object_new_object();
	m->attempts = atoi(PQgetvalue(res, row, 4));
	snprintf(m->campaign_id, sizeof m->campaign_id, "%s",
	    PQgetvalue(res, row, 5));
	return m;
}

void
outbox_send(struct inst *in, struct outmsg *m)
{
	outbox_paced(in, m);
	m->started_ns = uv_hrtime();
	in->in_flight++;
	in->e->in_flight++;
	in->prov->send(in, m);
}

/* Claims and sends up to n pending messages; how many. */
static int
outbox_claim(struct inst *in, int n)
{
	struct engine	*e = in->e;
	char		 limit[16], claim[32];
	const char	*params[4];
	PGresult	*res;
	int		 i, got;

	snprintf(limit, sizeof limit, "%d", n);
	snprintf(claim, sizeof claim, "%ld seconds",
	    config_int(CFG_OUTBOX_CLAIM_SECS));
	params[0] = in->id;
	params[1] = e->id;
	params[2] = limit;
	params[3] = claim;
	res = db_query(&e->db, "UPDATE messages SET claimed_by = $2, "
	    "claim_until = now() + $4::interval, attempts = attempts + 1 "
	    "WHERE id IN (SELECT id FROM messages WHERE instance_id = $1 AND "
	    "status = 'pending' AND direction = 'out' AND next_attempt_at <= "
	    "now() AND (claim_until IS NULL OR claim_until < now()) ORDER BY "
	    "priority, next_attempt_at, created_at LIMIT $3::int FOR UPDATE "
	    "SKIP LOCKED) RETURNING " OUTBOX_COLUMNS, 4, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);	/* db_query logged why */
		return 0;
	}
	got = PQntuples(res);
	/* a full batch means there may be more */
	in->maybe_pending = got == n;
	for (i = 0; i < got; i++)
		outbox_send(in, outbox_msg(in, res, i));
	PQclear(res);
	return got;
}

/* Sends the instance may start now: its rate, and what may be in flight. */
static int
outbox_room(struct inst *in)
{
	int	n = outbox_allowance(in);

	if (n > OUTBOX_IN_FLIGHT_MAX - in->in_flight)
		n = OUTBOX_IN_FLIGHT_MAX - in->in_flight;
	if (n > ENGINE_IN_FLIGHT_MAX - in->e->in_flight)
		n = ENGINE_IN_FLIGHT_MAX - in->e->in_flight;
	return n;
}

void
outbox_dispatch(struct engine *e)
{
	struct inst	*in;
	int		 room;

	if (db_ensure(&e->db) == -1)
		return;
	outbox_flush(e);
	if (e->stopping)
		return;
	for (in = e->insts; in != NULL; in = in->next) {
		/* (an idle instance costs no pacing scan) */
		if (strcmp(in->status, "ready") != 0 ||
		    (!in->maybe_pending && e->campaigns == NULL))
			continue;
		room = outbox_room(in);
		if (room > 0 && in->maybe_pending)
			room -= outbox_claim(in, room < OUTBOX_BATCH_MAX ? room :
			    OUTBOX_BATCH_MAX);
		/* campaigns get what single sends left */
		if (room > 0 && e->campaigns != NULL)
			campaign_dispatch(in, room);
	}
}

void
outbox_wake(struct engine *e, const char *instance_id)
{
	struct inst	*in = lease_find(e, instance_id);

	if (in != NULL)
		in->maybe_pending = 1;
}

/* Exponential backoff from 1 s, doubled per attempt, with ±25 % jitter. */
static long
outbox_backoff(int attempts, long hint_ms)
{
	long	ms = 1000;
	int	i;

	for (i = 1; i < attempts && ms < OUTBOX_BACKOFF_MAX_MS; i++)
		ms *= 2;
	if (hint_ms > ms)
		ms = hint_ms;
	if (ms > OUTBOX_BACKOFF_MAX_MS)
		ms = OUTBOX_BACKOFF_MAX_MS;
	return ms * 3 / 4 + (long)randombytes_uniform((uint32_t)(ms / 2 + 1));
}

/*
 * Accepted sends are written in batches: one UPDATE for all those gathered
 * since the last dispatch tick (at most OUTBOX_SENT_BATCH), instead of one
 * round trip each. A crash before the write only widens nothing: the claim
 * lapses and the message is sent again, as for any unrecorded send.
 */
static void
outbox_sent(struct outmsg *m, const struct outcome *o)
{
	struct engine		*e = m->inst->e;
	struct json_object	*row = json_object_new_object();

	jsonx_add_str(row, "id", m->id);
	jsonx_add_str(row, "pid", o->provider_id);
	if (e->sent == NULL)
		e->sent = json_object_new_array();
	json_object_array_add(e->sent, row);
	if (json_object_array_length(e->sent) >= OUTBOX_SENT_BATCH)
		outbox_flush(e);
}

void
outbox_flush(struct engine *e)
{
	struct json_object	*rows = e->sent;
	const char		*params[1];
	PGresult		*res;
	int			 i;

	if (rows == NULL)
		return;
	e->sent = NULL;
	params[0] = jsonx_string(rows);
	(void)engine_begin(e);	/* (when this fails, so does the UPDATE) */
	/* a receipt may have moved a message further already: only forward */
	res = db_query(&e->db, "UPDATE messages m SET status = CASE WHEN "
	    "m.status = 'pending' THEN 'sent' ELSE m.status END, provider_id = "
	    "COALESCE(m.provider_id, x.pid), sent_at = COALESCE(m.sent_at, "
	    "now()), claimed_by = NULL, claim_until = NULL, updated_at = now() "
	    "FROM json_to_recordset($1::json) AS x(id uuid, pid text) "
	    "WHERE m.id = x.id RETURNING m.id, m.status, m.chat_id, "
	    "m.tenant_id, m.instance_id, x.pid", 1, params, 0);
	for (i = 0; res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, 1), "sent") == 0)
			engine_emit(e, "message.sent", PQgetvalue(res, i, 3),
			    PQgetvalue(res, i, 4), session_message_status(
			    PQgetvalue(res, i, 0), PQgetvalue(res, i, 4),
			    PQgetvalue(res, i, 2), "sent", PQgetvalue(res, i, 5),
			    NULL));
	}
	if (engine_commit(e) == -1)	/* (also when the UPDATE failed) */
		log_error("%zu sent message(s) not recorded: they will be sent "
		    "again when their claims lapse", json_object_array_length(rows));
	PQclear(res);
	json_object_put(rows);
}

static void
outbox_failed(struct outmsg *m, const struct outcome *o)
{
	struct engine		*e = m->inst->e;
	struct json_object	*error = json_object_new_object();
	const char		*params[2];
	PGresult		*res;

	jsonx_add_int(error, "code", o->code);
	jsonx_add_str(error, "message", o->message);
	params[0] = m->id;
	params[1] = jsonx_string(error);
	(void)engine_begin(e);	/* (when this fails, so does the commit) */
	res = db_query(&e->db, "UPDATE messages SET status = 'failed', error = "
	    "$2::jsonb, claimed_by = NULL, claim_until = NULL, updated_at = "
	    "now() WHERE id = $1 AND status_rank(status) < status_rank('failed') "
	    "RETURNING chat_id", 2, params, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQntuples(res) == 1)
		engine_emit(e, "message.sent", m->inst->tenant_id,
		    m->inst->id, session_message_status(m->id, m->inst->id,
		    PQgetvalue(res, 0, 0), "failed", NULL, error));
	PQclear(res);
	if (engine_commit(e) == -1)
		log_error("message %s: its failure not recorded", m->id);
	log_info("message %s failed: %ld %s", m->id, o->code, o->message);
	json_object_put(error);
}

/* Back to pending after delay_ms; counted is 0 for throttling, which is
 * not the message's fault and never makes it fail. */
static void
outbox_retry(struct outmsg *m, long delay_ms, int counted)
{
	char		 delay[32];
	const char	*params[3];

	snprintf(delay, sizeof delay, "%ld milliseconds", delay_ms);
	params[0] = m->id;
	params[1] = delay;
	params[2] = counted ? "0" : "1";
	if (db_exec(&m->inst->e->db, "UPDATE messages SET next_attempt_at = "
	    "now() + $2::interval, attempts = attempts - $3::int, claimed_by = "
	    "NULL, claim_until = NULL, updated_at = now() WHERE id = $1 AND "
	    "status = 'pending'", 3, params) == -1)
		log_warn("message %s: retry not recorded; its claim lapses", m->id);
}

void
outbox_done(struct outmsg *m, const struct outcome *o)
{
	struct inst		*in = m->inst;
	struct engine		*e = in->e;
	struct outcome		 fail;
	const struct outcome	*final = o;

	engine_metrics_send(m, o);
	switch (o->kind) {
	case OUT_SENT:
		outbox_sent(m, o);
		break;
	case OUT_RETRY:
		if (m->attempts >= config_int(CFG_SEND_MAX_ATTEMPTS)) {
			fail = *o;
			fail.kind = OUT_FAILED;
			snprintf(fail.message, sizeof fail.message,
			    "gave up after %d attempts: %.200s", m->attempts,
			    o->message);
			outbox_failed(m, &fail);
			final = &fail;
		} else
			outbox_retry(m, outbox_backoff(m->attempts,
			    o->retry_ms), 1);
		break;
	case OUT_THROTTLED:
		outbox_retry(m, o->retry_ms > 0 ? o->retry_ms : 1000, 0);
		break;
	case OUT_FAILED:
		outbox_failed(m, o);
		if (o->notify && !in->dropped)
			session_notify(in, "message.refused", o->message);
		break;
	case OUT_AUTH_FAILURE:
		outbox_retry(m, 0, 0);
		if (!in->dropped && strcmp(in->status, "auth_failure") != 0)
			session_set(in, "auth_failure", NULL, NULL);
		break;
	}
	outbox_unpaced(in, m);
	if (m->campaign_id[0] != '\0')
		campaign_outcome(e, m->campaign_id, final);
	in->in_flight--;
	e->in_flight--;
	in->maybe_pending = 1;
	json_object_put(m->content);
	free(m);
	if (in->dropped && in->in_flight == 0)
		lease_free(in);
}
