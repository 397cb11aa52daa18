/*
 * Contacts and contact lists: who a tenant writes to (phone, name,
 * attributes that templates use as variables, tags), grouped into lists
 * that campaigns send to. JSON is built by PostgreSQL (contact_json,
 * contact_list_json in sql/008_contacts.sql), so every endpoint shows the
 * same shape. Imports and exports are in h_import.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "contacts.h"
#include "handlers.h"
#include "jsonx.h"
#include "template.h"
#include "util.h"
#include "validate.h"

#define CONTACTS_PAGE_MAX	500
#define MEMBERS_ADD_MAX		1000

int
contacts_default_cc(struct req *r, char cc[PHONE_CC_MAX + 1])
{
	PGresult	*res;
	const char	*v;

	if ((res = api_query(r, "SELECT messaging->>'default_country_code' "
	    "FROM tenant_settings", 0, NULL)) == NULL)
		return -1;
	v = PQntuples(res) == 1 ? api_value(res, 0, 0) : NULL;
	snprintf(cc, PHONE_CC_MAX + 1, "%s", v != NULL && phone_cc_valid(v) ?
	    v : "");
	PQclear(res);
	return 0;
}

int
contacts_phone(struct req *r, const char *field, const char *in,
    const char *cc, char out[PHONE_LEN])
{
	struct json_object	*details;
	enum phone_error	 e;
	char			 why[128];

	if ((e = phone_normalise(in, strlen(in), cc, out)) == PHONE_OK)
		return 0;
	snprintf(why, sizeof why, "%s%s", phone_strerror(e),
	    e == PHONE_NO_COUNTRY ? " (give it with its country code, or set "
	    "messaging.default_country_code in the settings)" : "");
	details = json_object_new_object();
	jsonx_add_str(details, field, why);
	validate_fail(r, details);
	return -1;
}

int
contacts_attr_name_ok(const char *name, size_t len)
{
	size_t	i;

	if (len == 0 || len > TEMPLATE_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-", name[i]) == NULL || name[i] == '\0')
			return 0;
	}
	return 1;
}

const char *
contacts_attrs_invalid(struct json_object *attrs, int nulls)
{
	if (!json_object_is_type(attrs, json_type_object))
		return "must be an object";
	if (json_object_object_length(attrs) > CONTACT_ATTRS_MAX)
		return "must have at most 50 keys";
	json_object_object_foreach(attrs, k, v) {
		if (!contacts_attr_name_ok(k, strlen(k)))
			return "keys must be 1 to 64 letters, digits or _.-";
		switch (json_object_get_type(v)) {
		case json_type_null:
			if (!nulls)
				return "values must be strings, numbers or "
				    "booleans";
			break;
		case json_type_string:
			if (validate_chars(json_object_get_string(v)) >
			    CONTACT_ATTR_VALUE_MAX)
				return "string values must have at most 1000 "
				    "characters";
			break;
		case json_type_int:
		case json_type_double:
		case json_type_boolean:
			break;
		default:
			return "values must be strings, numbers or booleans";
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ contacts -- */

/* UTF-8 text of at most max characters */
static int
is_text(const char *s, long max)
{
	return jsonx_utf8_valid(s, strlen(s)) && validate_chars(s) <= max &&
	    validate_controls(s, 0);
}

static int
is_tag(const char *s)
{
	return *s != '\0' && is_text(s, 200);
}

/*
 * A page of contacts: the search (name contains, or phone starts with),
 * tag and list filters, newest first. Shared by GET /contacts and GET
 * /contact-lists/{id}/members (list_id set).
 */
static void
contacts_page(struct req *r, const char *list_id)
{
	char		 search[512], tag[1024], list[40], cursor[40], limit[8];
	char		 digits[32];
	const char	*params[6];
	PGresult	*res;
	long		 n;

	if (query_filter(r, "search", search, sizeof search, api_is_search) == 1 ||
	    query_filter(r, "tag", tag, sizeof tag, is_tag) == 1 ||
	    (list_id == NULL && query_filter(r, "listId", list, sizeof list,
	    util_is_uuid) == 1) ||
	    query_filter(r, "cursor", cursor, sizeof cursor, util_is_uuid) == 1 ||
	    (n = query_long(r, "limit", 50, CONTACTS_PAGE_MAX)) == -1)
		return;
	params[0] = http_query(r, "search", search, sizeof search) == 0 &&
	    *search != '\0' ? search : NULL;
	api_search_digits(params[0] != NULL ? search : "", digits, sizeof digits);
	params[1] = *digits != '\0' ? digits : NULL;
	params[2] = http_query(r, "tag", tag, sizeof tag) == 0 ? tag : NULL;
	params[3] = list_id != NULL ? list_id : http_query(r, "listId", list,
	    sizeof list) == 0 ? list : NULL;
	params[4] = http_query(r, "cursor", cursor, sizeof cursor) == 0 ?
	    cursor : NULL;
	snprintf(limit, sizeof limit, "%ld", n);
	params[5] = limit;
	if ((res = api_query(r, "WITH page AS (SELECT contact_json(c) AS j, "
	    "c.id, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) "
	    "AS ord FROM contacts c WHERE "
	    "($1::text IS NULL OR strpos(lower(c.name), lower($1)) > 0 OR "
	    "($2::text IS NOT NULL AND starts_with(c.phone, $2))) AND "
	    "($3::text IS NULL OR c.tags @> ARRAY[$3]) AND "
	    "($4::uuid IS NULL OR EXISTS (SELECT 1 FROM contact_list_members m "
	    "WHERE m.list_id = $4 AND m.contact_id = c.id)) AND "
	    "($5::uuid IS NULL OR (c.created_at, c.id) < (SELECT created_at, id "
	    "FROM contacts WHERE id = $5)) "
	    "ORDER BY c.created_at DESC, c.id DESC LIMIT $6::int) "
	    "SELECT json_build_object('contacts', COALESCE((SELECT json_agg(j "
	    "ORDER BY ord) FROM page), '[]'), 'nextCursor', (SELECT id FROM "
	    "page WHERE ord = $6::int))", 6, params)) == NULL)
		return;
	api_respond_row(r, 200, res, "contacts");
}

void
h_contacts_list(struct req *r)
{
	contacts_page(r, NULL);
}

static const struct vfield contact_fields[] = {
	{ "phone", V_STRING, 1, 1, 40, NULL },
	{ "name", V_STRING, 0, 0, 200, NULL },
	{ "attributes", V_OBJECT, 0, 0, 0, NULL },
	{ "tags", V_STRINGS, 0, 0, 20, NULL },
};

/* Checks a contact's body beyond validate_body: the phone (normalised into
 * phone, unless absent) and the attributes. -1 answered. */
static int
contact_check(struct req *r, struct json_object *in, int patch,
    char phone[PHONE_LEN])
{
	struct json_object	*attrs, *details;
	char			 cc[PHONE_CC_MAX + 1];
	const char		*why;

	phone[0] = '\0';
	if (json_object_object_get_ex(in, "attributes", &attrs) &&
	    (why = contacts_attrs_invalid(attrs, patch)) != NULL) {
		details = json_object_new_object();
		jsonx_add_str(details, "attributes", why);
		validate_fail(r, details);
		return -1;
	}
	if (jsonx_get_str(in, "phone") == NULL)
		return 0;
	if (contacts_default_cc(r, cc) == -1 ||
	    contacts_phone(r, "phone", jsonx_get_str(in, "phone"), cc,
	    phone) == -1)
		return -1;
	return 0;
}

void
h_contacts_create(struct req *r)
{
	struct json_object	*in, *v;
	char			 phone[PHONE_LEN];
	const char		*params[4];
	PGresult		*res;

	if (validate_body(r, contact_fields, 4, &in) == -1)
		return;
	if (contact_check(r, in, 0, phone) == -1)
		goto out;
	params[0] = phone;
	params[1] = jsonx_get_str(in, "name");
	params[2] = json_object_object_get_ex(in, "attributes", &v) ?
	    jsonx_string(v) : "{}";
	params[3] = json_object_object_get_ex(in, "tags", &v) ?
	    jsonx_string(v) : "[]";
	if ((res = api_query_conflict(r, "a contact with this phone exists",
	    "INSERT INTO contacts AS c (tenant_id, phone, name, attributes, tags) "
	    "VALUES (current_setting('waqtor.tenant_id')::uuid, $1, "
	    "NULLIF($2, ''), $3::jsonb, ARRAY(SELECT DISTINCT "
	    "jsonb_array_elements_text($4::jsonb))) RETURNING contact_json(c)",
	    4, params)) == NULL)
		goto out;
	api_respond_row(r, 201, res, "contact");
out:
	json_object_put(in);
}

void
h_contacts_get(struct req *r)
{
	api_get_row(r, "contact", "SELECT contact_json(c) FROM contacts c "
	    "WHERE id = $1");
}

/* PATCH: each field given replaces the stored one, except attributes,
 * merged as a JSON merge patch (RFC 7396: a null removes the key). */
void
h_contacts_update(struct req *r)
{
	struct json_object	*in, *v;
	char			 phone[PHONE_LEN];
	const char		*params[6];
	PGresult		*res;

	if ((params[0] = api_uuid_param(r, "id", "contact")) == NULL)
		return;
	{
		struct vfield	fields[4];

		memcpy(fields, contact_fields, sizeof fields);
		fields[0].required = 0;
		if (validate_body(r, fields, 4, &in) == -1)
			return;
	}
	if (contact_check(r, in, 1, phone) == -1)
		goto out;
	params[1] = phone[0] != '\0' ? phone : NULL;
	params[2] = json_object_object_get_ex(in, "name", &v) ?
	    json_object_get_string(v) : NULL;
	params[3] = json_object_object_get_ex(in, "attributes", &v) ?
	    jsonx_string(v) : NULL;
	params[4] = json_object_object_get_ex(in, "tags", &v) ?
	    jsonx_string(v) : NULL;
	params[5] = json_object_object_get_ex(in, "name", &v) ? "1" : "0";
	if ((res = api_query_conflict(r, "a contact with this phone exists",
	    "UPDATE contacts c SET phone = COALESCE($2, phone), "
	    "name = CASE WHEN $6 = '1' THEN NULLIF($3, '') ELSE name END, "
	    "attributes = CASE WHEN $4::jsonb IS NULL THEN attributes ELSE "
	    "jsonb_strip_nulls(attributes || $4::jsonb) END, "
	    "tags = CASE WHEN $5::jsonb IS NULL THEN tags ELSE ARRAY(SELECT "
	    "DISTINCT jsonb_array_elements_text($5::jsonb)) END, "
	    "updated_at = now() WHERE id = $1 RETURNING contact_json(c)", 6,
	    params)) == NULL)
		goto out;
	api_respond_row(r, 200, res, "contact");
out:
	json_object_put(in);
}

void
h_contacts_delete(struct req *r)
{
	const char	*params[1];

	if ((params[0] = api_uuid_param(r, "id", "contact")) != NULL)
		(void)api_delete(r, "contact", "DELETE FROM contacts WHERE id = "
		    "$1 RETURNING 1", 1, params);
}

/* -------------------------------------------------------- contact lists -- */

void
h_lists_list(struct req *r)
{
	char		 cursor[40], limit[8];
	const char	*params[2];
	PGresult	*res;
	long		 n;

	if (query_filter(r, "cursor", cursor, sizeof cursor, util_is_uuid) == 1 ||
	    (n = query_long(r, "limit", 50, CONTACTS_PAGE_MAX)) == -1)
		return;
	params[0] = http_query(r, "cursor", cursor, sizeof cursor) == 0 ?
	    cursor : NULL;
	snprintf(limit, sizeof limit, "%ld", n);
	params[1] = limit;
	if ((res = api_query(r, "WITH page AS (SELECT contact_list_json(l) "
	    "AS j, l.id, row_number() OVER (ORDER BY l.created_at DESC, l.id "
	    "DESC) AS ord FROM contact_lists l WHERE $1::uuid IS NULL OR "
	    "(l.created_at, l.id) < (SELECT created_at, id FROM contact_lists "
	    "WHERE id = $1) ORDER BY l.created_at DESC, l.id DESC LIMIT "
	    "$2::int) SELECT json_build_object('lists', COALESCE((SELECT "
	    "json_agg(j ORDER BY ord) FROM page), '[]'), 'nextCursor', (SELECT "
	    "id FROM page WHERE ord = $2::int))", 2, params)) == NULL)
		return;
	api_respond_row(r, 200, res, "lists");
}

static const struct vfield list_fields[] = {
	{ "name", V_STRING, 1, 1, 100, NULL },
	{ "description", V_TEXT, 0, 0, 500, NULL },
};

void
h_lists_create(struct req *r)
{
	struct json_object	*in;
	const char		*params[2];
	PGresult		*res;

	if (validate_body(r, list_fields, 2, &in) == -1)
		return;
	params[0] = jsonx_get_str(in, "name");
	params[1] = jsonx_get_str(in, "description");
	if ((res = api_query_conflict(r, "a list with this name exists",
	    "INSERT INTO contact_lists AS l (tenant_id, name, description) VALUES "
	    "(current_setting('waqtor.tenant_id')::uuid, $1, COALESCE($2, '')) "
	    "RETURNING contact_list_json(l)", 2, params)) != NULL)
		api_respond_row(r, 201, res, "list");
	json_object_put(in);
}

void
h_lists_get(struct req *r)
{
	api_get_row(r, "list", "SELECT contact_list_json(l) FROM "
	    "contact_lists l WHERE id = $1");
}

void
h_lists_update(struct req *r)
{
	struct vfield		 fields[2];
	struct json_object	*in;
	const char		*params[3];
	PGresult		*res;

	if ((params[0] = api_uuid_param(r, "id", "list")) == NULL)
		return;
	memcpy(fields, list_fields, sizeof fields);
	fields[0].required = 0;
	if (validate_body(r, fields, 2, &in) == -1)
		return;
	params[1] = jsonx_get_str(in, "name");
	params[2] = jsonx_get_str(in, "description");
	if ((res = api_query_conflict(r, "a list with this name exists",
	    "UPDATE contact_lists l SET name = COALESCE($2, name), description "
	    "= COALESCE($3, description), updated_at = now() WHERE id = $1 "
	    "RETURNING contact_list_json(l)", 3, params)) != NULL)
		api_respond_row(r, 200, res, "list");
	json_object_put(in);
}

/* Deletes the list and its memberships; the contacts stay. */
void
h_lists_delete(struct req *r)
{
	const char	*params[1];

	if ((params[0] = api_uuid_param(r, "id", "list")) != NULL)
		(void)api_delete(r, "list", "DELETE FROM contact_lists WHERE id "
		    "= $1 RETURNING 1", 1, params);
}

int
contacts_list_exists(struct req *r, const char **id)
{
	return api_path_row(r, "list", "SELECT 1 FROM contact_lists WHERE id "
	    "= $1", id);
}

void
h_list_members(struct req *r)
{
	const char	*id;

	if (contacts_list_exists(r, &id) == 0)
		contacts_page(r, id);
}

/* Adds contacts, by id, to the list; those already in it stay as they
 * are. An id that is not one of the tenant's contacts is 422. */
void
h_list_members_add(struct req *r)
{
	static const struct vfield fields[] = {
		{ "contactIds", V_UUIDS, 1, 0, MEMBERS_ADD_MAX, NULL },
	};
	struct json_object	*in, *details;
	const char		*params[2];
	PGresult		*res;

	if (contacts_list_exists(r, &params[0]) == -1 ||
	    validate_body(r, fields, 1, &in) == -1)
		return;
	params[1] = jsonx_string(json_object_object_get(in, "contactIds"));
	if ((res = api_query(r, "WITH want AS (SELECT DISTINCT x::uuid AS id "
	    "FROM jsonb_array_elements_text($2::jsonb) x), found AS (SELECT c.id "
	    "FROM contacts c JOIN want USING (id)), ins AS (INSERT INTO "
	    "contact_list_members (tenant_id, list_id, contact_id) SELECT "
	    "current_setting('waqtor.tenant_id')::uuid, $1, id FROM found "
	    "ON CONFLICT DO NOTHING RETURNING 1) SELECT (SELECT count(*) FROM "
	    "want) - (SELECT count(*) FROM found), (SELECT count(*) FROM ins), "
	    "(SELECT min(id::text) FROM want WHERE id NOT IN (SELECT id FROM "
	    "found))", 2, params)) == NULL)
		goto out;
	if (atol(PQgetvalue(res, 0, 0)) > 0) {
		details = json_object_new_object();
		jsonx_add_str(details, "contactIds", "holds an id that is not "
		    "one of your contacts");
		jsonx_add_str(details, "contactId", PQgetvalue(res, 0, 2));
		http_respond_error(r, 404, "not_found", "no such contact",
		    details);
	} else {
		struct json_object *body = json_object_new_object();

		jsonx_add_int(body, "added", atol(PQgetvalue(res, 0, 1)));
		http_respond_json(r, 200, body);
	}
	PQclear(res);
out:
	json_object_put(in);
}

void
h_list_member_delete(struct req *r)
{
	const char	*params[2];

	if (contacts_list_exists(r, &params[0]) == 0 &&
	    (params[1] = api_uuid_param(r, "contactId", "member")) != NULL)
		(void)api_delete(r, "member", "DELETE FROM contact_list_members "
		    "WHERE list_id = $1 AND contact_id = $2 RETURNING 1", 2,
		    params);
}
