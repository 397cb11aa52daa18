/*
 * Meta's Cloud API webhook for one instance. GET is the verification
 * handshake (hub.verify_token must be the instance's verifyToken). POST must
 * carry X-Hub-Signature-256, the HMAC-SHA256 of the raw body with the app
 * secret, checked before anything is parsed; the body is then stored as an
 * inbound event and the engine woken: the answer is fast and the event
 * survives whatever happens next. Duplicates (Meta delivers at least once)
 * are harmless: the engine deduplicates by message id and status.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api.h"
#include "config.h"
#include "handlers.h"
#include "jsonx.h"
#include "provider_spec.h"
#include "ratelimit.h"
#include "util.h"

/* The instance's tenant, app secret and verify token, or answers 404. */
static PGresult *
webhook_instance(struct req *r, const char **id)
{
	const char			*params[1];
	const struct provider_spec	*p;
	PGresult			*res;

	if ((*id = api_uuid_param(r, "instanceId", "instance")) == NULL)
		return NULL;
	params[0] = *id;
	if ((res = api_query(r, "SELECT tenant_id, provider, app_secret, "
	    "verify_token FROM webhook_instance($1)", 1, params)) == NULL)
		return NULL;
	if (PQntuples(res) != 1 || (p = provider_spec_find(PQgetvalue(res, 0,
	    1))) == NULL || !(p->flags & PROVIDER_META_WEBHOOK)) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such instance", NULL);
		return NULL;
	}
	return res;
}

static int
same_secret(const char *a, const char *b)
{
	size_t	len = strlen(a);

	return len == strlen(b) && len > 0 && sodium_memcmp(a, b, len) == 0;
}

void
h_webhook_verify(struct req *r)
{
	char		 mode[32], token[260], challenge[128];
	const char	*id;
	PGresult	*res;

	if ((res = webhook_instance(r, &id)) == NULL)
		return;
	if (http_query(r, "hub.mode", mode, sizeof mode) != 0 ||
	    http_query(r, "hub.verify_token", token, sizeof token) != 0 ||
	    http_query(r, "hub.challenge", challenge, sizeof challenge) != 0 ||
	    strcmp(mode, "subscribe") != 0 ||
	    PQgetisnull(res, 0, 3) || !same_secret(token, PQgetvalue(res, 0, 3)))
		http_respond_error(r, 403, "forbidden",
		    "verification failed", NULL);
	else
		http_respond_raw(r, 200, "text/plain", challenge,
		    strlen(challenge));
	PQclear(res);
}

/* 1 when header is "sha256=<hex HMAC-SHA256(body, secret)>". */
static int
signature_ok(const char *header, const char *secret, const char *body,
    size_t len)
{
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];
	unsigned char			 given[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state	 st;
	size_t				 n;

	if (header == NULL || strncmp(header, "sha256=", 7) != 0 ||
	    strlen(header + 7) != 2 * sizeof given ||
	    sodium_hex2bin(given, sizeof given, header + 7, strlen(header + 7),
	    NULL, &n, NULL) != 0 || n != sizeof given)
		return 0;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	return sodium_memcmp(mac, given, sizeof mac) == 0;
}

/*
 * The per-instance limit (WAQTOR_WEBHOOK_RATE), far above what Meta sends:
 * a flood of signed bodies cannot fill the database. 1 when answered 429.
 */
static int
webhook_limited(struct req *r, const char *id)
{
	char			 key[96];
	long			 rate = config_int(CFG_WEBHOOK_RATE);
	struct ratelimit_result	 res;

	snprintf(key, sizeof key, "waqtor:rl:hook:%s", id);
	if (ratelimit_take_one(r, key, rate, ratelimit_burst(rate), &res) == -1)
		return 0;	/* Redis down: the signature still guards it */
	if (res.allowed)
		return 0;
	ratelimit_respond(r, (res.wait_ms + 999) / 1000,
	    "too many webhook deliveries for this instance");
	return 1;
}

void
h_webhook_receive(struct req *r)
{
	const char		*id, *params[2];
	struct json_object	*obj = NULL, *body;
	char			 err[96], tenant[UTIL_UUID_LEN + 1];
	PGresult		*res, *ins;

	if ((res = webhook_instance(r, &id)) == NULL)
		return;
	if (PQgetisnull(res, 0, 2) || !signature_ok(
	    http_param(r, "HTTP_X_HUB_SIGNATURE_256"), PQgetvalue(res, 0, 2),
	    r->body != NULL ? r->body : "", r->body_len)) {
		PQclear(res);
		http_respond_error(r, 401, "bad_signature",
		    "X-Hub-Signature-256 is missing or does not match", NULL);
		return;
	}
	snprintf(tenant, sizeof tenant, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (webhook_limited(r, id))
		return;
	if (jsonx_parse(r->body != NULL ? r->body : "", r->body_len,
	    JSONX_MAX_DEPTH, &obj, err, sizeof err) == -1 ||
	    !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		http_respond_error(r, 400, "invalid_json",
		    "the body is not a JSON object", NULL);
		return;
	}
	json_object_put(obj);
	if (api_set_tenant(r, tenant) == -1)
		return;
	params[0] = id;
	params[1] = r->body;
	/* a body replayed (Meta retries, or anyone who saw one) is kept once */
	if ((ins = api_query(r, "INSERT INTO inbound_events (tenant_id, "
	    "instance_id, source, body, body_sha256) VALUES (current_setting("
	    "'waqtor.tenant_id')::uuid, $1, 'cloud', $2, sha256(convert_to($2, "
	    "'UTF8'))) ON CONFLICT (instance_id, body_sha256) DO NOTHING "
	    "RETURNING pg_notify('waqtor_inbound', $1::text)", 2, params)) == NULL)
		return;
	body = json_object_new_object();
	jsonx_add_bool(body, "received", 1);
	jsonx_add_bool(body, "duplicate", PQntuples(ins) == 0);
	PQclear(ins);
	http_respond_json(r, 200, body);
}
