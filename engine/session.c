/*
 * The session of an owned instance: connecting, qr, ready, disconnected,
 * auth_failure. Every change is written to the instance's row and published
 * (session.status, and session.qr with the pairing code). The tenant is
 * notified when credentials fail and when a session that was ready is
 * lost without a logout (it needs pairing again, or it went offline).
 */
#include <string.h>

#include "engine.h"
#include "jsonx.h"
#include "log.h"

/* The notification a change of status makes, or NULL. */
static const char *
session_notice(struct inst *in, const char *status, const char **text)
{
	if (strcmp(status, "auth_failure") == 0 &&
	    strcmp(in->status, "auth_failure") != 0) {
		*text = "WhatsApp refused this number's credentials: update "
		    "the instance's access token. Messages wait meanwhile.";
		return "instance.auth_failure";
	}
	if (in->was_ready && strcmp(in->desired, "logged_out") != 0 &&
	    (strcmp(status, "qr") == 0 || strcmp(status, "disconnected") == 0)) {
		*text = "This number's WhatsApp session ended: pair it again "
		    "to go on sending and receiving.";
		return "instance.disconnected";
	}
	return NULL;
}

void
session_set(struct inst *in, const char *status, const char *qr,
    struct json_object *client_info)
{
	struct engine		*e = in->e;
	struct json_object	*data;
	const char		*params[5], *notice, *text = NULL;

	params[0] = in->id;
	params[1] = status;
	params[2] = qr;
	params[3] = client_info != NULL ? jsonx_string(client_info) : NULL;
	params[4] = e->id;
	/* (when this fails, so does the commit below) */
	(void)engine_begin(e);
	PQclear(db_query(&e->db, "UPDATE instances SET status = $2, qr = $3, "
	    "client_info = COALESCE($4::jsonb, client_info), updated_at = now() "
	    "WHERE id = $1 AND owner_engine = $5", 5, params, 0));
	if ((notice = session_notice(in, status, &text)) != NULL)
		session_notify(in, notice, text);
	if (strcmp(status, "ready") == 0)
		in->was_ready = 1;
	else if (strcmp(status, "connecting") != 0)
		in->was_ready = 0;
	snprintf(in->status, sizeof in->status, "%s", status);
	log_info("instance %s: %s", in->id, status);

	if (qr != NULL) {
		data = json_object_new_object();
		jsonx_add_str(data, "instanceId", in->id);
		jsonx_add_str(data, "qr", qr);
		engine_emit(e, "session.qr", in->tenant_id, in->id, data);
	}
	data = json_object_new_object();
	jsonx_add_str(data, "instanceId", in->id);
	jsonx_add_str(data, "status", status);
	if (client_info != NULL)
		json_object_object_add(data, "clientInfo",
		    json_object_get(client_info));
	engine_emit(e, "session.status", in->tenant_id, in->id, data);
	if (engine_commit(e) == -1)
		log_error("instance %s: status %s not saved", in->id, status);
	if (strcmp(status, "ready") == 0)
		in->maybe_pending = 1;
}

void
session_start(struct inst *in)
{
	if (strcmp(in->desired, "logged_out") == 0) {
		session_set(in, "disconnected", NULL, NULL);
		return;
	}
	session_set(in, "connecting", NULL, NULL);
	in->prov->start(in);
}

void
session_stop(struct inst *in)
{
	in->prov->stop(in);
}

void
session_notify(struct inst *in, const char *kind, const char *text)
{
	struct json_object	*data = json_object_new_object();

	jsonx_add_str(data, "message", text);
	jsonx_add_str(data, "link", "/instances");
	engine_notify(in->e, kind, in->id, in->tenant_id, in->id, data);
}

struct json_object *
session_message_status(const char *message_id, const char *instance_id,
    const char *chat_id, const char *status, const char *provider_id,
    struct json_object *error)
{
	struct json_object	*data = json_object_new_object();

	jsonx_add_str(data, "messageId", message_id);
	jsonx_add_str(data, "instanceId", instance_id);
	jsonx_add_str(data, "chatId", chat_id);
	jsonx_add_str(data, "status", status);
	jsonx_add_str(data, "providerId", provider_id);
	if (error != NULL)
		json_object_object_add(data, "error", json_object_get(error));
	return data;
}
