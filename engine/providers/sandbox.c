/*
 * The sandbox: a simulated WhatsApp network for the demo and for tests.
 * A session shows a pairing code (qr) until it is paired — through
 * POST /instances/{id}/sandbox/pair, or by itself after
 * config.autoPairSeconds — then is ready. Sent messages are accepted at
 * once and move to delivered and read after config.deliveryLatencyMs and
 * config.readLatencyMs (300 and 1000 by default). Recipients whose number
 * starts with 999000 are undeliverable (error 131026), to exercise failures.
 * Receipts live in timers: an engine restart loses the pending ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "jsonx.h"
#include "log.h"
#include "xmalloc.h"

struct receipt {
	uv_timer_t		 timer;
	struct sandbox		*sb;
	struct receipt		*next;
	char			 message_id[UTIL_UUID_LEN + 1];
	char			 provider_id[160];
	int			 stage;		/* 0: delivered next, 1: read */
};

struct sandbox {
	struct inst		*in;
	uv_timer_t		 pair_timer;
	struct receipt		*receipts;
};

static long
sandbox_config(struct inst *in, const char *key, long def)
{
	struct json_object	*v;

	if (json_object_object_get_ex(in->config, key, &v) &&
	    json_object_is_type(v, json_type_int))
		return (long)json_object_get_int64(v);
	return def;
}

static void
sandbox_ready(struct inst *in)
{
	struct json_object	*info = json_object_new_object();
	char			 phone[24];
	unsigned		 h = 0;
	const char		*p;

	/* a stable, obviously fake number per instance */
	for (p = in->id; *p != '\0'; p++)
		h = h * 31 + (unsigned char)*p;
	snprintf(phone, sizeof phone, "+1555%07u", h % 10000000u);
	jsonx_add_str(info, "platform", "sandbox");
	jsonx_add_str(info, "phoneNumber", phone);
	jsonx_add_str(info, "name", "WaQtor Sandbox");
	session_set(in, "ready", NULL, info);
	json_object_put(info);
}

static void
sandbox_autopair(uv_timer_t *t)
{
	struct sandbox	*sb = t->data;
	struct inst	*in = sb->in;
	const char	*params[1] = { in->id };

	/* remembered, so a restart of the session stays paired */
	if (db_exec(&in->e->db, "UPDATE instances SET paired_at = now() "
	    "WHERE id = $1", 1, params) == -1)
		log_warn("instance %s: pairing not saved", in->id);
	in->paired = 1;
	sandbox_ready(in);
}

static void
sandbox_start(struct inst *in)
{
	struct sandbox	*sb = xcalloc(1, sizeof *sb);
	char		 code[33], qr[96];
	long		 after;

	sb->in = in;
	in->pdata = sb;
	uv_timer_init(in->e->loop, &sb->pair_timer);
	sb->pair_timer.data = sb;
	if (in->paired) {
		sandbox_ready(in);
		return;
	}
	util_random_hex(code, 16);
	snprintf(qr, sizeof qr, "waqtor-sandbox:%s:%s", in->id, code);
	session_set(in, "qr", qr, NULL);
	if ((after = sandbox_config(in, "autoPairSeconds", -1)) >= 0)
		uv_timer_start(&sb->pair_timer, sandbox_autopair,
		    (uint64_t)after * 1000, 0);
}

static void
sandbox_free_handle(uv_handle_t *h)
{
	free(h->data);
}

static void
sandbox_receipt_unlink(struct receipt *r)
{
	struct receipt	**pp;

	for (pp = &r->sb->receipts; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			return;
		}
	}
}

static void
sandbox_receipt(uv_timer_t *t)
{
	struct receipt	*r = t->data;
	struct inst	*in = r->sb->in;

	inbound_apply_status(in->e, in->id, r->message_id, r->provider_id,
	    r->stage == 0 ? "delivered" : "read", NULL);
	if (r->stage++ == 0) {
		uv_timer_start(&r->timer, sandbox_receipt, (uint64_t)
		    sandbox_config(in, "readLatencyMs", 1000), 0);
		return;
	}
	sandbox_receipt_unlink(r);
	uv_close((uv_handle_t *)&r->timer, sandbox_free_handle);
}

static void
sandbox_send(struct inst *in, struct outmsg *m)
{
	struct sandbox	*sb = in->pdata;
	struct outcome	 o;
	struct receipt	*r;
	char		 uuid[UTIL_UUID_LEN + 1];

	memset(&o, 0, sizeof o);
	if (strncmp(m->chat_id, "999000", 6) == 0) {
		o.kind = OUT_FAILED;
		o.code = 131026;
		snprintf(o.message, sizeof o.message,
		    "(#131026) Message undeliverable (sandbox)");
		outbox_done(m, &o);
		return;
	}
	util_uuid(uuid);
	o.kind = OUT_SENT;
	snprintf(o.provider_id, sizeof o.provider_id, "sandbox.%s", uuid);
	r = xcalloc(1, sizeof *r);
	r->sb = sb;
	snprintf(r->message_id, sizeof r->message_id, "%s", m->id);
	snprintf(r->provider_id, sizeof r->provider_id, "%s", o.provider_id);
	uv_timer_init(in->e->loop, &r->timer);
	r->timer.data = r;
	r->next = sb->receipts;
	sb->receipts = r;
	uv_timer_start(&r->timer, sandbox_receipt, (uint64_t)
	    sandbox_config(in, "deliveryLatencyMs", 300), 0);
	outbox_done(m, &o);
}

static void
sandbox_stop(struct inst *in)
{
	struct sandbox	*sb = in->pdata;
	struct receipt	*r, *next;

	if (sb == NULL)
		return;
	for (r = sb->receipts; r != NULL; r = next) {
		next = r->next;
		uv_timer_stop(&r->timer);
		uv_close((uv_handle_t *)&r->timer, sandbox_free_handle);
	}
	uv_timer_stop(&sb->pair_timer);
	uv_close((uv_handle_t *)&sb->pair_timer, sandbox_free_handle);
	in->pdata = NULL;
}

/* What the API stored for an injected message: {"id","from","name","text"}. */
int
sandbox_parse_inbound(struct json_object *root, inbound_sink *sink, void *arg,
    char *err, size_t errlen)
{
	struct inbound_item	 it = { .kind = INBOUND_MESSAGE, .type = "text" };
	const char		*text;
	int			 rc;

	it.provider_id = jsonx_get_str(root, "id");
	it.from = jsonx_get_str(root, "from");
	it.name = jsonx_get_str(root, "name");
	text = jsonx_get_str(root, "text");
	if (it.provider_id == NULL || it.from == NULL || text == NULL ||
	    it.from[0] == '\0' || it.from[strspn(it.from, "0123456789")] != '\0') {
		snprintf(err, errlen, "malformed payload: id, from (digits) and "
		    "text must be strings");
		return INBOUND_MALFORMED;
	}
	it.content = json_object_new_object();
	jsonx_add_str(it.content, "text", text);
	rc = sink(arg, &it, err, errlen) == 0 ? INBOUND_OK : INBOUND_SINK_FAILED;
	json_object_put(it.content);
	return rc;
}

const struct provider provider_sandbox = {
	.spec = &provider_spec_sandbox,
	.start = sandbox_start,
	.stop = sandbox_stop,
	.send = sandbox_send,
	.parse_inbound = sandbox_parse_inbound,
};

static const struct provider *const providers[] = {
	&provider_sandbox, &provider_cloud,
};

const struct provider *
provider_find(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof providers / sizeof providers[0]; i++)
		if (strcmp(providers[i]->spec->name, name) == 0)
			return providers[i];
	return NULL;
}
