/* The event envelope and the type -> namespace table. */
#include <string.h>

#include "event.h"
#include "jsonx.h"
#include "tap.h"
#include "util.h"

int
main(void)
{
	const struct event_type	*t;
	struct json_object	*env, *data, *v;
	char			 ch[128];

	util_init();
	t = event_type_find("campaign.progress");
	ok(t != NULL && strcmp(t->ns, "campaigns") == 0 &&
	    strcmp(t->sio_name, "progress") == 0, "campaign.progress row");
	t = event_type_find("message.received");
	ok(t != NULL && strcmp(t->ns, "smartbot") == 0 &&
	    strcmp(t->sio_name, "incoming") == 0, "message.received row");
	t = event_type_find("notification.new");
	ok(t != NULL && strcmp(t->sio_name, "notification:new") == 0,
	    "notification.new row");
	ok(event_type_find("no.such") == NULL, "unknown type");

	ok(event_channel(event_type_find("session.qr"), "t-1", ch,
	    sizeof ch) == 0, "channel fits");
	is_str(ch, "waqtor:t-1:status", "tenant channel");
	ok(event_channel(event_type_find("engine.heartbeat"), NULL, ch,
	    sizeof ch) == 0, "system channel fits");
	is_str(ch, "waqtor:system:system", "system channel");
	ok(event_channel(event_type_find("session.qr"), "t-1", ch, 10) == -1,
	    "a channel that does not fit is refused");

	data = json_object_new_object();
	jsonx_add_int(data, "sent", 5);
	env = event_envelope("campaign.progress", "t-1", "i-1", data);
	ok(env != NULL, "envelope built");
	is_str(jsonx_get_str(env, "type"), "campaign.progress", "type");
	is_str(jsonx_get_str(env, "tenantId"), "t-1", "tenantId");
	is_str(jsonx_get_str(env, "instanceId"), "i-1", "instanceId");
	ok(util_is_uuid(jsonx_get_str(env, "id")), "id is a UUID");
	ok(strlen(jsonx_get_str(env, "ts")) == UTIL_TS_LEN &&
	    jsonx_get_str(env, "ts")[UTIL_TS_LEN - 1] == 'Z', "ts is RFC 3339 UTC");
	ok(json_object_object_get_ex(env, "data", &v) &&
	    json_object_get_int(json_object_object_get(v, "sent")) == 5,
	    "data carried");
	json_object_put(env);

	env = event_envelope("engine.heartbeat", NULL, NULL, NULL);
	ok(json_object_object_get_ex(env, "tenantId", &v) && v == NULL,
	    "no tenant is null");
	ok(json_object_object_get_ex(env, "data", &v) &&
	    json_object_is_type(v, json_type_object), "NULL data is {}");
	json_object_put(env);
	ok(event_envelope("bogus", "t", NULL, json_object_new_object()) == NULL,
	    "unknown type refused (and data freed)");

	/* webhook filters */
	ok(event_pattern_valid("*") && event_pattern_valid("message.sent") &&
	    event_pattern_valid("message.*") && event_pattern_valid("smartbot.*"),
	    "patterns: all, a type, a prefix");
	ok(!event_pattern_valid("engine.heartbeat") &&
	    !event_pattern_valid("engine.*") && !event_pattern_valid("bogus") &&
	    !event_pattern_valid("message") && !event_pattern_valid("mess*") &&
	    !event_pattern_valid("") && !event_pattern_valid("message.sent.*"),
	    "not patterns: the system's, unknown, partial");
	ok(event_pattern_match("message.*", "message.received") &&
	    event_pattern_match("*", "campaign.progress") &&
	    event_pattern_match("smartbot.reply", "smartbot.reply") &&
	    !event_pattern_match("message.*", "messages.x") &&
	    !event_pattern_match("smartbot.reply", "smartbot.rule-updated"),
	    "matching");
	return tap_done();
}
