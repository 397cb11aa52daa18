/* template: {{name}} placeholders, what is literal, what is missing. */
#include "template.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#define N16		"nnnnnnnnnnnnnnnn"
#define N64		N16 N16 N16 N16		/* TEMPLATE_NAME_MAX */

static const char *const vars[][2] = {
	{ "first_name", "Amal" },
	{ "x", "1" },
	{ "order.id", "A-17" },
	{ "a-b", "dash" },
	{ "empty", "" },
	{ "brace", "{{x}}" },
	{ "Arabic", "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85" },
	{ N64, "long" },
};

static int	lookups;

static const char *
lookup(void *arg, const char *name, size_t len)
{
	size_t	i;

	lookups++;
	for (i = 0; i < nitems(vars); i++) {
		if (strlen(vars[i][0]) == len &&
		    memcmp(vars[i][0], name, len) == 0)
			return vars[i][1];
	}
	return NULL;
}

static void
collect(void *arg, const char *name, size_t len)
{
	char	*s = arg;

	strncat(s, name, len);
	strcat(s, ",");
}

int
main(void)
{
	static const char *const cases[][2] = {
		{ "Hi {{first_name}}!", "Hi Amal!" },
		{ "Hi {{ first_name }}!", "Hi Amal!" },
		{ "Hi {{   first_name}}{{x   }}", "Hi Amal1" },
		{ "{{x}}{{x}}", "11" },
		{ "#{{order.id}} {{a-b}}", "#A-17 dash" },
		{ "[{{empty}}]", "[]" },
		{ "{{brace}}", "{{x}}" },		/* values are not expanded */
		{ "{{Arabic}} \xd9\x8a\xd8\xa7", "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85"
		  " \xd9\x8a\xd8\xa7" },
		{ "", "" },
		{ "no placeholders", "no placeholders" },
		/* literal: not a name, or never closed */
		{ "{{first name}}", "{{first name}}" },
		{ "{{}}", "{{}}" },
		{ "{{ }}", "{{ }}" },
		{ "{{x", "{{x" },
		{ "{{x}", "{{x}" },
		{ "{x}", "{x}" },
		{ "{ {x}}", "{ {x}}" },
		{ "{{x!}}", "{{x!}}" },
		{ "{{\tx}}", "{{\tx}}" },
		{ "}}{{", "}}{{" },
		{ "{", "{" },
		{ "{{", "{{" },
		{ "{{{x}}}", "{1}" },
		{ "{{ {{x}} }}", "{{ 1 }}" },
		{ "{{x}}{{", "1{{" },
		{ "{{" N64 "}}", "long" },
		{ "{{ " N64 " }}", "long" },
		{ "{{" N64 "n}}", "{{" N64 "n}}" },
	};
	char	missing[80], small[4], names[256], *s;
	size_t	i;
	int	n;

	for (i = 0; i < nitems(cases); i++) {
		memset(missing, 'x', sizeof missing);
		s = template_render(cases[i][0], lookup, NULL, 1024, missing,
		    sizeof missing);
		is_str(s, cases[i][1], cases[i][0]);
		is_str(missing, "", "nothing missing");
		free(s);
	}

	/* missing values */
	s = template_render("Hi {{first_name}}, {{ nobody }}!", lookup, NULL,
	    1024, missing, sizeof missing);
	ok(s == NULL, "a placeholder without a value fails");
	is_str(missing, "nobody", "and names it");
	s = template_render("{{nobody}}", lookup, NULL, 1024, small,
	    sizeof small);
	ok(s == NULL, "missing, small buffer");
	is_str(small, "nob", "the name is cut to fit");
	s = template_render("{{nobody}}", lookup, NULL, 1024, NULL, 0);
	ok(s == NULL, "missing, no buffer");
	s = template_render("{{m" N16 N16 N16 "nnnnnnnnnnnnnnn}}", lookup, NULL,
	    1024, missing, sizeof missing);
	ok(s == NULL, "a 64-character name is looked up");
	is_str(missing, "m" N16 N16 N16 "nnnnnnnnnnnnnnn", "and named whole");

	/* out_max bounds the result */
	s = template_render("Hi {{first_name}}!", lookup, NULL, 8, missing,
	    sizeof missing);
	is_str(s, "Hi Amal!", "exactly out_max bytes");
	free(s);
	strcpy(missing, "stale");
	s = template_render("Hi {{first_name}}!", lookup, NULL, 7, missing,
	    sizeof missing);
	ok(s == NULL, "one byte over out_max");
	is_str(missing, "", "too long: missing is empty");
	s = template_render("Hi {{first_name}}", lookup, NULL, 5, missing,
	    sizeof missing);
	ok(s == NULL, "a value over out_max");
	is_str(missing, "", "too long: missing is empty");
	s = template_render("", lookup, NULL, 0, missing, sizeof missing);
	is_str(s, "", "an empty template fits out_max 0");
	free(s);
	s = template_render("{{empty}}", lookup, NULL, 0, missing,
	    sizeof missing);
	is_str(s, "", "so does an empty value");
	free(s);

	/* names, each once, in order */
	names[0] = '\0';
	lookups = 0;
	n = template_names("{{b}} {{ a }} {{b}}{{c}} {{a}} {{bad name}} "
	    "{{d", collect, names);
	is_int(n, 3, "three distinct names");
	is_str(names, "b,a,c,", "in order of first appearance");
	is_int(lookups, 0, "template_names looks nothing up");
	is_int(template_names("", collect, names), 0, "an empty template");
	is_int(template_names("{{x}}{{ x }}{{x }}", NULL, NULL), 1,
	    "spaces make no other name");
	names[0] = '\0';
	is_int(template_names("{{{x}}}{{x.y}}{{x-y}}", collect, names), 3,
	    "names with . and -");
	is_str(names, "x,x.y,x-y,", "all of them");
	return tap_done();
}
