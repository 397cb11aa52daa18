/* Strict JSON parsing of outside input. */
#include <string.h>

#include "jsonx.h"
#include "tap.h"
#include "util.h"

static int
parses(const char *s, size_t len)
{
	struct json_object	*o;
	char			 err[128];
	int			 rc = jsonx_parse(s, len, JSONX_MAX_DEPTH, &o, err,
	    sizeof err);

	json_object_put(o);
	return rc == 0;
}

#define P(s) parses((s), sizeof(s) - 1)

/* Where a \u0000 is reported: the field's path, and the reason naming it. */
static const struct {
	const char	*text, *field, *reason, *name;
} nuls[] = {
	{ "{\"config\":{\"x\":\"a\\u0000b\"}}", "config.x",
	    "config.x: \\u0000 (NUL) is not allowed", "a nested member" },
	{ "{\"items\":[\"a\",\"b\",\"c\",\"x\\u0000\"]}", "items.3",
	    "items.3: \\u0000 (NUL) is not allowed", "an array element" },
	{ "{\"na\\u0000me\":1}", "na\\u0000me",
	    "na\\u0000me: \\u0000 (NUL) is not allowed", "a key, as written" },
	{ "{\"a\":{\"b\\u0000\":{\"c\":1}}}", "a.b\\u0000", NULL,
	    "a nested key" },
	{ "{\"a\":[{\"x\":1},{\"y\":[1,\"\\u0000\"]}]}", "a.1.y.1", NULL,
	    "objects in arrays in objects" },
	{ "{\"a\":[],\"b\":{},\"c\":[[],[\"\\u0000\"]]}", "c.1.0", NULL,
	    "empty containers before it" },
	{ "{\"b\":\"\\u0000\",\"a\":\"\\u0000\"}", "b", NULL,
	    "the first in the text" },
	{ "{\"k\":\"\\\\u0000\",\"m\":\"\\u0000\"}", "m", NULL,
	    "an escaped backslash before u0000 is not one" },
	{ "{\"q\\\"\":{\"z,\":\"\\u0000\"}}", "q\\\".z,", NULL,
	    "quotes and commas inside keys" },
	{ "[\"\\u0000\"]", "0", NULL, "a top-level array" },
	{ " \"\\u0000\" ", "", "\\u0000 (NUL) is not allowed",
	    "a bare string has no path" },
};

/* Paths past the field's size or the frame stack are cut, as UTF-8. */
static void
nul_limits(void)
{
	struct json_object	*o;
	struct jsonx_error	 e;
	char			 text[1024];
	size_t			 i, n = 0;

	n += (size_t)snprintf(text + n, sizeof text - n, "{\"");
	for (i = 0; i < 200; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "\xc3\xa9");
	snprintf(text + n, sizeof text - n, "\":\"\\u0000\"}");
	ok(jsonx_parse_ex(text, strlen(text), JSONX_MAX_DEPTH, &o, &e) == -1,
	    "a long key with \\u0000 is refused");
	ok(strlen(e.field) < sizeof e.field && strlen(e.field) > 100 &&
	    strcmp(e.field + strlen(e.field) - 3, "...") == 0 &&
	    jsonx_utf8_valid(e.field, strlen(e.field)),
	    "its path is cut at a character, marked ...");
	ok(jsonx_parse_ex("{\"a\":\"b\\u0000\",}", 16, JSONX_MAX_DEPTH, &o,
	    &e) == -1 && e.field[0] == '\0' && strstr(e.reason, "byte") != NULL,
	    "a text that does not parse is a syntax error, whatever it holds");

	for (i = n = 0; i < JSONX_MAX_DEPTH + 3; i++)
		text[n++] = '[';
	memcpy(text + n, "\"\\u0000\"", 8);
	n += 8;
	for (i = 0; i < JSONX_MAX_DEPTH + 3; i++)
		text[n++] = ']';
	ok(jsonx_parse_ex(text, n, JSONX_MAX_DEPTH + 8, &o, &e) == -1 &&
	    strncmp(e.field, "0.0.0.", 6) == 0 &&
	    strcmp(e.field + strlen(e.field) - 6, ".0....") == 0,
	    "frames past the stack are marked ...");
}

int
main(void)
{
	struct json_object	*o;
	char			 err[128], deep[200];
	size_t			 i;

	ok(P("{\"a\":1}"), "object");
	ok(P("[1,2,3]"), "array");
	ok(P("42"), "a bare number");
	ok(P("\"x\""), "a bare string");
	ok(P("  {\"a\":1}\n"), "surrounding whitespace");
	ok(P("{\"s\":\"\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85\"}"), "Arabic UTF-8");
	ok(P("{\"e\":\"\xf0\x9f\x98\x80\"}"), "4-byte UTF-8");
	ok(!P(""), "empty");
	ok(!P("{"), "truncated object");
	ok(!P("{\"a\":1}x"), "trailing garbage");
	ok(!P("{\"a\":\"Hi\\u0000\\u001b[2J\"}"), "\\u0000 in a string");
	ok(!P("{\"a\\u0000\":1}"), "\\u0000 in a key");
	ok(P("{\"a\":\"\\\\u0000\"}"), "an escaped backslash before u0000 is text");
	ok(P("{\"a\":\"\\u0001\"}"), "other escaped controls parse");
	ok(!P("{\"a\":1}{}"), "two values");
	ok(!P("{'a':1}"), "single quotes (strict)");
	ok(!P("{\"a\":1,}"), "trailing comma (strict)");
	ok(!P("[1,2,]"), "trailing comma in array");
	ok(!P("{a:1}"), "unquoted key");
	ok(!P("{\"a\":\"\xff\"}"), "invalid UTF-8 byte");
	ok(!P("{\"a\":\"\xc0\xaf\"}"), "overlong UTF-8");
	ok(!P("{\"a\":\"\xed\xa0\x80\"}"), "UTF-8 surrogate");
	ok(!P("{\"a\":\"\xe2\x82\"}"), "cut UTF-8 sequence");
	ok(!parses("{\"a\":\"\0\"}", 9), "NUL byte");
	ok(!P("NaN"), "NaN");
	ok(!P("[Infinity]"), "Infinity");
	ok(!P("[nan]"), "nan");
	ok(!P("[truex]"), "a word that starts like true");
	ok(P("[1e5,2E-3,true,false,null,\"NaN it's\"]"), "exponents and words");

	for (i = 0; i < nitems(nuls); i++) {
		struct jsonx_error	e;

		ok(jsonx_parse_ex(nuls[i].text, strlen(nuls[i].text),
		    JSONX_MAX_DEPTH, &o, &e) == -1 && o == NULL, nuls[i].name);
		is_str(e.field, nuls[i].field, nuls[i].name);
		if (nuls[i].reason != NULL)
			is_str(e.reason, nuls[i].reason, nuls[i].name);
	}
	nul_limits();

	for (i = 0; i < 40; i++)
		deep[i] = '[';
	for (; i < 80; i++)
		deep[i] = ']';
	ok(!parses(deep, 80), "nesting beyond the cap");
	ok(parses(deep + 10, 60), "nesting at 30 levels");

	ok(jsonx_parse("{\"a\":\"b\"}", 9, JSONX_MAX_DEPTH, &o, err,
	    sizeof err) == 0, "parse for access");
	is_str(jsonx_get_str(o, "a"), "b", "string member");
	ok(jsonx_get_str(o, "missing") == NULL, "absent member");
	json_object_put(o);
	ok(jsonx_parse("{\"a\":1}x", 8, JSONX_MAX_DEPTH, &o, err,
	    sizeof err) == -1 && o == NULL, "no object on error");
	ok(strstr(err, "byte 7") != NULL, "error gives the position");

	o = json_object_new_object();
	jsonx_add_str(o, "u", "http://x/y");
	is_str(jsonx_string(o), "{\"u\":\"http://x/y\"}", "slashes not escaped");
	json_object_put(o);
	return tap_done();
}
