/*
 * The opt-out (suppression) list: numbers every campaign skips. The engine
 * adds a number when it writes a stop keyword (engine/inbound.c) and
 * removes it on a start keyword; admins and integrators manage it here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "contacts.h"
#include "handlers.h"
#include "jsonx.h"
#include "validate.h"

#define OPTOUTS_PAGE_MAX	500

static int
is_digits(const char *s)
{
	size_t	n = strspn(s, "0123456789");

	return n > 0 && n <= PHONE_DIGITS_MAX && s[n] == '\0';
}

static struct json_object *
audit_phone(const char *phone)
{
	struct json_object	*o = json_object_new_object();

	jsonx_add_str(o, "phone", phone);
	return o;
}

void
h_optouts_list(struct req *r)
{
	char		 search[32], cursor[32], limit[8];
	const char	*params[3];
	PGresult	*res;
	long		 n;

	if (query_filter(r, "search", search, sizeof search, is_digits) == 1 ||
	    query_filter(r, "cursor", cursor, sizeof cursor, is_digits) == 1 ||
	    (n = query_long(r, "limit", 50, OPTOUTS_PAGE_MAX)) == -1)
		return;
	params[0] = http_query(r, "search", search, sizeof search) == 0 ?
	    search : NULL;
	params[1] = http_query(r, "cursor", cursor, sizeof cursor) == 0 ?
	    cursor : NULL;
	snprintf(limit, sizeof limit, "%ld", n);
	params[2] = limit;
	if ((res = api_query(r, "WITH page AS (SELECT opt_out_json(o) AS j, "
	    "o.phone, row_number() OVER (ORDER BY o.created_at DESC, o.phone "
	    "DESC) AS ord FROM opt_outs o WHERE ($1::text IS NULL OR "
	    "starts_with(o.phone, $1)) AND ($2::text IS NULL OR (o.created_at, "
	    "o.phone) < (SELECT created_at, phone FROM opt_outs WHERE phone = "
	    "$2)) ORDER BY o.created_at DESC, o.phone DESC LIMIT $3::int) "
	    "SELECT json_build_object('optOuts', COALESCE((SELECT json_agg(j "
	    "ORDER BY ord) FROM page), '[]'), 'nextCursor', (SELECT phone FROM "
	    "page WHERE ord = $3::int))", 3, params)) == NULL)
		return;
	api_respond_row(r, 200, res, "opt-outs");
}

/* 201 with the new entry, or 200 with the one already there. */
void
h_optouts_create(struct req *r)
{
	static const struct vfield fields[] = {
		{ "phone", V_STRING, 1, 1, 40, NULL },
		{ "reason", V_TEXT, 0, 0, 500, NULL },
	};
	struct json_object	*in;
	char			 cc[PHONE_CC_MAX + 1], phone[PHONE_LEN];
	const char		*params[2];
	PGresult		*res;

	if (validate_body(r, fields, 2, &in) == -1)
		return;
	if (contacts_default_cc(r, cc) == -1 || contacts_phone(r, "phone",
	    jsonx_get_str(in, "phone"), cc, phone) == -1)
		goto out;
	params[0] = phone;
	params[1] = jsonx_get_str(in, "reason");
	if ((res = api_query(r, "WITH ins AS (INSERT INTO opt_outs AS o "
	    "(tenant_id, phone, source, reason) VALUES (current_setting("
	    "'waqtor.tenant_id')::uuid, $1, 'api', $2) ON CONFLICT DO NOTHING "
	    "RETURNING opt_out_json(o)) SELECT j, 201 FROM ins AS x(j) UNION ALL "
	    "SELECT opt_out_json(o), 200 FROM opt_outs o WHERE phone = $1 AND "
	    "NOT EXISTS (SELECT 1 FROM ins)", 2, params)) == NULL)
		goto out;
	api_respond_row(r, PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 1)) :
	    200, res, "opt-out");
	api_audit(r, "optout.add", audit_phone(phone));
out:
	json_object_put(in);
}

void
h_optouts_delete(struct req *r)
{
	const char	*raw = route_param(&r->match, "phone");
	char		 cc[PHONE_CC_MAX + 1], phone[PHONE_LEN], given[64];
	const char	*params[1];

	/* the path takes the number as it was stored, or in any form */
	if (contacts_default_cc(r, cc) == -1)
		return;
	if (http_unescape(raw, strlen(raw), given, sizeof given) == -1 ||
	    phone_normalise(given, strlen(given), cc, phone) != PHONE_OK) {
		http_respond_error(r, 404, "not_found", "no such opt-out", NULL);
		return;
	}
	params[0] = phone;
	if (api_delete(r, "opt-out", "DELETE FROM opt_outs WHERE phone = $1 "
	    "RETURNING 1", 1, params) == 1)
		api_audit(r, "optout.remove", audit_phone(phone));
}
