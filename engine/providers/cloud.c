/*
 * Meta's WhatsApp Cloud API (shared/cloud-api.md): messages are POSTed to
 * {WAQTOR_CLOUD_API_BASE}/{WAQTOR_CLOUD_API_VERSION}/{phoneNumberId}/messages
 * with the instance's access token; receipts and inbound messages come back
 * through the webhook (fcgi/h_webhook.c; the payload is read by
 * cloud_inbound.c, stored by engine/inbound.c). The base URL is
 * the operator's setting, never a tenant's. Error codes map to outcomes
 * through cloud_errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "engine.h"
#include "jsonx.h"
#include "log.h"
#include "xmalloc.h"

/* What each Graph API error code means for the message (cloud-api.md). */
static const struct {
	long			 code;
	enum outcome_kind	 kind;
	long			 retry_ms;
	int			 notify;
} cloud_errors[] = {
	{ 130429, OUT_THROTTLED,	1000,	0 },	/* number's throughput */
	{ 131056, OUT_THROTTLED,	6000,	0 },	/* pair rate limit */
	{ 131047, OUT_FAILED,		0,	0 },	/* 24 h: needs a template */
	{ 131026, OUT_FAILED,		0,	0 },	/* undeliverable */
	{ 131048, OUT_FAILED,		0,	1 },	/* spam limit */
	{ 131049, OUT_FAILED,		0,	1 },	/* ecosystem limit */
	{ 132001, OUT_FAILED,		0,	0 },	/* no such template */
	{ 190,	  OUT_AUTH_FAILURE,	0,	1 },	/* token expired */
	{ 100,	  OUT_FAILED,		0,	0 },	/* invalid parameter */
};

static const char *
cloud_str(struct inst *in, const char *key)
{
	return jsonx_get_str(in->config, key);
}

static void
cloud_start(struct inst *in)
{
	struct json_object	*info = json_object_new_object();
	const char		*phone = cloud_str(in, "phoneNumberId");

	jsonx_add_str(info, "platform", "cloud");
	jsonx_add_str(info, "phoneNumberId", phone);
	jsonx_add_str(info, "phoneNumber", cloud_str(in, "displayPhoneNumber"));
	jsonx_add_str(info, "name", cloud_str(in, "verifiedName"));
	if (phone == NULL || strspn(phone, "0123456789") != strlen(phone) ||
	    cloud_str(in, "accessToken") == NULL)
		session_set(in, "auth_failure", NULL, info);
	else
		session_set(in, "ready", NULL, info);
	json_object_put(info);
}

static void
cloud_stop(struct inst *in)
{
	/* sends in flight finish on their own and settle through outbox_done */
	(void)in;
}

/* The request body for m, per message type (cloud-api.md, Sending). */
static struct json_object *
cloud_body(struct outmsg *m)
{
	struct json_object	*b = json_object_new_object(), *obj, *v;
	char			 to[24];

	snprintf(to, sizeof to, "%.*s", (int)strspn(m->chat_id, "0123456789"),
	    m->chat_id);
	jsonx_add_str(b, "messaging_product", "whatsapp");
	jsonx_add_str(b, "recipient_type", "individual");
	jsonx_add_str(b, "to", to);
	jsonx_add_str(b, "type", m->type);
	jsonx_add_str(b, "biz_opaque_callback_data", m->id);
	if (strcmp(m->type, "text") == 0) {
		obj = json_object_new_object();
		jsonx_add_bool(obj, "preview_url", 0);
		jsonx_add_str(obj, "body", jsonx_get_str(m->content, "text"));
		json_object_object_add(b, "text", obj);
		if (jsonx_get_str(m->content, "quotedMessageId") != NULL) {
			obj = json_object_new_object();
			jsonx_add_str(obj, "message_id",
			    jsonx_get_str(m->content, "quotedMessageId"));
			json_object_object_add(b, "context", obj);
		}
	} else if (strcmp(m->type, "interactive") == 0)
		json_object_object_add(b, "interactive",
		    json_object_get(m->content));
	else if (strcmp(m->type, "template") == 0) {
		obj = json_object_new_object();
		jsonx_add_str(obj, "name", jsonx_get_str(m->content, "name"));
		v = json_object_new_object();
		jsonx_add_str(v, "code", jsonx_get_str(m->content, "language"));
		json_object_object_add(obj, "language", v);
		if (json_object_object_get_ex(m->content, "components", &v))
			json_object_object_add(obj, "components",
			    json_object_get(v));
		json_object_object_add(b, "template", obj);
	} else {
		/* media: image, video, audio, document, sticker */
		obj = json_object_new_object();
		jsonx_add_str(obj, "link", jsonx_get_str(m->content, "url"));
		if (jsonx_get_str(m->content, "caption") != NULL &&
		    strcmp(m->type, "audio") != 0 &&
		    strcmp(m->type, "sticker") != 0)
			jsonx_add_str(obj, "caption",
			    jsonx_get_str(m->content, "caption"));
		if (jsonx_get_str(m->content, "filename") != NULL &&
		    strcmp(m->type, "document") == 0)
			jsonx_add_str(obj, "filename",
			    jsonx_get_str(m->content, "filename"));
		json_object_object_add(b, m->type, obj);
	}
	return b;
}

/* Reads the answer into an outcome. */
static void
cloud_outcome(long status, const char *body, size_t len, const char *error,
    struct outcome *o)
{
	struct json_object	*root = NULL, *v, *err;
	char			 perr[64];
	size_t			 i;

	memset(o, 0, sizeof o[0]);
	if (error != NULL || status == 0) {
		o->kind = OUT_RETRY;
		snprintf(o->message, sizeof o->message, "network: %s",
		    error != NULL ? error : "no answer");
		return;
	}
	if (jsonx_parse(body, len, JSONX_MAX_DEPTH, &root, perr,
	    sizeof perr) == -1)
		root = NULL;
	if (status == 200 && root != NULL &&
	    json_object_object_get_ex(root, "messages", &v) &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) > 0 &&
	    jsonx_get_str(json_object_array_get_idx(v, 0), "id") != NULL) {
		o->kind = OUT_SENT;
		snprintf(o->provider_id, sizeof o->provider_id, "%s",
		    jsonx_get_str(json_object_array_get_idx(v, 0), "id"));
		goto out;
	}
	o->kind = status >= 500 || status == 429 ? OUT_RETRY : OUT_FAILED;
	snprintf(o->message, sizeof o->message, "HTTP %ld", status);
	if (root != NULL && json_object_object_get_ex(root, "error", &err)) {
		if (json_object_object_get_ex(err, "code", &v))
			o->code = (long)json_object_get_int64(v);
		if (jsonx_get_str(err, "message") != NULL)
			snprintf(o->message, sizeof o->message, "%s",
			    jsonx_get_str(err, "message"));
		for (i = 0; i < sizeof cloud_errors / sizeof cloud_errors[0]; i++) {
			if (cloud_errors[i].code == o->code) {
				o->kind = cloud_errors[i].kind;
				o->retry_ms = cloud_errors[i].retry_ms;
				o->notify = cloud_errors[i].notify;
				break;
			}
		}
	}
out:
	json_object_put(root);
}

static void
cloud_answer(void *arg, const struct http_reply *r)
{
	struct outmsg	*m = arg;
	struct outcome	 o;

	cloud_outcome(r->status, r->body, r->len, r->error, &o);
	if (o.kind != OUT_SENT)
		log_info("message %s: cloud answered %ld (code %ld): %s", m->id,
		    r->status, o.code, o.message);
	outbox_done(m, &o);
}

static void
cloud_send(struct inst *in, struct outmsg *m)
{
	struct json_object	*body = cloud_body(m);
	const char		*phone = cloud_str(in, "phoneNumberId");
	const char		*token = cloud_str(in, "accessToken");
	char			*url, *auth;

	url = xasprintf("%s/%s/%s/messages", config_str(CFG_CLOUD_API_BASE),
	    config_str(CFG_CLOUD_API_VERSION), phone != NULL ? phone : "");
	auth = xasprintf("Authorization: Bearer %s", token != NULL ? token : "");
	http_post_json(in->e, url, auth, jsonx_string(body),
	    config_int(CFG_HTTP_TIMEOUT_MS), cloud_answer, m);
	free(url);
	free(auth);
	json_object_put(body);
}

const struct provider provider_cloud = {
	.spec = &provider_spec_cloud,
	.start = cloud_start,
	.stop = cloud_stop,
	.send = cloud_send,
	.parse_inbound = cloud_parse_inbound,
};
