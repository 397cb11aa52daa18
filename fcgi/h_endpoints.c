/*
 * Outbound webhook endpoints (Standard Webhooks, lib/whsig.h): where a
 * tenant's events are delivered, signed. Admins only. The URL is parsed by
 * libcurl's URL API: https (http when WAQTOR_WEBHOOK_ALLOW_HTTP), no
 * credentials in it, and a literal address must be a public one
 * (lib/netguard.h; the engine checks the address it connects to as well).
 * The secret is made here and shown once, at creation and at rotation;
 * after a rotation the previous one signs too for 24 hours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "api.h"
#include "config.h"
#include "event.h"
#include "handlers.h"
#include "jsonx.h"
#include "netguard.h"
#include "validate.h"
#include "whsig.h"

#define ENDPOINTS_MAX_STR	"20"	/* per tenant */
#define ENDPOINT_EVENTS_MAX	50
#define ENDPOINT_HEADERS_MAX	10

static const struct vfield endpoint_fields[] = {
	{ "url", V_STRING, 1, 8, 2048, NULL },
	{ "description", V_STRING, 0, 0, 500, NULL },
	{ "events", V_STRINGS, 0, 0, ENDPOINT_EVENTS_MAX, NULL },
	{ "enabled", V_BOOL, 0, 0, 0, NULL },
	{ "headers", V_OBJECT, 0, 0, 0, NULL },
};
#define NFIELDS	(sizeof endpoint_fields / sizeof endpoint_fields[0])

/* Headers a delivery sets itself, or that name the connection. */
static const char *const reserved_headers[] = { "host", "content-type",
    "content-length", "content-encoding", "transfer-encoding", "connection",
    "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature",
    "x-waqtor-event", "expect", "te", "upgrade", "proxy-authorization",
    NULL };

/* Why url may not be an endpoint, or NULL. */
static const char *
endpoint_url_problem(const char *url)
{
	CURLU		*u = curl_url();
	char		*scheme = NULL, *host = NULL, *user = NULL, *pw = NULL;
	char		 addr[64];
	const char	*why = NULL;
	size_t		 n;

	if (u == NULL)
		return "cannot be parsed";
	if (strpbrk(url, " \t\r\n") != NULL ||
	    curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK || curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) !=
	    CURLUE_OK || curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		why = "must be an absolute URL, e.g. https://example.com/hooks";
		goto out;
	}
	if (strcasecmp(scheme, "https") != 0 && (strcasecmp(scheme, "http") !=
	    0 || !config_int(CFG_WEBHOOK_ALLOW_HTTP))) {
		why = config_int(CFG_WEBHOOK_ALLOW_HTTP) ? "must be http(s)" :
		    "must be https";
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pw, 0) == CURLUE_OK) {
		why = "must not hold credentials (use a custom header)";
		goto out;
	}
	/* a literal address: [v6] or v4 */
	n = strlen(host);
	snprintf(addr, sizeof addr, "%.*s", host[0] == '[' && n > 2 ?
	    (int)n - 2 : (int)n, host[0] == '[' ? host + 1 : host);
	if (netguard_allowed(addr, config_str(CFG_WEBHOOK_ALLOW_CIDRS)) == 0 ||
	    (strcasecmp(host, "localhost") == 0 && netguard_allowed(
	    "127.0.0.1", config_str(CFG_WEBHOOK_ALLOW_CIDRS)) == 0))
		why = "must not be a loopback, private, link-local or other "
		    "non-public address";
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(pw);
	curl_url_cleanup(u);
	return why;
}

/* The checks no field table holds; 0, or -1 with details filled. */
static int
endpoint_check(struct json_object *in, struct json_object *details)
{
	struct json_object	*v;
	const char		*why, *s;
	size_t			 i;

	if ((s = jsonx_get_str(in, "url")) != NULL &&
	    (why = endpoint_url_problem(s)) != NULL)
		jsonx_add_str(details, "url", why);
	if ((v = json_object_object_get(in, "events")) != NULL) {
		for (i = 0; i < json_object_array_length(v); i++) {
			s = json_object_get_string(json_object_array_get_idx(v,
			    i));
			if (!event_pattern_valid(s)) {
				jsonx_add_str(details, "events", "are event types "
				    "(message.sent), prefixes (message.*) or *");
				break;
			}
		}
	}
	if ((v = json_object_object_get(in, "headers")) != NULL) {
		if (json_object_object_length(v) > ENDPOINT_HEADERS_MAX)
			jsonx_add_str(details, "headers", "at most 10");
		json_object_object_foreach(v, name, val) {
			if (strlen(name) == 0 || strlen(name) > 64 ||
			    strspn(name, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
			    strlen(name)) {
				jsonx_add_str(details, "headers", "names are "
				    "letters, digits, - and _");
				break;
			}
			for (i = 0; reserved_headers[i] != NULL; i++)
				if (strcasecmp(name, reserved_headers[i]) == 0)
					break;
			if (reserved_headers[i] != NULL) {
				jsonx_add_str(details, "headers", "a delivery sets "
				    "this header itself");
				break;
			}
			if (!json_object_is_type(val, json_type_string) ||
			    json_object_get_string_len(val) > 1000 ||
			    !validate_controls(json_object_get_string(val), 0)) {
				jsonx_add_str(details, "headers", "values are "
				    "strings of at most 1000 characters, one line");
				break;
			}
		}
	}
	return json_object_object_length(details) > 0 ? -1 : 0;
}

/* {"webhookId": id}, for the audit log. */
static struct json_object *
endpoint_ref(const char *id)
{
	struct json_object	*o = json_object_new_object();

	jsonx_add_str(o, "webhookId", id);
	return o;
}

/* The body, checked: a new object, or NULL answered. */
static struct json_object *
endpoint_body(struct req *r, int partial)
{
	struct vfield		 fields[NFIELDS];
	struct json_object	*in, *details;
	size_t			 i;

	memcpy(fields, endpoint_fields, sizeof fields);
	for (i = 0; partial && i < NFIELDS; i++)
		fields[i].required = 0;
	if (validate_body(r, fields, NFIELDS, &in) == -1)
		return NULL;
	details = json_object_new_object();
	if (endpoint_check(in, details) == -1) {
		validate_fail(r, details);
		json_object_put(in);
		return NULL;
	}
	json_object_put(details);
	return in;
}

void
h_endpoints_list(struct req *r)
{
	PGresult	*res;

	if ((res = api_query(r, "SELECT json_build_object('webhooks', "
	    "COALESCE(json_agg(webhook_endpoint_json(w) ORDER BY w.created_at, "
	    "w.id), '[]'))::text FROM webhook_endpoints w", 0, NULL)) != NULL)
		api_respond_row(r, 200, res, "webhooks");
}

void
h_endpoints_get(struct req *r)
{
	api_get_row(r, "webhook", "SELECT webhook_endpoint_json(w) FROM "
	    "webhook_endpoints w WHERE id = $1");
}

void
h_endpoints_create(struct req *r)
{
	struct json_object	*in, *v;
	const char		*params[6];
	char			 secret[WHSIG_SECRET_LEN + 1];
	PGresult		*res;

	if ((in = endpoint_body(r, 0)) == NULL)
		return;
	whsig_secret_new(secret);
	params[0] = jsonx_get_str(in, "url");
	params[1] = jsonx_get_str(in, "description");
	params[2] = (v = json_object_object_get(in, "events")) != NULL ?
	    jsonx_string(v) : "[]";
	params[3] = (v = json_object_object_get(in, "enabled")) != NULL ?
	    (json_object_get_boolean(v) ? "t" : "f") : "t";
	params[4] = (v = json_object_object_get(in, "headers")) != NULL ?
	    jsonx_string(v) : "{}";
	params[5] = secret;
	/* (the count, and the row, in one statement) */
	if ((res = api_query(r, "INSERT INTO webhook_endpoints AS w (tenant_id, "
	    "url, description, events, enabled, headers, secret) SELECT "
	    "current_setting('waqtor.tenant_id')::uuid, $1, COALESCE($2, ''), "
	    "ARRAY(SELECT DISTINCT jsonb_array_elements_text($3::jsonb)), "
	    "$4::boolean, $5::jsonb, $6 FROM webhook_endpoints HAVING count(*) "
	    "< " ENDPOINTS_MAX_STR " RETURNING webhook_endpoint_json(w)::jsonb || "
	    "jsonb_build_object('secret', w.secret)", 6,
	    params)) == NULL)
		goto out;
	if (PQntuples(res) == 0) {
		PQclear(res);
		http_respond_error(r, 422, "too_many_webhooks", "a tenant has at "
		    "most " ENDPOINTS_MAX_STR " webhook endpoints", NULL);
		goto out;
	}
	api_audit(r, "webhook.created", NULL);
	api_respond_row(r, 201, res, "webhook");	/* the secret, this once */
out:
	json_object_put(in);
}

void
h_endpoints_update(struct req *r)
{
	struct json_object	*in, *v;
	const char		*params[6];
	PGresult		*res;

	if ((params[0] = api_uuid_param(r, "id", "webhook")) == NULL ||
	    (in = endpoint_body(r, 1)) == NULL)
		return;
	params[1] = jsonx_get_str(in, "url");
	params[2] = jsonx_get_str(in, "description");
	params[3] = (v = json_object_object_get(in, "events")) != NULL ?
	    jsonx_string(v) : NULL;
	params[4] = (v = json_object_object_get(in, "enabled")) != NULL ?
	    (json_object_get_boolean(v) ? "t" : "f") : NULL;
	params[5] = (v = json_object_object_get(in, "headers")) != NULL ?
	    jsonx_string(v) : NULL;
	/* enabling it again clears why it was disabled */
	if ((res = api_query(r, "UPDATE webhook_endpoints w SET url = "
	    "COALESCE($2, url), description = COALESCE($3, description), "
	    "events = COALESCE(ARRAY(SELECT DISTINCT jsonb_array_elements_text("
	    "$4::jsonb)), events), enabled = COALESCE($5::boolean, enabled), "
	    "disabled_reason = CASE WHEN $5::boolean THEN NULL ELSE "
	    "disabled_reason END, failing_since = CASE WHEN $5::boolean THEN "
	    "NULL ELSE failing_since END, headers = COALESCE($6::jsonb, headers), "
	    "updated_at = now() WHERE id = $1 RETURNING "
	    "webhook_endpoint_json(w)", 6, params)) != NULL) {
		if (PQntuples(res) == 1)
			api_audit(r, "webhook.updated", endpoint_ref(params[0]));
		api_respond_row(r, 200, res, "webhook");
	}
	json_object_put(in);
}

void
h_endpoints_delete(struct req *r)
{
	const char	*params[1];

	if ((params[0] = api_uuid_param(r, "id", "webhook")) != NULL &&
	    api_delete(r, "webhook", "DELETE FROM webhook_endpoints WHERE id = "
	    "$1 RETURNING 1", 1, params) == 1)
		api_audit(r, "webhook.deleted", endpoint_ref(params[0]));
}

/* A new secret; the previous one still signs for 24 hours. */
void
h_endpoints_rotate(struct req *r)
{
	const char	*params[2];
	char		 secret[WHSIG_SECRET_LEN + 1];
	PGresult	*res;

	if ((params[0] = api_uuid_param(r, "id", "webhook")) == NULL)
		return;
	whsig_secret_new(secret);
	params[1] = secret;
	if ((res = api_query(r, "UPDATE webhook_endpoints w SET "
	    "previous_secret = secret, previous_until = now() + interval "
	    "'24 hours', secret = $2, updated_at = now() WHERE id = $1 "
	    "RETURNING webhook_endpoint_json(w)::jsonb || jsonb_build_object("
	    "'secret', w.secret)", 2, params)) == NULL)
		return;
	if (PQntuples(res) == 1)
		api_audit(r, "webhook.secret_rotated", endpoint_ref(params[0]));
	api_respond_row(r, 200, res, "webhook");	/* the new secret, this once */
}
