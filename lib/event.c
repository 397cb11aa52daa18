#include "event.h"

#include <stdio.h>
#include <string.h>

#include "jsonx.h"
#include "log.h"
#include "util.h"

/* The event table of ARCHITECTURE.md: engine type, namespace, Socket.IO name. */
static const struct event_type event_types[] = {
	{ "session.qr",			"status",	 "qr" },
	{ "session.status",		"status",	 "status" },
	{ "session.stats",		"status",	 "stats" },
	{ "message.sent",		"status",	 "message-status" },
	{ "campaign.progress",		"campaigns",	 "progress" },
	{ "campaign.completed",		"campaigns",	 "completed" },
	{ "message.received",		"smartbot",	 "incoming" },
	{ "smartbot.reply",		"smartbot",	 "reply" },
	{ "smartbot.rule-updated",	"smartbot",	 "rule-updated" },
	{ "notification.new",		"notifications", "notification:new" },
	{ "webhook.test",		NULL,		 NULL },
	{ "engine.heartbeat",		"system",	 NULL },
};

const struct event_type *
event_type_find(const char *type)
{
	size_t	i;

	for (i = 0; i < sizeof event_types / sizeof event_types[0]; i++) {
		if (strcmp(event_types[i].type, type) == 0)
			return &event_types[i];
	}
	return NULL;
}

int
event_pattern_match(const char *pattern, const char *type)
{
	size_t	n = strlen(pattern);

	if (strcmp(pattern, "*") == 0)
		return 1;
	if (n >= 2 && strcmp(pattern + n - 2, ".*") == 0)
		return strncmp(type, pattern, n - 1) == 0;
	return strcmp(pattern, type) == 0;
}

int
event_pattern_valid(const char *pattern)
{
	size_t	i;

	for (i = 0; i < sizeof event_types / sizeof event_types[0]; i++) {
		/* (the system namespace is no tenant's) */
		if ((event_types[i].ns == NULL ||
		    strcmp(event_types[i].ns, "system") != 0) &&
		    event_pattern_match(pattern, event_types[i].type))
			return 1;
	}
	return 0;
}

int
event_id_valid(const char *s)
{
	size_t	i;

	if (strncmp(s, "evt_", 4) != 0 || strlen(s) != EVENT_ID_LEN)
		return 0;
	for (i = 4; i < EVENT_ID_LEN; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return 1;
}

struct json_object *
event_envelope(const char *type, const char *tenant_id,
    const char *instance_id, struct json_object *data)
{
	struct json_object	*env;
	char			 id[UTIL_UUID_LEN + 1], ts[UTIL_TS_LEN + 1];

	if (event_type_find(type) == NULL) {
		json_object_put(data);
		return NULL;
	}
	util_uuid(id);
	util_timestamp(ts);
	env = json_object_new_object();
	jsonx_add_str(env, "id", id);
	jsonx_add_str(env, "type", type);
	jsonx_add_str(env, "tenantId", tenant_id);
	jsonx_add_str(env, "instanceId", instance_id);
	jsonx_add_str(env, "ts", ts);
	json_object_object_add(env, "data",
	    data != NULL ? data : json_object_new_object());
	return env;
}

int
event_channel(const struct event_type *t, const char *tenant_id, char *out,
    size_t outlen)
{
	int	n = snprintf(out, outlen, "waqtor:%s:%s",
	    tenant_id != NULL ? tenant_id : "system", t->ns);

	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

long long
event_publish_envelope(struct rds *r, const char *type, const char *tenant_id,
    const char *envelope)
{
	const struct event_type	*t = event_type_find(type);
	redisReply		*reply;
	char			 channel[128];
	long long		 n = -1;

	if (t == NULL) {
		log_error("event: unknown type %s", type);
		return -1;
	}
	if (t->ns == NULL)
		return 0;
	if (event_channel(t, tenant_id, channel, sizeof channel) == -1)
		return -1;
	reply = rds_command(r, "PUBLISH %s %s", channel, envelope);
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER)
		n = reply->integer;
	freeReplyObject(reply);
	return n;
}

long long
event_publish(struct rds *r, const char *type, const char *tenant_id,
    const char *instance_id, struct json_object *data)
{
	struct json_object	*env;
	long long		 n;

	if ((env = event_envelope(type, tenant_id, instance_id, data)) == NULL) {
		log_error("event: unknown type %s", type);
		return -1;
	}
	n = event_publish_envelope(r, type, tenant_id, jsonx_string(env));
	json_object_put(env);
	return n;
}
