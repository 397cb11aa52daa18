/*
 * Subscription: a tenant's plan, and the redemption of operator-made access
 * codes (waqtorctl accesscode create). Failed redemptions are counted per
 * tenant and lock it out for a while, so codes cannot be guessed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "ratelimit.h"
#include "token.h"
#include "validate.h"

#define REDEEM_MAX_FAILURES	5
#define REDEEM_WINDOW_SECS	900

static void
respond_subscription(struct req *r, int status)
{
	struct json_object	*body;
	PGresult		*res;

	if ((res = api_query(r, "SELECT plan, CASE WHEN plan = 'free' THEN "
	    "'free' WHEN plan_active(plan, plan_expires_at) THEN 'active' "
	    "ELSE 'expired' END, plan_expires_at FROM tenants", 0, NULL)) == NULL)
		return;
	body = json_object_new_object();
	jsonx_add_str(body, "plan", PQgetvalue(res, 0, 0));
	jsonx_add_str(body, "status", PQgetvalue(res, 0, 1));
	api_add_time(body, "expiresAt", api_value(res, 0, 2));
	PQclear(res);
	http_respond_json(r, status, body);
}

void
h_subscription_get(struct req *r)
{
	respond_subscription(r, 200);
}

void
h_subscription_redeem(struct req *r)
{
	static const struct vfield fields[] = {
		{ "code", V_STRING, 1, 1, 64, NULL },
	};
	struct json_object	*in, *details;
	char			 code[65], hash[2 * TOKEN_HASH_LEN + 3];
	const char		*params[3];
	PGresult		*res, *upd;
	long			 wait;
	size_t			 i, o = 0;

	if (validate_body(r, fields, 1, &in) == -1)
		return;
	/* counted before it is checked: parallel guesses cannot slip past */
	if ((wait = ratelimit_try(r, "redeem", r->auth.tenant_id,
	    REDEEM_MAX_FAILURES, REDEEM_WINDOW_SECS)) > 0) {
		ratelimit_respond(r, wait,
		    "too many wrong codes: wait before trying again");
		goto out;
	}
	/* codes are shown grouped (ABCD-EFGH-...): compare without dashes */
	for (i = 0; jsonx_get_str(in, "code")[i] != '\0' && o < 64; i++) {
		char c = jsonx_get_str(in, "code")[i];

		if (c == '-' || c == ' ')
			continue;
		code[o++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
	}
	code[o] = '\0';
	token_hash_bytea(code, hash, sizeof hash);
	params[0] = hash;
	if ((res = api_query(r, "SELECT plan, days FROM redeem_access_code($1)",
	    1, params)) == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		PQclear(res);
		api_audit(r, "subscription.redeem_failed", NULL);
		r->keep_on_error = 1;
		http_respond_error(r, 404, "invalid_code",
		    "no such access code, or it is used up or expired", NULL);
		goto out;
	}
	/* a code for the current plan extends it; another plan starts now */
	params[0] = PQgetvalue(res, 0, 0);
	params[1] = PQgetvalue(res, 0, 1);
	if ((upd = api_query(r, "UPDATE tenants SET plan_expires_at = CASE "
	    "WHEN plan = $1 AND plan_expires_at > now() THEN plan_expires_at "
	    "ELSE now() END + make_interval(days => $2::int), plan = $1",
	    2, params)) == NULL) {
		PQclear(res);
		goto out;
	}
	PQclear(upd);
	details = json_object_new_object();
	jsonx_add_str(details, "plan", params[0]);
	jsonx_add_int(details, "days", atol(params[1]));
	PQclear(res);
	ratelimit_forget(r, "redeem", r->auth.tenant_id);
	api_audit(r, "subscription.redeemed", details);
	respond_subscription(r, 200);
out:
	json_object_put(in);
}
