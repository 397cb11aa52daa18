#include "jsonx.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "xmalloc.h"

int
jsonx_utf8_valid(const char *buf, size_t len)
{
	const unsigned char	*s = (const unsigned char *)buf;
	size_t			 i = 0;

	while (i < len) {
		unsigned char	c = s[i];
		size_t		n, k;
		unsigned int	cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1; cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2; cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3; cp = c & 0x07;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/*
 * json-c's strict mode still takes 'single-quoted' strings and NaN or
 * Infinity. Outside strings JSON has no quote but '"' and no words but
 * true, false, null and a number's exponent: find anything else. Inside
 * strings, \u0000: no C string, text column or jsonb can hold a NUL.
 */
static int
jsonx_prescan(const char *buf, size_t len, size_t *at)
{
	size_t	i, n;
	int	in_string = 0;

	for (i = 0; i < len; i++) {
		char	c = buf[i];

		if (in_string) {
			if (c == '\\' && i + 5 < len &&
			    memcmp(buf + i + 1, "u0000", 5) == 0)
				goto bad;
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"') {
			in_string = 1;
			continue;
		}
		if (c == '\'')
			goto bad;
		if (!isalpha((unsigned char)c))
			continue;
		for (n = 0; i + n < len && isalpha((unsigned char)buf[i + n]); n++)
			;
		if (!((n == 4 && (memcmp(buf + i, "true", 4) == 0 ||
		    memcmp(buf + i, "null", 4) == 0)) ||
		    (n == 5 && memcmp(buf + i, "false", 5) == 0) ||
		    (n == 1 && (c == 'e' || c == 'E') && i > 0 &&
		    isdigit((unsigned char)buf[i - 1]))))
			goto bad;
		i += n - 1;
	}
	return 0;
bad:
	*at = i;
	return 1;
}

int
jsonx_parse(const char *buf, size_t len, int max_depth,
    struct json_object **out, char *err, size_t errlen)
{
	struct json_tokener	*tok;
	struct json_object	*obj = NULL;
	enum json_tokener_error	 jerr;
	size_t			 used;
	int			 rc = -1;

	*out = NULL;
	if (len == 0) {
		snprintf(err, errlen, "empty body");
		return -1;
	}
	if (len > (size_t)0x7fffffff) {
		snprintf(err, errlen, "body too large");
		return -1;
	}
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errlen, "NUL byte in body");
		return -1;
	}
	if (!jsonx_utf8_valid(buf, len)) {
		snprintf(err, errlen, "invalid UTF-8");
		return -1;
	}
	if (jsonx_prescan(buf, len, &used)) {
		snprintf(err, errlen, buf[used] == '\\' ? "\\u0000 (NUL) in a "
		    "string at byte %zu" : "unexpected character at byte %zu",
		    used);
		return -1;
	}
	if ((tok = json_tokener_new_ex(max_depth)) == NULL)
		fatal("out of memory creating a JSON tokener");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	used = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue && obj == NULL) {
		/* a bare number only ends at the end of input: say so */
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		used = len;
	}
	if (jerr == json_tokener_continue) {
		snprintf(err, errlen, "unexpected end of JSON");
		goto out;
	}
	if (jerr != json_tokener_success) {
		snprintf(err, errlen, "%s at byte %zu",
		    jerr == json_tokener_error_depth ? "nesting too deep" :
		    json_tokener_error_desc(jerr), json_tokener_get_parse_end(tok));
		goto out;
	}
	for (; used < len; used++) {
		if (strchr(" \t\r\n", buf[used]) == NULL) {
			snprintf(err, errlen, "trailing data at byte %zu", used);
			goto out;
		}
	}
	*out = obj;
	obj = NULL;
	rc = 0;
out:
	json_object_put(obj);
	json_tokener_free(tok);
	return rc;
}

const char *
jsonx_string(struct json_object *obj)
{
	return json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

char *
jsonx_strdup(struct json_object *obj)
{
	return xstrdup(jsonx_string(obj));
}

const char *
jsonx_get_str(struct json_object *obj, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

void
jsonx_add_str(struct json_object *obj, const char *key, const char *s)
{
	json_object_object_add(obj, key,
	    s != NULL ? json_object_new_string(s) : NULL);
}

void
jsonx_add_int(struct json_object *obj, const char *key, long long n)
{
	json_object_object_add(obj, key, json_object_new_int64(n));
}

void
jsonx_add_bool(struct json_object *obj, const char *key, int b)
{
	json_object_object_add(obj, key, json_object_new_boolean(b));
}
