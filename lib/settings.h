/*
 * Defaults of the tenant settings that both the API (fcgi/h_settings.c,
 * which shows them) and the engine (which acts on them) need, and how
 * what is stored goes over them.
 */
#ifndef WAQTOR_SETTINGS_H
#define WAQTOR_SETTINGS_H

#include <json-c/json.h>

/* A group's settings: the stored ones (JSON text, or NULL) over its
 * defaults (JSON text), so every key is there; a new object. */
struct json_object *settings_merge(const char *defaults, const char *stored);

/* messaging: what an inbound message equal to a stop keyword (after
 * lib/textnorm.h folding) does, and the default country code of imports. */
#define SETTINGS_MESSAGING_DEFAULTS					\
	"{\"default_country_code\":\"\","				\
	"\"stop_keywords\":[\"STOP\",\"UNSUBSCRIBE\",\"إلغاء\","	\
	"\"الغاء\",\"ايقاف\"],"						\
	"\"start_keywords\":[\"START\"],"				\
	"\"stop_reply\":\"You will not receive more messages from us. "	\
	"Reply START to subscribe again.\","				\
	"\"start_reply\":\"You are subscribed again. Reply STOP to "	\
	"unsubscribe.\"}"

/* smartbot: whether rules answer at all, how long the bot stays silent in
 * a chat after a person wrote in it (handover), and how many replies a
 * chat gets per minute at most (so two bots never ping-pong). */
#define SETTINGS_SMARTBOT_DEFAULTS					\
	"{\"enabled\":true,\"handover_minutes\":30,"			\
	"\"chat_replies_per_minute\":5}"

#endif
