/*
 * Stop and start keywords: an inbound text equal to one of the tenant's
 * messaging.stop_keywords (after lib/textnorm.h folding: case, punctuation,
 * Arabic diacritics, tatweel and alef forms ignored) puts its sender on the
 * opt-out list, which every campaign skips, and queues stop_reply; a start
 * keyword takes the sender off and queues start_reply. It runs inside the
 * inbound event's savepoint (engine/inbound.c), so an event replayed after
 * a crash neither opts out twice nor replies twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "jsonx.h"
#include "log.h"
#include "settings.h"
#include "textnorm.h"

/* 1 when folded equals the fold of one of the strings in list. */
static int
optout_listed(struct json_object *list, const char *folded)
{
	size_t	i;
	char	*k;
	int	hit = 0;

	if (!json_object_is_type(list, json_type_array))
		return 0;
	for (i = 0; !hit && i < json_object_array_length(list); i++) {
		struct json_object *v = json_object_array_get_idx(list, i);

		if (!json_object_is_type(v, json_type_string))
			continue;
		k = textnorm_fold(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
		hit = k != NULL && *k != '\0' && strcmp(k, folded) == 0;
		free(k);
	}
	return hit;
}

/* The tenant's messaging settings over their defaults; NULL on failure. */
static struct json_object *
optout_settings(struct engine *e, const char *tenant, char *err, size_t errlen)
{
	const char		*params[1] = { tenant };
	struct json_object	*o;
	PGresult		*res;

	res = db_query(&e->db, "SELECT messaging::text FROM tenant_settings "
	    "WHERE tenant_id = $1", 1, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "database: reading the messaging settings");
		PQclear(res);
		return NULL;
	}
	o = settings_merge(SETTINGS_MESSAGING_DEFAULTS, PQntuples(res) == 1 ?
	    PQgetvalue(res, 0, 0) : NULL);
	PQclear(res);
	return o;
}

int
optout_inbound(struct engine *e, const char *tenant, const char *instance,
    const char *inbound_id, const char *from, const char *text, char *err,
    size_t errlen)
{
	struct json_object	*settings = NULL, *content;
	const char		*params[5], *reply;
	char			*folded = NULL, chat[48];
	PGresult		*res = NULL;
	int			 stop, rc = -1;

	if (text == NULL || strlen(text) > 200 ||
	    (folded = textnorm_fold(text, strlen(text))) == NULL ||
	    *folded == '\0') {
		rc = 0;		/* no keyword is that long, or empty */
		goto out;
	}
	if ((settings = optout_settings(e, tenant, err, errlen)) == NULL)
		goto out;
	if (optout_listed(json_object_object_get(settings, "stop_keywords"),
	    folded))
		stop = 1;
	else if (optout_listed(json_object_object_get(settings,
	    "start_keywords"), folded))
		stop = 0;
	else {
		rc = 0;
		goto out;
	}
	rc = 1;		/* a keyword, whatever it changes */
	params[0] = tenant;
	params[1] = from;
	params[2] = instance;
	res = db_query(&e->db, stop ? "INSERT INTO opt_outs (tenant_id, "
	    "phone, source, instance_id) SELECT $1, $2, 'keyword', $3 WHERE "
	    "$2 ~ '^[1-9][0-9]{7,14}$' ON CONFLICT DO NOTHING RETURNING 1" :
	    "DELETE FROM opt_outs WHERE tenant_id = $1 AND phone = $2 AND "
	    "$3::uuid IS NOT NULL RETURNING 1", 3, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "database: recording an opt-%s",
		    stop ? "out" : "in");
		rc = -1;
		goto out;
	}
	reply = jsonx_get_str(settings, stop ? "stop_reply" : "start_reply");
	if (PQntuples(res) == 0 || reply == NULL || *reply == '\0')
		goto out;	/* nothing changed, or nothing to say */
	PQclear(res);
	content = json_object_new_object();
	jsonx_add_str(content, "text", reply);
	snprintf(chat, sizeof chat, "%s@c.us", from);
	params[1] = instance;
	params[2] = chat;
	params[3] = jsonx_string(content);
	params[4] = inbound_id;
	/* an automatic reply, as SmartBot's are (smartbot_replies, no rule):
	 * no person's message for the bot's handover, one of the chat's
	 * replies for its cap */
	res = db_query(&e->db, "WITH m AS (INSERT INTO messages (tenant_id, "
	    "instance_id, direction, chat_id, type, content) VALUES ($1, $2, "
	    "'out', $3, 'text', $4) RETURNING id) INSERT INTO smartbot_replies "
	    "(inbound_id, tenant_id, instance_id, chat_id, reply_id) SELECT $5, "
	    "$1, $2, $3, m.id FROM m", 5, params, 0);
	json_object_put(content);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "database: queueing the opt-%s reply",
		    stop ? "out" : "in");
		rc = -1;
		goto out;
	}
	outbox_wake(e, instance);
	log_info("%s opted %s by keyword", instance, stop ? "out" : "in");
out:
	PQclear(res);
	json_object_put(settings);
	free(folded);
	return rc;
}
