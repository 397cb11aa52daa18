/* Strict JSON parsing of outside input. */
#include <string.h>

#include "jsonx.h"
#include "tap.h"

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
