/*
 * waqtor-engine: owns WhatsApp instances by lease, runs their sessions
 * through a provider, dispatches the outbox at each instance's rate, and
 * turns provider events into stored messages and published events.
 *
 * Everything runs on one libuv loop: PostgreSQL (one connection for work,
 * one that LISTENs), Redis (PUBLISH) and HTTP (libcurl multi) never block
 * it for long. Modules: lease.c (which instances are ours), session.c
 * (their state), outbox.c (sending), inbound.c (receiving and receipts),
 * notify.c (LISTEN), http.c (libcurl on libuv), providers/.
 */
#ifndef WAQTOR_ENGINE_H
#define WAQTOR_ENGINE_H

#include <curl/curl.h>
#include <json-c/json.h>
#include <uv.h>

#include "db.h"
#include "provider_spec.h"
#include "rds.h"
#include "util.h"

struct engine;
struct campaign;
struct inst;
struct outmsg;

/* What became of one send, as the provider saw it. */
enum outcome_kind {
	OUT_SENT,		/* accepted: provider_id is its id */
	OUT_RETRY,		/* transient: try again after retry_ms */
	OUT_THROTTLED,		/* the number's throughput: retry, never fail */
	OUT_FAILED,		/* final: code and message say why */
	OUT_AUTH_FAILURE,	/* the instance's credentials are dead */
};

struct outcome {
	enum outcome_kind	 kind;
	char			 provider_id[160];
	long			 code;
	char			 message[256];
	long			 retry_ms;
	int			 notify;	/* warn the tenant */
};

/*
 * One thing a provider's inbound payload says: a message received, or a
 * receipt for one we sent. Strings and objects are borrowed from the
 * payload for the duration of the sink call.
 */
enum inbound_kind { INBOUND_MESSAGE, INBOUND_STATUS };

struct inbound_item {
	enum inbound_kind	 kind;
	const char		*provider_id;	/* the provider's message id */
	/* INBOUND_MESSAGE */
	const char		*from;		/* digits only */
	const char		*name;		/* the sender's name, or NULL */
	const char		*type;		/* text, image, ... */
	struct json_object	*content;
	long long		 unix_ts;	/* when sent; 0: unknown */
	/* INBOUND_STATUS */
	const char		*message_id;	/* ours, or NULL */
	const char		*status;	/* sent, delivered, read, failed */
	struct json_object	*error;		/* failed: the reason, or NULL */
};

/* Stores one item; 0, or -1 with a reason in err. */
typedef int inbound_sink(void *arg, const struct inbound_item *, char *err,
    size_t errlen);

/* What a provider's parse_inbound returns. */
#define INBOUND_OK		  0
#define INBOUND_MALFORMED	 -1	/* the payload breaks the contract */
#define INBOUND_SINK_FAILED	 -2	/* an item could not be stored */

/* A provider: a small table of functions (ARCHITECTURE.md, Providers). */
struct provider {
	const struct provider_spec *spec;	/* name, config, default rate */
	/* connects a session: reports its state through session_set() */
	void		(*start)(struct inst *);
	/* disconnects (release, shutdown); frees pdata */
	void		(*stop)(struct inst *);
	/* sends asynchronously; must end with outbox_done(msg, &outcome) */
	void		(*send)(struct inst *, struct outmsg *);
	/*
	 * Reads one stored inbound payload (the provider's wire format) with
	 * type-checked accessors only, calling sink for each item in order.
	 * Returns INBOUND_OK, INBOUND_MALFORMED (err names the field) or
	 * INBOUND_SINK_FAILED (err is the sink's).
	 */
	int		(*parse_inbound)(struct json_object *payload,
			    inbound_sink *, void *arg, char *err, size_t errlen);
};

extern const struct provider provider_sandbox;
extern const struct provider provider_cloud;
/* The provider called name, or NULL. */
const struct provider *provider_find(const char *name);

/* the providers' parse_inbound (cloud_inbound.c is fuzzed on its own) */
int cloud_parse_inbound(struct json_object *, inbound_sink *, void *,
    char *, size_t);
int sandbox_parse_inbound(struct json_object *, inbound_sink *, void *,
    char *, size_t);

struct inst {
	struct engine		*e;
	struct inst		*next;
	char			 id[UTIL_UUID_LEN + 1];
	char			 tenant_id[UTIL_UUID_LEN + 1];
	const struct provider	*prov;
	struct json_object	*config;
	char			 status[16];
	char			 desired[16];
	int			 restart_seq;
	int			 paired;	/* sandbox: paired_at is set */
	int			 was_ready;	/* since its last pairing */
	int			 rate;		/* messages per second */
	long long		*sent_ms;	/* ring of `rate` pacing slots
						   (outbox.c) */
	unsigned		 pace_gen;	/* a new ring (a new rate) */
	int			 sent_next;
	int			 in_flight;
	int			 maybe_pending;	/* worth a claim query */
	int			 dropped;	/* not ours: freed when idle */
	/* campaign.c: config.dailyRecipientCap, the numbers campaigns
	 * reached in the last 24 hours (counted now and then) */
	long			 daily_used;
	long long		 daily_checked_ms;
	int			 daily_capped;	/* notified, waiting */
	void			*pdata;		/* the provider's */
};

/* One claimed outbox row on its way to the provider. */
struct outmsg {
	struct inst		*inst;
	char			 id[UTIL_UUID_LEN + 1];
	char			 campaign_id[UTIL_UUID_LEN + 1];	/* or "" */
	char			 chat_id[48];
	char			 type[16];
	struct json_object	*content;
	int			 attempts;
	uint64_t		 started_ns;	/* handed to the provider */
	int			 slot;		/* its pacing slot, or -1 */
	unsigned		 slot_gen;	/* ... in this ring */
	void			*pdata;
};

struct sb_tenant;

struct engine {
	uv_loop_t		*loop;
	char			 id[UTIL_UUID_LEN + 1];
	struct db		 db;
	struct rds		 rds;
	struct inst		*insts;
	uv_timer_t		 lease_timer;
	uv_timer_t		 dispatch_timer;
	uv_timer_t		 inbound_timer;
	uv_timer_t		 heartbeat_timer;
	uv_timer_t		 campaign_timer;
	struct campaign		*campaigns;	/* campaign.c: the active ones
						   of our instances */
	long long		 campaigns_loaded_ms;
	struct json_object	*receipted;	/* campaign.c: ids of campaigns
						   not active here that receipts
						   moved, for the next progress */
	long long		 receipted_ms;
	uv_signal_t		 sigterm;
	uv_signal_t		 sigint;
	int			 stopping;
	long long		 stop_deadline_ms;
	int			 in_flight;	/* all instances */
	struct json_object	*sent;		/* accepted sends not yet written:
						   [{"id","pid"}], outbox_flush */
	struct json_object	*emit;		/* events.c: queued events */
	struct json_object	*written;	/* events.c: written, to publish
						   once committed */
	void			*notify;	/* notify.c */
	struct sb_tenant	*smartbot;	/* smartbot.c: cached rules */
	void			*http;		/* http.c */
	void			*webhooks;	/* webhooks.c */
	long long		 started_ms;
	/* event-loop lag, measured on the dispatch timer: how late it fired */
	uint64_t		 lag_last_ns;	/* its previous run */
	long long		 lag_max_ms;	/* worst since the last heartbeat */
	long long		 lag_worst_ms;	/* worst since the start */
};

/* lease.c */
void lease_free(struct inst *);
int lease_register(struct engine *) __attribute__((warn_unused_result));
void lease_tick(struct engine *);
void lease_release_all(struct engine *);
void lease_reload(struct engine *, const char *instance_id);
struct inst *lease_find(struct engine *, const char *instance_id);

/* session.c */
void session_set(struct inst *, const char *status, const char *qr,
    struct json_object *client_info);
void session_start(struct inst *);
void session_stop(struct inst *);
/* A notification of kind about the instance (its cause), with text. */
void session_notify(struct inst *, const char *kind, const char *text);
/* The data of a message.sent event (error may be NULL; it is shared). */
struct json_object *session_message_status(const char *message_id,
    const char *instance_id, const char *chat_id, const char *status,
    const char *provider_id, struct json_object *error);

/*
 * Sends in flight, all instances together: no more than libcurl's
 * connections (http.c), so no request waits in its queue, where its
 * timeout would already run (a burst would time out unsent and be sent
 * again).
 */
#define ENGINE_IN_FLIGHT_MAX	512

/* outbox.c */
void outbox_dispatch(struct engine *);
/* How many sends the instance may start now within its rate. */
int outbox_allowance(struct inst *);
/* The claimed message in row of res, whose columns are OUTBOX_COLUMNS. */
#define OUTBOX_COLUMNS	"id, chat_id, type, content::text, attempts, " \
	"COALESCE(campaign_id::text, '')"
struct outmsg *outbox_msg(struct inst *, PGresult *res, int row);
/* Hands a claimed message (taken over) to the provider, paced. */
void outbox_send(struct inst *, struct outmsg *);
void outbox_done(struct outmsg *, const struct outcome *);
void outbox_wake(struct engine *, const char *instance_id);
/* Writes the accepted sends gathered since the last call, in one statement. */
void outbox_flush(struct engine *);

/* campaign.c: dispatches the running campaigns of our instances */
void campaign_tick(struct engine *);
/* Sends what the instance's allowance n leaves for its campaigns, after
 * the outbox (single sends first); called by outbox_dispatch. */
void campaign_dispatch(struct inst *, int n);
/* A campaign message's outcome (outbox_done): counts, auto-pause. */
void campaign_outcome(struct engine *, const char *campaign_id,
    const struct outcome *);
/* A receipt moved one of the campaign's recipients: its progress is
 * published with the next coalesced batch, also after it completed. */
void campaign_receipt(struct engine *, const char *campaign_id);
/* Reload the campaigns soon (NOTIFY waqtor_campaigns). */
void campaign_wake(struct engine *);
void campaign_free_all(struct engine *);

/* inbound.c */
void inbound_process(struct engine *);
/* Applies a receipt (sent/delivered/read/failed) to an outbound message,
 * found by our id or the provider's; publishes message.sent if it moved. */
void inbound_apply_status(struct engine *, const char *instance_id,
    const char *message_id, const char *provider_id, const char *status,
    struct json_object *error);

/* optout.c: acts on a stop or start keyword in an inbound text (message
 * inbound_id; from is the sender's digits), its reply an automatic one as
 * SmartBot's are; 1 when it was one, 0 when not, -1 with a reason in err. */
int optout_inbound(struct engine *, const char *tenant, const char *instance,
    const char *inbound_id, const char *from, const char *text, char *err,
    size_t errlen)
    __attribute__((warn_unused_result));

/*
 * smartbot.c: answers a new inbound text (message inbound_id) by the
 * tenant's first matching rule, in the caller's transaction: the data of
 * its smartbot.reply event when it queued a reply, else NULL (with err set
 * when the database failed). smartbot_notified takes NOTIFY
 * waqtor_smartbot (the API publishes smartbot.rule-updated);
 * smartbot_forget drops a tenant's cached rules (NULL: every tenant's).
 */
struct json_object *smartbot_inbound(struct engine *, const char *tenant,
    const char *instance, const char *inbound_id, const char *from,
    const char *name, const char *text, char *err, size_t errlen);
void smartbot_notified(struct engine *, const char *tenant_id);
void smartbot_forget(struct engine *, const char *tenant_id);

/* retention.c: deletes what is past its retention (inbound events, media) */
void retention_sweep(struct engine *);
/* metrics.c: Prometheus metrics on WAQTOR_METRICS (before the loop
 * starts: it forks their server); one send's outcome */
int engine_metrics_start(struct engine *) __attribute__((warn_unused_result));
void engine_metrics_send(struct outmsg *, const struct outcome *);

/* subscription.c: tells owners that their plan ends soon, or ended */
void subscription_sweep(struct engine *);
/* reports.c: folds the report deltas into their hourly rollups */
void reports_fold(struct engine *);

/* notify.c: LISTEN waqtor_outbox, waqtor_instances, waqtor_inbound */
int notify_start(struct engine *) __attribute__((warn_unused_result));
void notify_stop(struct engine *);

/* http.c: asynchronous HTTP on the loop (libcurl multi) */
struct http_reply {
	long		 status;	/* 0: no answer, see error */
	const char	*body;
	size_t		 len;
	const char	*error;		/* NULL when answered */
	long		 retry_after_s;	/* the answer's Retry-After, or 0 */
	long		 latency_ms;
};
typedef void http_reply_cb(void *arg, const struct http_reply *);
struct http_request {
	const char		*url;
	const char		*body;
	struct curl_slist	*headers;	/* taken over */
	long			 timeout_ms;
	int			 public_only;	/* connect to public addresses
						   only (netguard.h), no proxy */
};
int http_start(struct engine *) __attribute__((warn_unused_result));
void http_stop(struct engine *);
/* POSTs q's body; cb runs exactly once. Redirects are not followed. */
void http_request(struct engine *, const struct http_request *q,
    http_reply_cb *cb, void *arg);
/* POSTs body (JSON) to url with an extra header. */
void http_post_json(struct engine *, const char *url, const char *auth_header,
    const char *body, long timeout_ms, http_reply_cb *cb, void *arg);

/* webhooks.c: outbound webhook deliveries from the durable queue */
void webhooks_start(struct engine *);
void webhooks_wake(struct engine *);
int webhooks_in_flight(struct engine *);
void webhooks_stop(struct engine *);

/* main.c: run the outbox or the inbound events now */
void engine_wake_dispatch(struct engine *);
void engine_wake_inbound(struct engine *);

/*
 * events.c: a tenant event (data taken over), written to the event log and
 * the webhook queue in the open transaction and published once it
 * commits; outside a transaction at once. With no tenant, only published.
 */
void engine_emit(struct engine *, const char *type, const char *tenant_id,
    const char *instance_id, struct json_object *data);
/* A notification of kind (sql/014_notifications.sql) for the tenant's
 * members, at most once per the kind's period for the same cause (data:
 * {"title", "message", "link", ...}, taken over; instance_id may be NULL). */
void engine_notify(struct engine *, const char *kind, const char *cause,
    const char *tenant_id, const char *instance_id, struct json_object *data);
/* A transaction whose events commit with it; engine_commit() publishes
 * them, or rolls back (-1) when they or the commit fail. */
int engine_begin(struct engine *);
int engine_commit(struct engine *);
void engine_rollback(struct engine *);
/* For savepoints: the queue's length, and back to it; events_write()
 * writes the queue now (0, or -1 with the queue dropped). */
int events_mark(struct engine *);
void events_truncate(struct engine *, int mark);
int events_write(struct engine *) __attribute__((warn_unused_result));
void events_publish(struct engine *);
void events_drop(struct engine *);

#endif
