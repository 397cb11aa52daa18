/*
 * The event envelope, the contract between engine, pushd, webhooks and SDKs:
 *   {"id","type","tenantId","instanceId","ts","data"}
 * published on the Redis channel waqtor:<tenantId>:<namespace>, where the
 * namespace follows from the type (EVENT_TYPE_TABLE). Events with no tenant
 * (the engine's heartbeat) go to waqtor:system:<namespace>.
 *
 * EVENT_CONTROL carries the API's revocations to pushd (never to clients):
 *   {"type":"credential.revoked","tenantId", and "apiKeyId", "sessionId" or
 *    "userId" with an optional "exceptSessionId"}
 */
#ifndef WAQTOR_EVENT_H
#define WAQTOR_EVENT_H

#include <json-c/json.h>

#include "rds.h"

#define EVENT_CONTROL	"waqtor:control"

struct event_type {
	const char	*type;		/* engine's name, e.g. "session.qr" */
	const char	*ns;		/* status, campaigns, smartbot, ...;
					   NULL: webhooks and the log only */
	const char	*sio_name;	/* Socket.IO event name, e.g. "qr" */
};

/*
 * A logged event's id (sql/013_events.sql): "evt_" and 32 lowercase hex
 * digits, in the order the log is read. event_id_valid: 1 when s has it.
 */
#define EVENT_ID_LEN	36
int event_id_valid(const char *s);

/* The type's row, or NULL for a type that is not in the table. */
const struct event_type *event_type_find(const char *type);

/*
 * Webhook filters: a pattern is a tenant event's type ("message.sent"),
 * a prefix and a wildcard ("message.*"), or "*". event_pattern_valid says
 * whether a pattern names any tenant event; event_pattern_match whether
 * type is one it names.
 */
int event_pattern_valid(const char *pattern);
int event_pattern_match(const char *pattern, const char *type);

/*
 * Builds an envelope; data (may be NULL for {}) is taken over. tenant_id and
 * instance_id may be NULL. Returns a new json object; -1 style errors are
 * impossible here except an unknown type, which returns NULL.
 */
struct json_object *event_envelope(const char *type, const char *tenant_id,
    const char *instance_id, struct json_object *data);
/* Writes the channel of an envelope into out; -1 if it does not fit. */
int event_channel(const struct event_type *t, const char *tenant_id,
    char *out, size_t outlen) __attribute__((warn_unused_result));
/*
 * PUBLISHes an envelope built elsewhere (the event log's) on the channel of
 * its type: the number of subscribers, 0 for a type with no channel, -1
 * when Redis is down or the type is unknown.
 */
long long event_publish_envelope(struct rds *r, const char *type,
    const char *tenant_id, const char *envelope);
/*
 * Builds the envelope and PUBLISHes it. Takes over data. Returns the number
 * of subscribers that received it, or -1 when Redis is down or the type is
 * unknown.
 */
long long event_publish(struct rds *r, const char *type, const char *tenant_id,
    const char *instance_id, struct json_object *data);

#endif
