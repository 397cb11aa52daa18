#include "validate.h"

#include <stdint.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "jsonx.h"
#include "util.h"

/*
 * A link shown to browsers (a logo): empty, an absolute http(s) URL, or a
 * path on this site; nothing with spaces, controls or quotes, and no other
 * scheme (javascript:, data:, ...).
 */
static const char *
validate_link(const char *s, long max)
{
	size_t	i;

	if ((long)strlen(s) > max)
		return "is too long";
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f || s[i] == '"' ||
		    s[i] == '\'' || s[i] == '<' || s[i] == '>' || s[i] == '\\')
			return "must be a URL without spaces, quotes or controls";
	if (s[0] == '\0' || (s[0] == '/' && s[1] != '/') ||
	    (strncasecmp(s, "https://", 8) == 0 && s[8] != '\0') ||
	    (strncasecmp(s, "http://", 7) == 0 && s[7] != '\0'))
		return NULL;
	return "must be an http(s) URL or a path on this site";
}

int
validate_one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(s, *list) == 0)
			return 1;
	}
	return 0;
}

long
validate_chars(const char *s)
{
	long	n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int
validate_controls(const char *s, int allow_newlines)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (allow_newlines && (c == '\n' || c == '\t' || c == '\r'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	return 1;
}

int
validate_email(const char *s)
{
	const char	*at = strchr(s, '@');
	size_t		 len = strlen(s);

	if (len < 3 || len > 254 || at == NULL || at == s ||
	    strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL ||
	    at[1] == '.' || s[len - 1] == '.')
		return 0;
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s) || (unsigned char)*s < 0x20 ||
		    strchr("<>()[],;:\\\"", *s) != NULL)
			return 0;
	}
	return 1;
}

static const char *
validate_one(const struct vfield *f, struct json_object *v, char *why,
    size_t whylen)
{
	const char	*s;
	long long	 n;
	size_t		 i;

	switch (f->type) {
	case V_ANY:
		return NULL;
	case V_STRING:
	case V_TEXT:
	case V_EMAIL:
	case V_ENUM:
	case V_UUID:
	case V_DIGITS:
	case V_LINK:
		if (!json_object_is_type(v, json_type_string))
			return "must be a string";
		s = json_object_get_string(v);
		if (f->type == V_DIGITS) {
			n = (long)strspn(s, "0123456789");
			if (s[n] != '\0' || n < f->min || n > f->max) {
				snprintf(why, whylen, "must be %ld to %ld digits",
				    f->min, f->max);
				return why;
			}
			return NULL;
		}
		if (f->type == V_LINK)
			return validate_link(s, f->max);
		if (f->type == V_EMAIL)
			return validate_email(s) ? NULL :
			    "must be an e-mail address";
		if (f->type == V_UUID)
			return util_is_uuid(s) ? NULL : "must be a UUID";
		if (f->type == V_ENUM) {
			for (i = 0; f->choices[i] != NULL; i++) {
				if (strcmp(s, f->choices[i]) == 0)
					return NULL;
			}
			snprintf(why, whylen, "must be one of:");
			for (i = 0; f->choices[i] != NULL; i++) {
				size_t used = strlen(why);

				snprintf(why + used, whylen - used, "%s %s",
				    i > 0 ? "," : "", f->choices[i]);
			}
			return why;
		}
		if (!validate_controls(s, f->type == V_TEXT))
			return "must not contain control characters";
		n = validate_chars(s);
		if (n < f->min || n > f->max) {
			snprintf(why, whylen, "must have %ld to %ld characters",
			    f->min, f->max);
			return why;
		}
		return NULL;
	case V_BOOL:
		return json_object_is_type(v, json_type_boolean) ? NULL :
		    "must be true or false";
	case V_INT:
		/* 930.0 is an integer too, as JSON Schema has it */
		if (json_object_is_type(v, json_type_double)) {
			double x = json_object_get_double(v);

			if (!(x >= -9.0e15 && x <= 9.0e15) || x != (double)(int64_t)x)
				return "must be an integer";
		} else if (!json_object_is_type(v, json_type_int))
			return "must be an integer";
		n = json_object_get_int64(v);
		if (n < f->min || n > f->max) {
			snprintf(why, whylen, "must be between %ld and %ld",
			    f->min, f->max);
			return why;
		}
		return NULL;
	case V_OBJECT:
		return json_object_is_type(v, json_type_object) ? NULL :
		    "must be an object";
	case V_ARRAY:
	case V_STRINGS:
	case V_UUIDS:
		if (!json_object_is_type(v, json_type_array))
			return "must be an array";
		if ((long)json_object_array_length(v) > f->max) {
			snprintf(why, whylen, "must have at most %ld elements",
			    f->max);
			return why;
		}
		for (i = 0; f->type == V_UUIDS &&
		    i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);

			if (!json_object_is_type(e, json_type_string) ||
			    !util_is_uuid(json_object_get_string(e)))
				return "must hold ids";
		}
		for (i = 0; f->type == V_STRINGS &&
		    i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);

			if (!json_object_is_type(e, json_type_string) ||
			    json_object_get_string_len(e) == 0 ||
			    json_object_get_string_len(e) > 200 ||
			    !validate_controls(json_object_get_string(e), 0))
				return "must hold strings of 1 to 200 characters";
		}
		return NULL;
	}
	return "unknown type";
}

int
validate_object(struct json_object *obj, const struct vfield *fields,
    size_t n, const char *prefix, struct json_object *details)
{
	char		 key[128], why[160];
	size_t		 i;
	int		 bad = 0;

	for (i = 0; i < n; i++) {
		struct json_object	*v;
		const char		*problem = NULL;

		snprintf(key, sizeof key, "%s%s", prefix, fields[i].name);
		if (!json_object_object_get_ex(obj, fields[i].name, &v)) {
			if (fields[i].required == 1)
				problem = "is required";
		} else if (v == NULL) {
			if (fields[i].required != V_NULLABLE)
				problem = fields[i].required ? "is required" :
				    "must not be null";
		}
		else if ((problem = validate_one(&fields[i], v, why,
		    sizeof why)) == NULL && fields[i].type == V_INT &&
		    json_object_is_type(v, json_type_double))
			/* 930.0 passed as an integer: kept as one */
			json_object_object_add(obj, fields[i].name,
			    json_object_new_int64(json_object_get_int64(v)));
		if (problem != NULL) {
			jsonx_add_str(details, key, problem);
			bad = 1;
		}
	}
	json_object_object_foreach(obj, name, val) {
		(void)val;
		for (i = 0; i < n; i++) {
			if (strcmp(fields[i].name, name) == 0)
				break;
		}
		if (i == n) {
			snprintf(key, sizeof key, "%s%s", prefix, name);
			jsonx_add_str(details, key, "is not a known field");
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

void
validate_fail(struct req *r, struct json_object *details)
{
	http_respond_error(r, 400, "validation_failed",
	    "some fields are invalid: see details", details);
}

void
validate_fail_field(struct req *r, const char *field, const char *why)
{
	struct json_object	*details = json_object_new_object();

	jsonx_add_str(details, field, why);
	validate_fail(r, details);
}

static int
validate_is_json(const char *ct)
{
	size_t	len = strlen("application/json");

	return ct != NULL && strncasecmp(ct, "application/json", len) == 0 &&
	    (ct[len] == '\0' || ct[len] == ';' || ct[len] == ' ');
}

int
validate_json_body(struct req *r, struct json_object **out)
{
	struct json_object	*obj = NULL, *details;
	struct jsonx_error	 e;

	*out = NULL;
	if (!validate_is_json(http_param(r, "CONTENT_TYPE"))) {
		http_respond_error(r, 415, "unsupported_media_type",
		    "send the body as application/json", NULL);
		return -1;
	}
	if (jsonx_parse_ex(r->body != NULL ? r->body : "", r->body_len,
	    JSONX_MAX_DEPTH, &obj, &e) == -1) {
		/* a \u0000 parses: the answer names its field, not the syntax */
		details = json_object_new_object();
		jsonx_add_str(details, "reason", e.reason);
		if (e.field[0] != '\0')
			jsonx_add_str(details, "field", e.field);
		http_respond_error(r, 400, "invalid_json", e.field[0] != '\0' ?
		    e.reason : "the body is not valid JSON", details);
		return -1;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		http_respond_error(r, 400, "invalid_json",
		    "the body must be a JSON object", NULL);
		return -1;
	}
	*out = obj;
	return 0;
}

int
validate_body(struct req *r, const struct vfield *fields, size_t n,
    struct json_object **out)
{
	struct json_object	*obj, *details;

	if (validate_json_body(r, out) == -1)
		return -1;
	obj = *out;
	*out = NULL;
	details = json_object_new_object();
	if (validate_object(obj, fields, n, "", details) == -1) {
		json_object_put(obj);
		validate_fail(r, details);
		return -1;
	}
	json_object_put(details);
	*out = obj;
	return 0;
}
