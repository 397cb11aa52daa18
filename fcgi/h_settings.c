/*
 * Settings: the tenant's branding (the seed's app_logo, app_logo_text,
 * app_show_logo_text), messaging (default country code, opt-out keywords
 * and replies), general ones (the time zone times are shown in and
 * schedules read in) and SmartBot's (on or off, handover, replies per chat
 * and minute), changed by admins, and each user's dashboard preferences
 * (theme, layout, language, notifications, whether to fetch a Gravatar):
 * what the seed kept in localStorage, now on the server. An admin may
 * upload the tenant's logo (fcgi/image.h), which app_logo then names.
 */
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "image.h"
#include "jsonx.h"
#include "phone.h"
#include "settings.h"
#include "util.h"
#include "validate.h"

#define SETTINGS_LOGO_PATH	"/api/v1/settings/logo"

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
static const struct vfield general_fields[] = {
	{ "time_zone", V_STRING, 0, 1, 64, NULL },
};
static const struct vfield smartbot_fields[] = {
	{ "enabled", V_BOOL, 0, 0, 0, NULL },
	{ "handover_minutes", V_INT, 0, 0, 1440, NULL },
	{ "chat_replies_per_minute", V_INT, 0, 1, 60, NULL },
};
static const char *const themes[] = { "light", "dark", "system", NULL };
static const char *const languages[] = { "en", "ar", NULL };	/* ar: RTL */
static const char *const menu_modes[] = { "static", "overlay", NULL };
static const struct vfield preference_fields[] = {
	{ "theme", V_ENUM, 0, 0, 0, themes },
	{ "compact_mode", V_BOOL, 0, 0, 0, NULL },
	{ "sidebar_collapsed", V_BOOL, 0, 0, 0, NULL },
	{ "language", V_ENUM, 0, 0, 0, languages },
	{ "scale", V_INT, 0, 12, 16, NULL },		/* font px */
	{ "menu_mode", V_ENUM, 0, 0, 0, menu_modes },
	{ "notification_sound", V_BOOL, 0, 0, 0, NULL },
	{ "desktop_notifications", V_BOOL, 0, 0, 0, NULL },
	/* off: loading it sends a hash of the e-mail to gravatar.com */
	{ "use_gravatar", V_BOOL, 0, 0, 0, NULL },
};

/*
 * The groups of settings: the tenant's (changed by admins) are columns of
 * tenant_settings (in this order in the statements below), a user's
 * preferences are user_settings.settings. The defaults are merged under
 * what is stored, so clients always see every key. The defaults of
 * messaging and smartbot are also the engine's (engine/optout.c,
 * engine/smartbot.c), general's the database's (tenant_time_zone(),
 * sql/010_time_zone.sql).
 */
#define TENANT_GROUPS	4
static const struct settings_group {
	const char		*name;
	const struct vfield	*fields;
	size_t			 nfields;
	const char		*defaults;	/* JSON */
} groups[] = {
	{ "branding", branding_fields, nitems(branding_fields),
	    "{\"app_logo\":\"\",\"app_logo_text\":\"WaQtor\","
	    "\"app_show_logo_text\":true}" },
	{ "messaging", messaging_fields, nitems(messaging_fields),
	    SETTINGS_MESSAGING_DEFAULTS },
	{ "general", general_fields, nitems(general_fields),
	    "{\"time_zone\":\"UTC\"}" },
	{ "smartbot", smartbot_fields, nitems(smartbot_fields),
	    SETTINGS_SMARTBOT_DEFAULTS },
	{ "preferences", preference_fields, nitems(preference_fields),
	    "{\"theme\":\"system\",\"compact_mode\":false,"
	    "\"sidebar_collapsed\":false,\"language\":\"en\",\"scale\":14,"
	    "\"menu_mode\":\"static\",\"notification_sound\":false,"
	    "\"desktop_notifications\":false,\"use_gravatar\":false}" },
};

/*
 * Merges each tenant group's keys (JSON objects, in the order of groups;
 * "{}" for none) into what is stored. The stored branding after it (row
 * 0, column 0), or NULL answered.
 */
static PGresult *
settings_tenant_merge(struct req *r, const char *const params[TENANT_GROUPS])
{
	return api_query(r, "INSERT INTO tenant_settings (tenant_id, settings, "
	    "messaging, general, smartbot) VALUES (current_setting("
	    "'waqtor.tenant_id')::uuid, $1, $2, $3, $4) ON CONFLICT (tenant_id) "
	    "DO UPDATE SET settings = tenant_settings.settings || $1, "
	    "messaging = tenant_settings.messaging || $2, general = "
	    "tenant_settings.general || $3, smartbot = tenant_settings.smartbot "
	    "|| $4, updated_at = now() RETURNING settings::text", TENANT_GROUPS,
	    params);
}

void
h_settings_get(struct req *r)
{
	const char		*params[] = { r->auth.user_id };
	struct json_object	*body;
	PGresult		*res;
	int			 i;

	if ((res = api_query(r, "SELECT t.settings::text, t.messaging::text, "
	    "t.general::text, t.smartbot::text, (SELECT settings::text FROM "
	    "user_settings WHERE "
	    "user_id = NULLIF($1, '')::uuid) FROM (SELECT 1) one LEFT JOIN "
	    "tenant_settings t ON true", 1, params)) == NULL)
		return;
	body = json_object_new_object();
	for (i = 0; i < TENANT_GROUPS; i++)
		json_object_object_add(body, groups[i].name, settings_merge(
		    groups[i].defaults, api_value(res, 0, i)));
	json_object_object_add(body, "preferences", r->auth.user_id[0] ?
	    settings_merge(groups[TENANT_GROUPS].defaults, api_value(res, 0,
	    TENANT_GROUPS)) : NULL);
	PQclear(res);
	http_respond_json(r, 200, body);
}

void
h_settings_update(struct req *r)
{
	static const struct vfield fields[] = {
		{ "branding", V_OBJECT, 0, 0, 0, NULL },
		{ "messaging", V_OBJECT, 0, 0, 0, NULL },
		{ "general", V_OBJECT, 0, 0, 0, NULL },
		{ "smartbot", V_OBJECT, 0, 0, 0, NULL },
		{ "preferences", V_OBJECT, 0, 0, 0, NULL },
	};
	struct json_object	*in, *tenant[TENANT_GROUPS], *prefs, *details, *v;
	const char		*params[TENANT_GROUPS], *tz;
	char			 prefix[32], action[48];
	PGresult		*res;
	size_t			 i;
	int			 any = 0;

	if (validate_body(r, fields, nitems(fields), &in) == -1)
		return;
	details = json_object_new_object();
	for (i = 0; i < nitems(groups); i++) {
		if (!json_object_object_get_ex(in, groups[i].name, &v))
			continue;
		snprintf(prefix, sizeof prefix, "%s.", groups[i].name);
		(void)validate_object(v, groups[i].fields, groups[i].nfields,
		    prefix, details);
	}
	for (i = 0; i < TENANT_GROUPS; i++)
		any |= (tenant[i] = json_object_object_get(in,
		    groups[i].name)) != NULL;
	prefs = json_object_object_get(in, "preferences");
	if (tenant[1] != NULL && (v = json_object_object_get(tenant[1],
	    "default_country_code")) != NULL && json_object_get_string_len(v)
	    > 0 && !phone_cc_valid(json_object_get_string(v)))
		jsonx_add_str(details, "messaging.default_country_code",
		    "must be a country calling code (1 to 3 digits, e.g. 966), "
		    "or \"\" for none");
	if (tenant[2] != NULL && (tz = jsonx_get_str(tenant[2],
	    "time_zone")) != NULL && json_object_object_length(details) == 0) {
		/* PostgreSQL's names, as the times are converted there */
		if ((res = api_query(r, "SELECT EXISTS (SELECT 1 FROM "
		    "pg_timezone_names WHERE name = $1 AND name !~ '^(posix|"
		    "right)/|^posixrules$|^Factory$')", 1, &tz)) == NULL)
			goto out;
		if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
			jsonx_add_str(details, "general.time_zone", "must be an "
			    "IANA time zone name, e.g. Asia/Riyadh or UTC");
		PQclear(res);
	}
	/* validate_body checked all are objects when present */
	if (json_object_object_length(details) > 0) {
		validate_fail(r, details);
		details = NULL;
		goto out;
	}
	if (any && api_require_admin(r) == -1)
		goto out;
	if (any) {
		for (i = 0; i < TENANT_GROUPS; i++)
			params[i] = tenant[i] != NULL ?
			    jsonx_string(tenant[i]) : "{}";
		if ((res = settings_tenant_merge(r, params)) == NULL)
			goto out;
		PQclear(res);
	}
	for (i = 0; i < TENANT_GROUPS; i++) {
		if (tenant[i] == NULL)
			continue;
		snprintf(action, sizeof action, "settings.%s", groups[i].name);
		api_audit(r, action, json_object_get(tenant[i]));
	}
	if (prefs != NULL) {
		if (api_require_user(r) == -1)
			goto out;
		if ((res = api_query(r, "INSERT INTO user_settings (user_id, "
		    "tenant_id, settings) VALUES ($1, current_setting("
		    "'waqtor.tenant_id')::uuid, $2) ON CONFLICT (user_id) DO "
		    "UPDATE SET settings = user_settings.settings || $2, "
		    "updated_at = now()", 2, (const char *[]){ r->auth.user_id,
		    jsonx_string(prefs) })) == NULL)
			goto out;
		PQclear(res);
	}
	h_settings_get(r);
out:
	json_object_put(details);
	json_object_put(in);
}

/*
 * Points the branding's app_logo at url, recorded as a PATCH of it would
 * be (settings.branding): the branding as it is now (a new object), or
 * NULL answered.
 */
static struct json_object *
settings_logo_link(struct req *r, const char *url)
{
	struct json_object	*set = json_object_new_object(), *branding;
	const char		*params[TENANT_GROUPS] = { NULL, "{}", "{}",
				    "{}" };
	PGresult		*res;

	jsonx_add_str(set, "app_logo", url);
	params[0] = jsonx_string(set);
	if ((res = settings_tenant_merge(r, params)) == NULL) {
		json_object_put(set);
		return NULL;
	}
	api_audit(r, "settings.branding", set);
	branding = settings_merge(groups[0].defaults, PQgetvalue(res, 0, 0));
	PQclear(res);
	return branding;
}

/*
 * Each upload gets a new ?v=, so browsers, which keep the logo a day,
 * fetch it again: two uploads within a second are a second apart.
 */
void
h_settings_logo_upload(struct req *r)
{
	struct image		 img;
	struct json_object	*branding;
	PGresult		*res;

	if (image_read(r, "a logo", &img) == -1)
		return;
	res = api_query(r, "INSERT INTO tenant_logos (tenant_id, content_type, "
	    "data) VALUES (current_setting('waqtor.tenant_id')::uuid, $1, "
	    "decode($2, 'base64')) ON CONFLICT (tenant_id) DO UPDATE SET "
	    "content_type = $1, data = decode($2, 'base64'), updated_at = "
	    "greatest(now(), date_trunc('second', tenant_logos.updated_at) + "
	    "interval '1 second') RETURNING '" SETTINGS_LOGO_PATH "?v=' || "
	    "floor(extract(epoch FROM updated_at))::bigint", 2,
	    (const char *[]){ img.type, img.b64 });
	image_free(&img);
	if (res == NULL)
		return;
	if ((branding = settings_logo_link(r, PQgetvalue(res, 0, 0))) != NULL)
		http_respond_json(r, 200, branding);
	PQclear(res);
}

void
h_settings_logo_get(struct req *r)
{
	PGresult	*res;

	if ((res = api_query(r, "SELECT encode(data, 'base64') FROM "
	    "tenant_logos WHERE tenant_id = current_setting("
	    "'waqtor.tenant_id')::uuid", 0, NULL)) == NULL)
		return;
	if (PQntuples(res) != 1)
		http_respond_error(r, 404, "not_found", "no such logo", NULL);
	else	/* its URL changes with each upload */
		image_respond(r, PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0), "private, max-age=86400");
	PQclear(res);
}

void
h_settings_logo_delete(struct req *r)
{
	struct json_object	*branding;
	PGresult		*res;
	int			 had;

	if ((res = api_query(r, "DELETE FROM tenant_logos WHERE tenant_id = "
	    "current_setting('waqtor.tenant_id')::uuid RETURNING 1", 0,
	    NULL)) == NULL)
		return;
	had = PQntuples(res) == 1;
	PQclear(res);
	if (!had) {
		http_respond_error(r, 404, "not_found", "no such logo", NULL);
		return;
	}
	if ((branding = settings_logo_link(r, "")) == NULL)
		return;
	json_object_put(branding);
	http_respond_json(r, 204, NULL);
}
