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
 * Parses exactly one JSON value from buf[0..len). On success stores a new
 * reference in *out and returns 0. On error returns -1 and writes a short
 * reason to err (e.g. "invalid UTF-8 at byte 12", "nesting deeper than 32").
 */
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
