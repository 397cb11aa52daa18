/*
 * JSON helpers over json-c, for input from outside: strict grammar, a depth
 * cap, UTF-8 validation, and typed field access that names the field on error.
 */
#ifndef WAQTOR_JSONX_H
#define WAQTOR_JSONX_H

#include <stddef.h>
#include <json-c/json.h>

#define JSONX_MAX_DEPTH	32

/*
 * Why jsonx_parse_ex refused a text. reason is for people ("invalid UTF-8",
 * "trailing data at byte 7", "config.x: \u0000 (NUL) is not allowed").
 * field is set only for a \u0000, which the grammar allows but no C string,
 * text column or jsonb holds: the path of the first string or key with one,
 * as validation's details name fields (members by key as written, array
 * elements by index, joined by '.': "config.x", "items.3"; "" for a bare
 * string), cut with "..." past its size.
 */
struct jsonx_error {
	char	reason[192];
	char	field[128];
};

/*
 * Parses exactly one JSON value from buf[0..len). On success stores a new
 * reference in *out and returns 0. On error returns -1 and fills *e; the
 * grammar is checked before \u0000, so a text that does not parse is
 * reported as such whatever strings it holds.
 */
int jsonx_parse_ex(const char *buf, size_t len, int max_depth,
    struct json_object **out, struct jsonx_error *e)
    __attribute__((warn_unused_result));
/* The same, with only e->reason, written to err. */
int jsonx_parse(const char *buf, size_t len, int max_depth,
    struct json_object **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Serialises compactly, without escaping '/'. The string belongs to obj. */
const char *jsonx_string(struct json_object *obj);
/* Same, into a new malloc'd string. */
char *jsonx_strdup(struct json_object *obj);

/* The string member key of obj, or NULL when absent or not a string. */
const char *jsonx_get_str(struct json_object *obj, const char *key);

/* Adds key: s (NULL adds JSON null). obj keeps the new value. */
void jsonx_add_str(struct json_object *obj, const char *key, const char *s);
void jsonx_add_int(struct json_object *obj, const char *key, long long n);
void jsonx_add_bool(struct json_object *obj, const char *key, int b);

/* Checks that buf[0..len) is valid UTF-8 (no overlongs or surrogates). */
int jsonx_utf8_valid(const char *buf, size_t len);

#endif
