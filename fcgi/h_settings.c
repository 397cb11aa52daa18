/*
 * Settings: the tenant's branding (the seed's app_logo, app_logo_text,
 * app_show_logo_text) and messaging (default country code, opt-out
 * keywords and replies), changed by admins, and each user's UI preferences
 * (theme, compact_mode, sidebar_collapsed): what the seed kept in
 * localStorage, now on the server.
 */
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "phone.h"
#include "settings.h"
#include "validate.h"

static const struct vfield branding_fields[] = {
	{ "app_logo", V_LINK, 0, 0, 2048, NULL },
	{ "app_logo_text", V_STRING, 0, 0, 60, NULL },
	{ "app_show_logo_text", V_BOOL, 0, 0, 0, NULL },
};
static const struct vfield messaging_fields[] = {
	{ "default_country_code", V_STRING, 0, 0, PHONE_CC_MAX, NULL },
	{ "stop_keywords", V_STRINGS, 0, 0, 20, NULL },
	{ "start_keywords", V_STRINGS, 0, 0, 20, NULL },
	{ "stop_reply", V_TEXT, 0, 0, 1000, NULL },
	{ "start_reply", V_TEXT, 0, 0, 1000, NULL },
};
static const char *const themes[] = { "light", "dark", "system", NULL };
static const struct vfield preference_fields[] = {
	{ "theme", V_ENUM, 0, 0, 0, themes },
	{ "compact_mode", V_BOOL, 0, 0, 0, NULL },
	{ "sidebar_collapsed", V_BOOL, 0, 0, 0, NULL },
};

/*
 * The groups of settings: the tenant's (changed by admins) are columns of
 * tenant_settings, a user's preferences are user_settings.settings. The
 * defaults are merged under what is stored, so clients always see every
 * key. The defaults of messaging are also the engine's (engine/optout.c).
 */
static const struct settings_group {
	const char		*name;
	const struct vfield	*fields;
	size_t			 nfields;
	const char		*defaults;	/* JSON */
} groups[] = {
	{ "branding", branding_fields, 3, "{\"app_logo\":\"\","
	    "\"app_logo_text\":\"WaQtor\",\"app_show_logo_text\":true}" },
	{ "messaging", messaging_fields, 5, SETTINGS_MESSAGING_DEFAULTS },
	{ "preferences", preference_fields, 3, "{\"theme\":\"system\","
	    "\"compact_mode\":false,\"sidebar_collapsed\":false}" },
};

static struct json_object *
settings_merge(const struct settings_group *g, const char *stored)
{
	struct json_object	*o = NULL, *s = NULL;
	char			 err[64];

	if (jsonx_parse(g->defaults, strlen(g->defaults), JSONX_MAX_DEPTH, &o,
	    err, sizeof err) == -1)
		o = json_object_new_object();
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
	    "tenant_settings), (SELECT messaging::text FROM tenant_settings), "
	    "(SELECT settings::text FROM user_settings WHERE user_id = "
	    "NULLIF($1, '')::uuid)", 1, params)) == NULL)
		return;
	body = json_object_new_object();
	json_object_object_add(body, "branding", settings_merge(&groups[0],
	    api_value(res, 0, 0)));
	json_object_object_add(body, "messaging", settings_merge(&groups[1],
	    api_value(res, 0, 1)));
	json_object_object_add(body, "preferences", r->auth.user_id[0] ?
	    settings_merge(&groups[2], api_value(res, 0, 2)) : NULL);
	PQclear(res);
	http_respond_json(r, 200, body);
}

void
h_settings_update(struct req *r)
{
	static const struct vfield fields[] = {
		{ "branding", V_OBJECT, 0, 0, 0, NULL },
		{ "messaging", V_OBJECT, 0, 0, 0, NULL },
		{ "preferences", V_OBJECT, 0, 0, 0, NULL },
	};
	struct json_object	*in, *branding = NULL, *messaging = NULL;
	struct json_object	*prefs = NULL, *details, *v;
	const char		*params[2];
	char			 prefix[32];
	PGresult		*res;
	size_t			 i;

	if (validate_body(r, fields, 3, &in) == -1)
		return;
	details = json_object_new_object();
	for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		if (!json_object_object_get_ex(in, groups[i].name, &v))
			continue;
		snprintf(prefix, sizeof prefix, "%s.", groups[i].name);
		(void)validate_object(v, groups[i].fields, groups[i].nfields,
		    prefix, details);
	}
	branding = json_object_object_get(in, "branding");
	messaging = json_object_object_get(in, "messaging");
	prefs = json_object_object_get(in, "preferences");
	if (messaging != NULL && (v = json_object_object_get(messaging,
	    "default_country_code")) != NULL && json_object_get_string_len(v)
	    > 0 && !phone_cc_valid(json_object_get_string(v)))
		jsonx_add_str(details, "messaging.default_country_code",
		    "must be a country calling code (1 to 3 digits, e.g. 966), "
		    "or \"\" for none");
	/* validate_body checked all are objects when present */
	if (json_object_object_length(details) > 0) {
		validate_fail(r, details);
		goto out;
	}
	json_object_put(details);
	if ((branding != NULL || messaging != NULL) &&
	    api_require_admin(r) == -1)
		goto out;
	if (branding != NULL || messaging != NULL) {
		params[0] = branding != NULL ? jsonx_string(branding) : "{}";
		params[1] = messaging != NULL ? jsonx_string(messaging) : "{}";
		if ((res = api_query(r, "INSERT INTO tenant_settings (tenant_id, "
		    "settings, messaging) VALUES (current_setting("
		    "'waqtor.tenant_id')::uuid, $1, $2) ON CONFLICT (tenant_id) "
		    "DO UPDATE SET settings = tenant_settings.settings || $1, "
		    "messaging = tenant_settings.messaging || $2, updated_at = "
		    "now()", 2, params)) == NULL)
			goto out;
		PQclear(res);
	}
	if (branding != NULL)
		api_audit(r, "settings.branding", json_object_get(branding));
	if (messaging != NULL)
		api_audit(r, "settings.messaging", json_object_get(messaging));
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
