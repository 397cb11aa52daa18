/*
 * Declarative checks of JSON request bodies: a handler lists its fields
 * (name, type, required, bounds) and gets either a checked object or an
 * answer already sent: 415 for a body that is not JSON, 400 invalid_json
 * (details.reason; for a \u0000 also details.field, its path, which the
 * message names), 400 validation_failed with details naming each bad field.
 * Unknown fields are refused too, so a typo never passes silently.
 */
#ifndef WAQTOR_VALIDATE_H
#define WAQTOR_VALIDATE_H

#include <stddef.h>

#include <json-c/json.h>

struct req;

enum vtype {
	V_STRING,	/* min..max characters, no control characters */
	V_TEXT,		/* same, but newlines and tabs allowed */
	V_EMAIL,
	V_BOOL,
	V_INT,		/* min..max; 930.0 is 930, as in JSON Schema,
			   and is replaced by the integer */
	V_ENUM,		/* one of choices */
	V_OBJECT,	/* any JSON object */
	V_UUID,
	V_ARRAY,	/* up to max elements of anything */
	V_STRINGS,	/* up to max strings of 1 to 200 characters */
	V_UUIDS,	/* up to max ids (UUID strings) */
	V_DIGITS,	/* a string of min..max decimal digits */
	V_LINK,		/* up to max characters: "", an http(s) URL, or a
			   path on this site ("/..."); never javascript: */
	V_ANY,		/* any value (not null): the handler checks it */
};

/* vfield.required: 0 optional, 1 required, V_NULLABLE optional with null
 * meaning absent (the spec's type [x, "null"]) */
#define V_NULLABLE	2

struct vfield {
	const char		*name;
	enum vtype		 type;
	int			 required;
	long			 min;
	long			 max;
	const char *const	*choices;	/* V_ENUM: NULL-terminated */
};

/* Checks obj against fields, adding "field": "reason" to details for each
 * problem (prefix names a nested object, e.g. "config."). 0 when clean. */
int validate_object(struct json_object *obj, const struct vfield *fields,
    size_t n, const char *prefix, struct json_object *details);
/* A JSON object body (415, 400 otherwise, answered): 0 and *out (new). */
int validate_json_body(struct req *r, struct json_object **out)
    __attribute__((warn_unused_result));
/* The whole body check; see above. *out is a new reference on success. */
int validate_body(struct req *r, const struct vfield *fields, size_t n,
    struct json_object **out) __attribute__((warn_unused_result));
/* Responds 400 validation_failed with details (taken over). */
void validate_fail(struct req *r, struct json_object *details);
/* The same for one field and why. */
void validate_fail_field(struct req *r, const char *field, const char *why);
int validate_email(const char *s);
/* 1 when s is one of the strings of list (NULL-terminated). */
int validate_one_of(const char *s, const char *const *list);
/* The characters (not bytes) of s, which is valid UTF-8. */
long validate_chars(const char *s);
/* 1 when s has no control characters (but \n \t \r when allowed). */
int validate_controls(const char *s, int allow_newlines);

#endif
