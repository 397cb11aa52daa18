#include "fanout.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "jsonx.h"
#include "log.h"
#include "pushd.h"
#include "recovery.h"
#include "session.h"
#include "sock.h"
#include "stats.h"
#include "strmap.h"
#include "util.h"
#include "xmalloc.h"

#define FANOUT_PREFIX		"waqtor:"
#define FANOUT_JSON_DEPTH	32

struct fanout_tenant {
	char			id[UTIL_UUID_LEN + 1];
	LIST_HEAD(, sock)	socks[NSP__COUNT];
	unsigned		n;
};

static struct strmap		 fanout_tenants;
static struct fanout_tenant	*fanout_busy;	/* being delivered to */

void
fanout_init(void)
{
	strmap_init(&fanout_tenants);
}

static void
fanout_free_one(const char *key, void *value, void *arg)
{
	(void)key;
	(void)arg;
	free(value);
}

void
fanout_free(void)
{
	strmap_each(&fanout_tenants, fanout_free_one, NULL);
	strmap_clear(&fanout_tenants);
}

void
fanout_add(struct sock *k)
{
	struct fanout_tenant	*t = strmap_get(&fanout_tenants, k->tenant);
	int			 i;

	if (t == NULL) {
		t = xcalloc(1, sizeof *t);
		snprintf(t->id, sizeof t->id, "%s", k->tenant);
		for (i = 0; i < NSP__COUNT; i++)
			LIST_INIT(&t->socks[i]);
		(void)strmap_put(&fanout_tenants, t->id, t);
	}
	LIST_INSERT_HEAD(&t->socks[k->nsp], k, entry);
	t->n++;
	k->t = t;
}

void
fanout_remove(struct sock *k)
{
	struct fanout_tenant	*t = k->t;

	if (t == NULL)
		return;
	LIST_REMOVE(k, entry);
	k->t = NULL;
	/* A tenant being delivered to is freed by the delivery loop. */
	if (--t->n == 0 && t != fanout_busy) {
		(void)strmap_del(&fanout_tenants, t->id);
		free(t);
	}
}

/* The Socket.IO argument: data's members, then timestamp and instanceId. */
static struct json_object *
fanout_data(struct json_object *env)
{
	struct json_object	*data, *out = json_object_new_object();
	const char		*ts = jsonx_get_str(env, "ts");
	const char		*inst = jsonx_get_str(env, "instanceId");
	char			 now[UTIL_TS_LEN + 1];

	if (json_object_object_get_ex(env, "data", &data) &&
	    json_object_is_type(data, json_type_object)) {
		json_object_object_foreach(data, key, val)
			json_object_object_add(out, key, json_object_get(val));
	}
	if (!json_object_object_get_ex(out, "timestamp", NULL)) {
		if (ts == NULL) {
			util_timestamp(now);
			ts = now;
		}
		jsonx_add_str(out, "timestamp", ts);
	}
	if (inst != NULL && !json_object_object_get_ex(out, "instanceId", NULL))
		jsonx_add_str(out, "instanceId", inst);
	return out;
}

static struct eio_frame *
fanout_frame(int nsp, const char *name, struct json_object *data,
    unsigned long long offset)
{
	struct json_object	*args = json_object_new_array();
	struct eio_frame	*f;
	const char		*json;
	char			 off[24];
	size_t			 n;

	json_object_array_add(args, json_object_new_string(name));
	json_object_array_add(args, json_object_get(data));
	if (offset != 0) {
		snprintf(off, sizeof off, "%llu", offset);
		json_object_array_add(args, json_object_new_string(off));
	}
	json = jsonx_string(args);
	n = sio_encoded_len(SIO_EVENT, 0, nsp_table[nsp].name, -1,
	    strlen(json));
	f = eio_frame_alloc(EIO_MESSAGE, n);
	if (sio_encode((char *)eio_frame_bytes(f) + 1, n, SIO_EVENT, 0,
	    nsp_table[nsp].name, -1, json, strlen(json)) == -1)
		fatal("fanout: encoding %zu bytes", n);
	json_object_put(args);
	return f;
}

/* "type:value" of the coalesced field, or "" when nothing coalesces. */
static void
fanout_ckey(int nsp, const char *type, struct json_object *data, char *out,
    size_t outlen)
{
	const struct nsp	*n = &nsp_table[nsp];
	struct json_object	*v;

	out[0] = '\0';
	if (n->coalesce_type == NULL || strcmp(n->coalesce_type, type) != 0 ||
	    !json_object_object_get_ex(data, n->coalesce_field, &v) ||
	    !(json_object_is_type(v, json_type_string) ||
	    json_object_is_type(v, json_type_int)))
		return;
	snprintf(out, outlen, "%s:%s", type, json_object_get_string(v));
}

static void
fanout_deliver(struct fanout_tenant *t, int nsp, const char *instance,
    const char *user, struct eio_frame *f, const char *ckey)
{
	struct sock	*k, *next;

	fanout_busy = t;
	for (k = LIST_FIRST(&t->socks[nsp]); k != NULL; k = next) {
		/* delivering may close k's session, never another's */
		next = LIST_NEXT(k, entry);
		if (sock_wants(k, instance, user))
			sock_deliver(k, f, ckey);
	}
	fanout_busy = NULL;
	if (t->n == 0) {
		(void)strmap_del(&fanout_tenants, t->id);
		free(t);
	}
}

static void
fanout_reject(const char *why, const char *channel, size_t len)
{
	stats.events_rejected++;
	log_warn("fanout: dropped a message on %.*s: %s",
	    (int)(len > 100 ? 100 : len), channel, why);
}

/* A revocation's field: "" when absent, NULL when not a UUID. */
static const char *
fanout_id(struct json_object *o, const char *key)
{
	const char	*v = jsonx_get_str(o, key);

	if (v == NULL)
		return "";
	return util_is_uuid(v) ? v : NULL;
}

/*
 * A revocation on EVENT_CONTROL (lib/event.h), published by the API after
 * the change is committed: every socket of the tenant that connected with
 * that credential is disconnected.
 */
static void
fanout_control(const char *payload, size_t payload_len)
{
	struct json_object	*o = NULL;
	struct fanout_tenant	*t;
	struct sock		*k, **hit = NULL;
	const char		*type, *tenant, *key, *session, *user, *except;
	char			 err[96];
	size_t			 n = 0, i;
	int			 nsp;

	if (jsonx_parse(payload, payload_len, 4, &o, err, sizeof err) == -1) {
		fanout_reject(err, EVENT_CONTROL, sizeof EVENT_CONTROL - 1);
		return;
	}
	type = jsonx_get_str(o, "type");
	tenant = jsonx_get_str(o, "tenantId");
	key = fanout_id(o, "apiKeyId");
	session = fanout_id(o, "sessionId");
	user = fanout_id(o, "userId");
	except = fanout_id(o, "exceptSessionId");
	if (type == NULL || strcmp(type, "credential.revoked") != 0 ||
	    tenant == NULL || !util_is_uuid(tenant) || key == NULL ||
	    session == NULL || user == NULL || except == NULL ||
	    (*key == '\0' && *session == '\0' && *user == '\0')) {
		fanout_reject("not a credential.revoked message",
		    EVENT_CONTROL, sizeof EVENT_CONTROL - 1);
		goto out;
	}
	if ((t = strmap_get(&fanout_tenants, tenant)) == NULL)
		goto out;
	/* collected first: a revoked socket leaves the lists walked here */
	hit = xreallocarray(NULL, t->n, sizeof *hit);
	for (nsp = 0; nsp < NSP__COUNT; nsp++) {
		LIST_FOREACH(k, &t->socks[nsp], entry) {
			if ((*key != '\0' && strcmp(k->key_id, key) == 0) ||
			    (*session != '\0' &&
			    strcmp(k->session_id, session) == 0) ||
			    (*user != '\0' && strcmp(k->user_id, user) == 0 &&
			    strcmp(k->session_id, except) != 0))
				hit[n++] = k;
		}
	}
	for (i = 0; i < n; i++)
		sock_revoke(hit[i]);	/* t may be freed with the last one */
out:
	free(hit);
	json_object_put(o);
}

void
fanout_message(const char *channel, size_t channel_len, const char *payload,
    size_t payload_len, void *arg)
{
	const size_t		 plen = sizeof FANOUT_PREFIX - 1;
	const struct event_type	*et;
	struct json_object	*env = NULL, *data = NULL;
	struct fanout_tenant	*t;
	struct eio_frame	*f;
	const char		*type, *tenant_in, *instance, *user = "", *ns;
	char			 tenant[UTIL_UUID_LEN + 1], err[128];
	char			 ckey[SESSION_CKEY_MAX];
	unsigned long long	 offset = 0;
	int			 nsp;

	(void)arg;
	stats.redis_messages++;
	if (channel_len < plen || memcmp(channel, FANOUT_PREFIX, plen) != 0)
		return;
	if (channel_len == sizeof EVENT_CONTROL - 1 &&
	    memcmp(channel, EVENT_CONTROL, channel_len) == 0) {
		fanout_control(payload, payload_len);
		return;
	}
	if (channel_len >= plen + 7 && memcmp(channel + plen, "system:", 7) == 0)
		return;		/* not for tenants */
	if (channel_len < plen + UTIL_UUID_LEN + 2 ||
	    channel[plen + UTIL_UUID_LEN] != ':') {
		fanout_reject("not waqtor:<tenant uuid>:<namespace>", channel,
		    channel_len);
		return;
	}
	memcpy(tenant, channel + plen, UTIL_UUID_LEN);
	tenant[UTIL_UUID_LEN] = '\0';
	ns = channel + plen + UTIL_UUID_LEN + 1;
	if (!util_is_uuid(tenant) || (nsp = nsp_find_ns(ns,
	    channel_len - plen - UTIL_UUID_LEN - 1)) == -1) {
		fanout_reject("unknown tenant or namespace", channel,
		    channel_len);
		return;
	}
	if (jsonx_parse(payload, payload_len, FANOUT_JSON_DEPTH, &env, err,
	    sizeof err) == -1) {
		fanout_reject(err, channel, channel_len);
		return;
	}
	type = jsonx_get_str(env, "type");
	tenant_in = jsonx_get_str(env, "tenantId");
	if ((instance = jsonx_get_str(env, "instanceId")) == NULL)
		instance = "";
	if (type == NULL || (et = event_type_find(type)) == NULL ||
	    et->sio_name == NULL || strcmp(et->ns, nsp_table[nsp].ns) != 0) {
		fanout_reject("unknown event type for this namespace", channel,
		    channel_len);
		goto out;
	}
	if (tenant_in == NULL || strcmp(tenant_in, tenant) != 0) {
		fanout_reject("tenantId does not match the channel", channel,
		    channel_len);
		goto out;
	}
	stats.events_in++;
	data = fanout_data(env);
	if (nsp_table[nsp].user_field != NULL &&
	    ((user = jsonx_get_str(data, nsp_table[nsp].user_field)) == NULL ||
	    !util_is_uuid(user))) {
		fanout_reject("no user for this namespace's event", channel,
		    channel_len);
		goto out;
	}
	if (recovery_enabled())
		offset = recovery_next();
	f = fanout_frame(nsp, et->sio_name, data, offset);
	fanout_ckey(nsp, type, data, ckey, sizeof ckey);
	if ((t = strmap_get(&fanout_tenants, tenant)) != NULL)
		fanout_deliver(t, nsp, instance, user, f, ckey);
	if (offset != 0)
		recovery_keep(offset, nsp, tenant, instance, user, f);
	eio_frame_unref(f);
out:
	json_object_put(data);
	json_object_put(env);
}
