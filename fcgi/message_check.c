#include "message_check.h"

#include <stdio.h>
#include <string.h>

#include "campaign_msg.h"
#include "jsonx.h"
#include "validate.h"

static const char *const media_types[] = { "image", "video", "audio",
    "document", NULL };

void
message_check(struct json_object *msg, const char *prefix, int templates,
    struct json_object *details)
{
	static const struct vfield fields[] = {
		{ "text", V_TEXT, 0, 1, CAMPAIGN_TEXT_MAX, NULL },
		{ "media", V_OBJECT, 0, 0, 0, NULL },
		{ "template", V_OBJECT, 0, 0, 0, NULL },
	};
	static const struct vfield media[] = {
		{ "type", V_ENUM, 1, 0, 0, media_types },
		{ "url", V_STRING, 1, 1, 2048, NULL },
		{ "filename", V_STRING, 0, 1, 240, NULL },
	};
	static const struct vfield tmpl[] = {
		{ "name", V_STRING, 1, 1, 512, NULL },
		{ "language", V_STRING, 1, 2, 15, NULL },
		{ "components", V_ARRAY, 0, 0, 10, NULL },
	};
	struct json_object	*v;
	const char		*url;
	char			 p[64], f[96];
	int			 has_tmpl;

	if (!json_object_is_type(msg, json_type_object)) {
		jsonx_add_str(details, prefix, "must be an object");
		return;
	}
	snprintf(p, sizeof p, "%s.", prefix);
	(void)validate_object(msg, fields, templates ? 3 : 2, p, details);
	if (json_object_object_get_ex(msg, "media", &v) &&
	    json_object_is_type(v, json_type_object)) {
		snprintf(p, sizeof p, "%s.media.", prefix);
		(void)validate_object(v, media, 3, p, details);
		url = jsonx_get_str(v, "url");
		snprintf(f, sizeof f, "%s.media.url", prefix);
		if (url != NULL && strncmp(url, "https://", 8) != 0 &&
		    strncmp(url, "http://", 7) != 0)
			jsonx_add_str(details, f, "must be an http(s) URL");
	}
	if ((has_tmpl = json_object_object_get_ex(msg, "template", &v)) &&
	    templates && json_object_is_type(v, json_type_object)) {
		snprintf(p, sizeof p, "%s.template.", prefix);
		(void)validate_object(v, tmpl, 3, p, details);
	}
	if (json_object_object_length(details) == 0 && (has_tmpl ?
	    json_object_object_length(msg) != 1 :
	    jsonx_get_str(msg, "text") == NULL &&
	    !json_object_object_get_ex(msg, "media", NULL)))
		jsonx_add_str(details, prefix, templates ? "give a text (with "
		    "media, optionally), or a template alone" : "give a text, "
		    "media, or both (the text is its caption)");
}
