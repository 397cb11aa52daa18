#include "jsonx.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
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
 * strings, note a \u0000 (*nul): jsonx_nul_path names its place once the
 * text has parsed.
 */
static int
jsonx_prescan(const char *buf, size_t len, size_t *at, int *nul)
{
	size_t	i, n;
	int	in_string = 0;

	*nul = 0;
	for (i = 0; i < len; i++) {
		char	c = buf[i];

		if (in_string) {
			if (c == '\\' && i + 5 < len &&
			    memcmp(buf + i + 1, "u0000", 5) == 0)
				*nul = 1;
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

/* One open object or array on the way to a \u0000. */
struct jsonx_frame {
	int	array;
	int	want_key;	/* object: the next string is a member's key */
	size_t	key, keylen;	/* object: the current key, as written in buf */
	size_t	index;		/* array: the current element */
};

/*
 * Appends s[0..n) to path, with a '.' first unless path is empty. What
 * does not fit is cut at a character boundary and marked "...". 0 or -1
 * (full).
 */
static int
jsonx_path_add(char *path, size_t pathlen, const char *s, size_t n)
{
	size_t	used = strlen(path), room;

	room = pathlen - used - 1;
	if (used > 0 && room > 0) {
		path[used++] = '.';
		room--;
	}
	if (n + 3 <= room) {
		memcpy(path + used, s, n);
		path[used + n] = '\0';
		return 0;
	}
	n = room >= 3 ? room - 3 : 0;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(path + used, s, n);
	snprintf(path + used + n, pathlen - used - n, "...");
	return -1;
}

/*
 * The path of the first string or key that holds \u0000, as validation's
 * details name fields: members by their key as written (escapes kept, so
 * a key's own NUL shows as \u0000), array elements by index, joined by
 * '.' ("config.x", "items.3"); "" for the top-level value. json-c cuts keys
 * at a NUL, so the place is read from the text, not the tree. buf has
 * parsed, so its grammar holds and its nesting is within the parser's cap;
 * frames deeper than the stack are counted but not named.
 */
static void
jsonx_nul_path(const char *buf, size_t len, char *path, size_t pathlen)
{
	struct jsonx_frame	 st[JSONX_MAX_DEPTH + 1], *f;
	size_t			 depth = 0, i, k, start;
	char			 num[24];
	int			 nul;

	path[0] = '\0';
	for (i = 0; i < len; i++) {
		f = depth > 0 && depth <= nitems(st) ? &st[depth - 1] : NULL;
		switch (buf[i]) {
		case '{':
		case '[':
			if (depth < nitems(st))
				st[depth] = (struct jsonx_frame){
				    .array = buf[i] == '[',
				    .want_key = buf[i] == '{' };
			depth++;
			break;
		case '}':
		case ']':
			depth--;
			break;
		case ',':
			if (f != NULL && f->array)
				f->index++;
			else if (f != NULL)
				f->want_key = 1;
			break;
		case '"':
			for (start = ++i, nul = 0; i < len && buf[i] != '"'; i++) {
				if (buf[i] != '\\')
					continue;
				nul |= i + 5 < len &&
				    memcmp(buf + i + 1, "u0000", 5) == 0;
				i++;
			}
			if (f != NULL && !f->array && f->want_key) {
				f->key = start;
				f->keylen = i - start;
				f->want_key = 0;
			}
			if (!nul)
				break;
			for (k = 0; k < depth && k < nitems(st); k++) {
				if (st[k].array)
					snprintf(num, sizeof num, "%zu",
					    st[k].index);
				if (jsonx_path_add(path, pathlen, st[k].array ?
				    num : buf + st[k].key, st[k].array ?
				    strlen(num) : st[k].keylen) == -1)
					return;
			}
			if (depth > nitems(st))
				(void)jsonx_path_add(path, pathlen, "...", 3);
			return;
		}
	}
}

int
jsonx_parse_ex(const char *buf, size_t len, int max_depth,
    struct json_object **out, struct jsonx_error *e)
{
	struct json_tokener	*tok = NULL;
	struct json_object	*obj = NULL;
	enum json_tokener_error	 jerr;
	size_t			 used;
	int			 nul, rc = -1;

	*out = NULL;
	e->reason[0] = e->field[0] = '\0';
	if (len == 0) {
		snprintf(e->reason, sizeof e->reason, "empty body");
		goto out;
	}
	if (len > (size_t)0x7fffffff) {
		snprintf(e->reason, sizeof e->reason, "body too large");
		goto out;
	}
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(e->reason, sizeof e->reason, "NUL byte in body");
		goto out;
	}
	if (!jsonx_utf8_valid(buf, len)) {
		snprintf(e->reason, sizeof e->reason, "invalid UTF-8");
		goto out;
	}
	if (jsonx_prescan(buf, len, &used, &nul)) {
		snprintf(e->reason, sizeof e->reason,
		    "unexpected character at byte %zu", used);
		goto out;
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
		snprintf(e->reason, sizeof e->reason, "unexpected end of JSON");
		goto out;
	}
	if (jerr != json_tokener_success) {
		snprintf(e->reason, sizeof e->reason, "%s at byte %zu",
		    jerr == json_tokener_error_depth ? "nesting too deep" :
		    json_tokener_error_desc(jerr), json_tokener_get_parse_end(tok));
		goto out;
	}
	for (; used < len; used++) {
		if (strchr(" \t\r\n", buf[used]) == NULL) {
			snprintf(e->reason, sizeof e->reason,
			    "trailing data at byte %zu", used);
			goto out;
		}
	}
	if (nul) {
		jsonx_nul_path(buf, len, e->field, sizeof e->field);
		snprintf(e->reason, sizeof e->reason, "%s%s\\u0000 (NUL) is "
		    "not allowed", e->field, e->field[0] != '\0' ? ": " : "");
		goto out;
	}
	*out = obj;
	obj = NULL;
	rc = 0;
out:
	json_object_put(obj);
	if (tok != NULL)
		json_tokener_free(tok);
	return rc;
}

int
jsonx_parse(const char *buf, size_t len, int max_depth,
    struct json_object **out, char *err, size_t errlen)
{
	struct jsonx_error	e;

	if (jsonx_parse_ex(buf, len, max_depth, out, &e) == 0)
		return 0;
	snprintf(err, errlen, "%s", e.reason);
	return -1;
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
