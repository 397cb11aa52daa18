#include "campaign_msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonx.h"
#include "template.h"

struct lookup {
	const struct campaign_vars	*vars;
	char				 buf[64];
	char				 key[TEMPLATE_NAME_MAX + 1];
};

/* A variable's value as text: strings as they are, numbers and booleans
 * as JSON writes them. */
static const char *
lookup_in(struct json_object *obj, const char *key)
{
	struct json_object	*v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

static const char *
lookup(void *arg, const char *name, size_t len)
{
	struct lookup	*l = arg;
	const char	*v;

	snprintf(l->key, sizeof l->key, "%.*s", (int)len, name);
	if ((v = lookup_in(l->vars->recipient, l->key)) != NULL ||
	    (v = lookup_in(l->vars->campaign, l->key)) != NULL)
		return v;
	if (strcmp(l->key, "name") == 0)
		return l->vars->name;
	if (strcmp(l->key, "phone") == 0) {
		snprintf(l->buf, sizeof l->buf, "+%s", l->vars->phone);
		return l->buf;
	}
	return NULL;
}

static void
add_name(void *arg, const char *name, size_t len)
{
	struct json_object	*names = arg;
	char			 key[TEMPLATE_NAME_MAX + 1];
	size_t			 i;

	snprintf(key, sizeof key, "%.*s", (int)len, name);
	for (i = 0; i < json_object_array_length(names); i++) {
		if (strcmp(json_object_get_string(json_object_array_get_idx(
		    names, i)), key) == 0)
			return;
	}
	json_object_array_add(names, json_object_new_string(key));
}

/* Calls fn on every "text" string inside v (a template's components). */
static int
walk_texts(struct json_object *v, int (*fn)(void *, struct json_object *,
    const char *), void *arg)
{
	size_t	i;

	if (json_object_is_type(v, json_type_array)) {
		for (i = 0; i < json_object_array_length(v); i++) {
			if (walk_texts(json_object_array_get_idx(v, i), fn,
			    arg) == -1)
				return -1;
		}
	} else if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, e) {
			if (strcmp(k, "text") == 0 &&
			    json_object_is_type(e, json_type_string)) {
				if (fn(arg, v, json_object_get_string(e)) == -1)
					return -1;
			} else if (walk_texts(e, fn, arg) == -1)
				return -1;
		}
	}
	return 0;
}

static int
names_of(void *arg, struct json_object *parent, const char *text)
{
	(void)parent;
	(void)template_names(text, add_name, arg);
	return 0;
}

void
campaign_msg_names(struct json_object *message, struct json_object *names)
{
	const char		*text = jsonx_get_str(message, "text");
	struct json_object	*tmpl;

	if (text != NULL)
		(void)template_names(text, add_name, names);
	if (json_object_object_get_ex(message, "template", &tmpl))
		(void)walk_texts(tmpl, names_of, names);
}

struct render {
	struct lookup	 l;
	char		*missing;
	size_t		 missing_len;
};

/* Renders text into a new string, or NULL with missing set. */
static char *
render_text(struct render *rd, const char *text)
{
	return template_render(text, lookup, &rd->l, CAMPAIGN_TEXT_MAX,
	    rd->missing, rd->missing_len);
}

/* Replaces parent's "text" (inside a template copy) by its rendering. */
static int
render_in(void *arg, struct json_object *parent, const char *text)
{
	char	*out = render_text(arg, text);

	if (out == NULL)
		return -1;
	json_object_object_add(parent, "text", json_object_new_string(out));
	free(out);
	return 0;
}

int
campaign_msg_render(struct json_object *message,
    const struct campaign_vars *vars, const char **type,
    struct json_object **content, char *missing, size_t missing_len)
{
	struct render		 rd;
	struct json_object	*tmpl, *media, *c = NULL;
	const char		*text = jsonx_get_str(message, "text");
	char			*out = NULL, err[32];

	memset(&rd, 0, sizeof rd);
	rd.l.vars = vars;
	rd.missing = missing;
	rd.missing_len = missing_len;
	*content = NULL;
	if (json_object_object_get_ex(message, "template", &tmpl)) {
		/* a deep copy, rendered in place */
		if (jsonx_parse(jsonx_string(tmpl), strlen(jsonx_string(tmpl)),
		    JSONX_MAX_DEPTH, &c, err, sizeof err) == -1 ||
		    walk_texts(c, render_in, &rd) == -1) {
			json_object_put(c);
			return -1;
		}
		*type = "template";
		*content = c;
		return 0;
	}
	if (text != NULL && (out = render_text(&rd, text)) == NULL)
		return -1;
	c = json_object_new_object();
	if (json_object_object_get_ex(message, "media", &media)) {
		*type = jsonx_get_str(media, "type");
		jsonx_add_str(c, "url", jsonx_get_str(media, "url"));
		if (jsonx_get_str(media, "filename") != NULL)
			jsonx_add_str(c, "filename", jsonx_get_str(media,
			    "filename"));
		if (out != NULL)
			jsonx_add_str(c, "caption", out);
	} else {
		*type = "text";
		jsonx_add_str(c, "text", out != NULL ? out : "");
	}
	free(out);
	*content = c;
	return 0;
}
