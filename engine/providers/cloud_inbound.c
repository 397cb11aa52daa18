/*
 * The Cloud API's webhook payload (shared/cloud-api.md): entry[].changes[]
 * .value holds contacts[], messages[] and statuses[]. Every member is read
 * through a type-checked accessor; anything that breaks the contract (a
 * wrong type, an over-long id, a timestamp that is not a plausible Unix
 * time, a sender that is not a phone number) makes the whole payload
 * malformed, with the field's path in err. Unknown members are ignored, as
 * Meta adds fields over time. Stored bodies already passed jsonx_parse, so
 * no string holds a NUL and nesting is bounded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define ID_MAX		256	/* wamids are about 60 characters */
#define NAME_MAX_LEN	512
#define TYPE_MAX	32
#define PHONE_MAX	20
#define TS_MAX		32503680000LL	/* 3000-01-01: later is not a time */

struct walk {
	char	*err;
	size_t	 errlen;
	char	 path[96];	/* where we are, for err */
};

static int malformed(struct walk *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
malformed(struct walk *w, const char *key, const char *fmt, ...)
{
	char	what[96];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(w->err, w->errlen, "malformed payload: %s%s%s %s", w->path,
	    *w->path != '\0' ? "." : "", key, what);
	return INBOUND_MALFORMED;
}

/*
 * o[key] of type t into *out: 1 when present, 0 when absent (or JSON null),
 * or INBOUND_MALFORMED when of another type.
 */
static int
member(struct walk *w, struct json_object *o, const char *key,
    enum json_type t, struct json_object **out)
{
	static const char *const names[] = {
		[json_type_null] = "null", [json_type_boolean] = "a boolean",
		[json_type_double] = "a number", [json_type_int] = "a number",
		[json_type_object] = "an object", [json_type_array] = "an array",
		[json_type_string] = "a string",
	};
	struct json_object	*v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, t))
		return malformed(w, key, "is %s, not %s",
		    names[json_object_get_type(v)], names[t]);
	*out = v;
	return 1;
}

/* A string member of at most max bytes: 1, 0 (absent) or malformed. */
static int
text(struct walk *w, struct json_object *o, const char *key, size_t max,
    const char **out)
{
	struct json_object	*v;
	int			 rc;

	*out = NULL;
	if ((rc = member(w, o, key, json_type_string, &v)) != 1)
		return rc;
	if ((size_t)json_object_get_string_len(v) > max)
		return malformed(w, key, "is longer than %zu bytes", max);
	*out = json_object_get_string(v);
	return 1;
}

static int
required_text(struct walk *w, struct json_object *o, const char *key,
    size_t max, const char **out)
{
	int	rc = text(w, o, key, max, out);

	if (rc == 1 && **out == '\0')
		return malformed(w, key, "is empty");
	return rc == 0 ? malformed(w, key, "is missing") : rc;
}

/* A member that must be an array (when present): its length, or < 0. */
static int
array(struct walk *w, struct json_object *o, const char *key,
    struct json_object **out)
{
	int	rc = member(w, o, key, json_type_array, out);

	if (rc != 1)
		return rc;
	return (int)json_object_array_length(*out);
}

static void
enter(struct walk *w, char *saved, size_t savedlen, const char *key, int i)
{
	size_t	n = strlen(w->path);

	snprintf(saved, savedlen, "%s", w->path);
	if (i >= 0)
		snprintf(w->path + n, sizeof w->path - n, "%s%s[%d]",
		    n > 0 ? "." : "", key, i);
	else
		snprintf(w->path + n, sizeof w->path - n, "%s%s",
		    n > 0 ? "." : "", key);
}

static void
leave(struct walk *w, const char *saved)
{
	snprintf(w->path, sizeof w->path, "%s", saved);
}

/* The element i of array a, which must be an object. */
static int
element(struct walk *w, struct json_object *a, const char *key, int i,
    struct json_object **out)
{
	*out = json_object_array_get_idx(a, (size_t)i);
	if (*out == NULL || !json_object_is_type(*out, json_type_object)) {
		char	k[48];

		snprintf(k, sizeof k, "%s[%d]", key, i);
		return malformed(w, k, "is not an object");
	}
	return 0;
}

static int
is_digits(const char *s, size_t max)
{
	size_t	n = strspn(s, "0123456789");

	return n > 0 && n <= max && s[n] == '\0';
}

/* The content object of a message of type: {"text"} or the media object
 * with "id" renamed "mediaId". A new object, or NULL (malformed). */
static struct json_object *
content_of(struct walk *w, struct json_object *msg, const char *type)
{
	struct json_object	*content, *v;
	const char		*body;

	if (strcmp(type, "text") == 0) {
		int	rc = member(w, msg, "text", json_type_object, &v);

		if (rc == 0)
			malformed(w, "text", "is missing");
		if (rc != 1)
			return NULL;
		if (text(w, v, "body", 65536, &body) < 0)
			return NULL;
		content = json_object_new_object();
		json_object_object_add(content, "text", body != NULL ?
		    json_object_new_string(body) : NULL);
		return content;
	}
	content = json_object_new_object();
	if (member(w, msg, type, json_type_object, &v) < 0) {
		json_object_put(content);
		return NULL;
	}
	if (v == NULL)
		return content;
	json_object_object_foreach(v, k, val)
		json_object_object_add(content, strcmp(k, "id") == 0 ?
		    "mediaId" : k, json_object_get(val));
	return content;
}

static int
one_message(struct walk *w, struct json_object *m, const char *name,
    inbound_sink *sink, void *arg)
{
	struct inbound_item	 it = { .kind = INBOUND_MESSAGE, .name = name };
	const char		*ts;
	int			 rc;

	if ((rc = required_text(w, m, "id", ID_MAX, &it.provider_id)) < 0 ||
	    (rc = required_text(w, m, "from", PHONE_MAX, &it.from)) < 0 ||
	    (rc = required_text(w, m, "type", TYPE_MAX, &it.type)) < 0 ||
	    (rc = text(w, m, "timestamp", 16, &ts)) < 0)
		return rc;
	if (!is_digits(it.from, PHONE_MAX))
		return malformed(w, "from", "is not a phone number");
	if (it.type[strspn(it.type, "abcdefghijklmnopqrstuvwxyz_")] != '\0')
		return malformed(w, "type", "is not a message type");
	if (ts != NULL) {
		if (!is_digits(ts, 11) || (it.unix_ts = strtoll(ts, NULL, 10)) >
		    TS_MAX)
			return malformed(w, "timestamp", "is not a Unix time");
	}
	if ((it.content = content_of(w, m, it.type)) == NULL)
		return INBOUND_MALFORMED;
	rc = sink(arg, &it, w->err, w->errlen) == 0 ? INBOUND_OK :
	    INBOUND_SINK_FAILED;
	json_object_put(it.content);
	return rc;
}

static int
one_status(struct walk *w, struct json_object *st, inbound_sink *sink,
    void *arg)
{
	static const char *const known[] = { "sent", "delivered", "read",
	    "failed" };
	struct inbound_item	 it = { .kind = INBOUND_STATUS };
	struct json_object	*errs;
	size_t			 i;
	int			 n;

	if (required_text(w, st, "id", ID_MAX, &it.provider_id) < 0 ||
	    required_text(w, st, "status", TYPE_MAX, &it.status) < 0 ||
	    text(w, st, "biz_opaque_callback_data", 512, &it.message_id) < 0 ||
	    (n = array(w, st, "errors", &errs)) < 0)
		return INBOUND_MALFORMED;
	if (n > 0 && element(w, errs, "errors", 0, &it.error) < 0)
		return INBOUND_MALFORMED;
	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(it.status, known[i]) == 0)
			break;
	if (i == sizeof known / sizeof known[0])
		return INBOUND_OK;	/* e.g. "deleted": nothing of ours */
	return sink(arg, &it, w->err, w->errlen) == 0 ? INBOUND_OK :
	    INBOUND_SINK_FAILED;
}

/* One entry[].changes[].value. */
static int
one_value(struct walk *w, struct json_object *value, inbound_sink *sink,
    void *arg)
{
	struct json_object	*contacts, *list, *c, *profile, *x;
	const char		*name = NULL;
	char			 saved[sizeof w->path];
	int			 i, n, rc;

	if ((n = array(w, value, "contacts", &contacts)) < 0)
		return n;
	if (n > 0) {
		if (element(w, contacts, "contacts", 0, &c) < 0)
			return INBOUND_MALFORMED;
		enter(w, saved, sizeof saved, "contacts", 0);
		if ((rc = member(w, c, "profile", json_type_object,
		    &profile)) == 1)
			rc = text(w, profile, "name", NAME_MAX_LEN, &name);
		leave(w, saved);
		if (rc < 0)
			return rc;
	}
	if ((n = array(w, value, "messages", &list)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (element(w, list, "messages", i, &x) < 0)
			return INBOUND_MALFORMED;
		enter(w, saved, sizeof saved, "messages", i);
		rc = one_message(w, x, name, sink, arg);
		leave(w, saved);
		if (rc != INBOUND_OK)
			return rc;
	}
	if ((n = array(w, value, "statuses", &list)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (element(w, list, "statuses", i, &x) < 0)
			return INBOUND_MALFORMED;
		enter(w, saved, sizeof saved, "statuses", i);
		rc = one_status(w, x, sink, arg);
		leave(w, saved);
		if (rc != INBOUND_OK)
			return rc;
	}
	return INBOUND_OK;
}

int
cloud_parse_inbound(struct json_object *root, inbound_sink *sink, void *arg,
    char *err, size_t errlen)
{
	struct walk		 w = { .err = err, .errlen = errlen };
	struct json_object	*entries, *entry, *changes, *change, *value;
	char			 saved[sizeof w.path], saved2[sizeof w.path];
	char			 saved3[sizeof w.path];
	int			 i, j, n, m, rc = INBOUND_OK;

	err[0] = '\0';
	if (!json_object_is_type(root, json_type_object))
		return malformed(&w, "body", "is not an object");
	if ((n = array(&w, root, "entry", &entries)) < 0)
		return n;
	if (entries == NULL)
		return malformed(&w, "entry", "is missing");
	for (i = 0; i < n && rc == INBOUND_OK; i++) {
		if (element(&w, entries, "entry", i, &entry) < 0)
			return INBOUND_MALFORMED;
		enter(&w, saved, sizeof saved, "entry", i);
		if ((m = array(&w, entry, "changes", &changes)) < 0)
			rc = m;
		for (j = 0; j < m && rc == INBOUND_OK; j++) {
			if (element(&w, changes, "changes", j, &change) < 0) {
				rc = INBOUND_MALFORMED;
				break;
			}
			enter(&w, saved2, sizeof saved2, "changes", j);
			if ((rc = member(&w, change, "value", json_type_object,
			    &value)) == 1) {
				enter(&w, saved3, sizeof saved3, "value", -1);
				rc = one_value(&w, value, sink, arg);
				leave(&w, saved3);
			}
			leave(&w, saved2);
		}
		leave(&w, saved);
	}
	return rc < 0 ? rc : INBOUND_OK;
}
