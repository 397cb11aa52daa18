/*
 * Settings: the tenant's branding (the seed's app_logo, app_logo_text,
 * app_show_logo_text), changed by admins, and each user's UI preferences
 * (theme, compact_mode, sidebar_collapsed): what the seed kept in
 * localStorage, now on the server.
 */
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "validate.h"

static const struct vfield branding_fields[] = {
	{ "app_logo", V_LINK, 0, 0, 2048, NULL },
	{ "app_logo_text", V_STRING, 0, 0, 60, NULL },
	{ "app_show_logo_text", V_BOOL, 0, 0, 0, NULL },
};
static const char *const themes[] = { "light", "dark", "system", NULL };
static const struct vfield preference_fields[] = {
	{ "theme", V_ENUM, 0, 0, 0, themes },
	{ "compact_mode", V_BOOL, 0, 0, 0, NULL },
	{ "sidebar_collapsed", V_BOOL, 0, 0, 0, NULL },
};

/* Defaults merged under what is stored, so clients always see every key. */
static struct json_object *
settings_defaults(int branding)
{
	struct json_object	*o = json_object_new_object();

	if (branding) {
		jsonx_add_str(o, "app_logo", "");
		jsonx_add_str(o, "app_logo_text", "WaQtor");
		jsonx_add_bool(o, "app_show_logo_text", 1);
	} else {
		jsonx_add_str(o, "theme", "system");
		jsonx_add_bool(o, "compact_mode", 0);
		jsonx_add_bool(o, "sidebar_collapsed", 0);
	}
	return o;
}

static struct json_object *
settings_merge(int branding, const char *stored)
{
	struct json_object	*o = settings_defaults(branding), *s = NULL;
	char			 err[64];

	if (stored != NULL && jsonx_parse(stored, strlen(stored),
	    JSONX_MAX_DEPTH, &s, err, sizeof err) == 0 &&
	    json_object_is_type(s, json_type_object)) {
		json_object_object_foreach(s, k, v)
			json_object_object_add(o, k, json_object_get(v));
	}
	json_object_put(s);
	return o;
}

void
h_settings_get(struct req *r)
{
	const char		*params[] = { r->auth.user_id };
	struct json_object	*body;
	PGresult		*res;

	if ((res = api_query(r, "SELECT (SELECT settings::text FROM "
	    "tenant_settings), (SELECT settings::text FROM user_settings "
	    "WHERE user_id = NULLIF($1, '')::uuid)", 1, params)) == NULL)
		return;
	body = json_object_new_object();
	json_object_object_add(body, "branding", settings_merge(1,
	    api_value(res, 0, 0)));
	json_object_object_add(body, "preferences", r->auth.user_id[0] ?
	    settings_merge(0, api_value(res, 0, 1)) : NULL);
	PQclear(res);
	http_respond_json(r, 200, body);
}

void
h_settings_update(struct req *r)
{
	static const struct vfield fields[] = {
		{ "branding", V_OBJECT, 0, 0, 0, NULL },
		{ "preferences", V_OBJECT, 0, 0, 0, NULL },
	};
	struct json_object	*in, *branding = NULL, *prefs = NULL, *details;
	const char		*params[2];
	PGresult		*res;

	if (validate_body(r, fields, 2, &in) == -1)
		return;
	details = json_object_new_object();
	if (json_object_object_get_ex(in, "branding", &branding))
		(void)validate_object(branding, branding_fields, 3,
		    "branding.", details);
	if (json_object_object_get_ex(in, "preferences", &prefs))
		(void)validate_object(prefs, preference_fields, 3,
		    "preferences.", details);
	/* validate_body checked both are objects when present */
	if (json_object_object_length(details) > 0) {
		validate_fail(r, details);
		goto out;
	}
	json_object_put(details);
	if (branding != NULL) {
		if (api_require_admin(r) == -1)
			goto out;
		params[0] = jsonx_string(branding);
		if ((res = api_query(r, "INSERT INTO tenant_settings (tenant_id, "
		    "settings) VALUES (current_setting('waqtor.tenant_id')::uuid,"
		    " $1) ON CONFLICT (tenant_id) DO UPDATE SET settings = "
		    "tenant_settings.settings || $1, updated_at = now()", 1,
		    params)) == NULL)
			goto out;
		PQclear(res);
		api_audit(r, "settings.branding", json_object_get(branding));
	}
	if (prefs != NULL) {
		if (api_require_user(r) == -1)
			goto out;
		params[0] = r->auth.user_id;
		params[1] = jsonx_string(prefs);
		if ((res = api_query(r, "INSERT INTO user_settings (user_id, "
		    "tenant_id, settings) VALUES ($1, current_setting("
		    "'waqtor.tenant_id')::uuid, $2) ON CONFLICT (user_id) DO "
		    "UPDATE SET settings = user_settings.settings || $2, "
		    "updated_at = now()", 2, params)) == NULL)
			goto out;
		PQclear(res);
	}
	h_settings_get(r);
out:
	json_object_put(in);
}
