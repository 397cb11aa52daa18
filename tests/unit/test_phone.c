/* phone: E.164 digits from what people type, or the reason why not. */
#include "phone.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

struct phone_case {
	const char		*in;
	size_t			 len;		/* 0: strlen(in) */
	const char		*cc;
	enum phone_error	 want;
	const char		*out;
};

int
main(void)
{
	static const struct phone_case cases[] = {
		/* international, written in every usual way */
		{ "+966 50 123 4567", 0, "966", PHONE_OK, "966501234567" },
		{ "+966501234567", 0, NULL, PHONE_OK, "966501234567" },
		{ "00966501234567", 0, NULL, PHONE_OK, "966501234567" },
		{ "00 966 (50) 123-4567", 0, "44", PHONE_OK, "966501234567" },
		{ "(+966) 50.123.4567", 0, NULL, PHONE_OK, "966501234567" },
		{ "+1 (415) 555-2671", 0, "966", PHONE_OK, "14155552671" },
		{ "\t+44/20/7946/0958\t", 0, NULL, PHONE_OK, "442079460958" },
		/* national: the trunk 0 gives way to the default code */
		{ "0501234567", 0, "966", PHONE_OK, "966501234567" },
		{ "050 123 4567", 0, "966", PHONE_OK, "966501234567" },
		{ "020 7946 0958", 0, "44", PHONE_OK, "442079460958" },
		{ "0501234567", 0, NULL, PHONE_NO_COUNTRY, "" },
		{ "0501234567", 0, "", PHONE_NO_COUNTRY, "" },
		/* an invalid default code is none */
		{ "0501234567", 0, "9666", PHONE_NO_COUNTRY, "" },
		{ "0501234567", 0, "096", PHONE_NO_COUNTRY, "" },
		{ "0501234567", 0, "9a", PHONE_NO_COUNTRY, "" },
		/* no trunk 0: short and without the code is national */
		{ "501234567", 0, "966", PHONE_OK, "966501234567" },
		{ "4155552671", 0, "1", PHONE_OK, "14155552671" },
		{ "1415555267", 0, "1", PHONE_OK, "1415555267" },
		{ "966501234", 0, "966", PHONE_OK, "966501234" },
		{ "966501234567", 0, "966", PHONE_OK, "966501234567" },
		{ "14155552671", 0, "966", PHONE_OK, "14155552671" },
		{ "501234567", 0, NULL, PHONE_OK, "501234567" },
		{ "12345678", 0, "", PHONE_OK, "12345678" },
		/* Arabic-Indic and Extended Arabic-Indic digits */
		{ "\xd9\xa0\xd9\xa5\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4"
		  "\xd9\xa5\xd9\xa6\xd9\xa7", 0, "966", PHONE_OK,
		  "966501234567" },
		{ "+\xd9\xa9\xd9\xa6\xd9\xa6 \xd9\xa5\xd9\xa0 \xd9\xa1\xd9\xa2"
		  "\xd9\xa3 \xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9",
		  0, NULL, PHONE_OK, "96650123456789" },
		{ "\xdb\xb0\xdb\xb9\xdb\xb1\xdb\xb2 \xdb\xb3\xdb\xb4\xdb\xb5 "
		  "\xdb\xb6\xdb\xb7\xdb\xb8\xdb\xb9", 0, "98", PHONE_OK,
		  "989123456789" },
		{ "05\xd9\xa0-123-45\xdb\xb6\xdb\xb7", 0, "966", PHONE_OK,
		  "966501234567" },
		/* no-break spaces */
		{ "+966\xc2\xa0" "50\xc2\xa0" "123\xe2\x80\xaf" "4567", 0, NULL,
		  PHONE_OK, "966501234567" },
		/* what no phone number has */
		{ "050123456a", 0, "966", PHONE_BAD_CHAR, "" },
		{ "+966+501234567", 0, NULL, PHONE_BAD_CHAR, "" },
		{ "966+501234567", 0, NULL, PHONE_BAD_CHAR, "" },
		{ "++966501234567", 0, NULL, PHONE_BAD_CHAR, "" },
		{ "+966 50 123 4567 ext 1", 0, NULL, PHONE_BAD_CHAR, "" },
		{ "0501234567#", 0, "966", PHONE_BAD_CHAR, "" },
		{ "0501234567\xc2", 0, "966", PHONE_BAD_CHAR, "" },
		{ "0501234567\xe2\x80", 0, "966", PHONE_BAD_CHAR, "" },
		{ "050\xe2\x80\x89" "1234567", 0, "966", PHONE_BAD_CHAR, "" },
		{ "050\xd9\xaa" "1234567", 0, "966", PHONE_BAD_CHAR, "" },
		{ "050\xd9", 0, "966", PHONE_BAD_CHAR, "" },
		{ "\xd9\xa9\xd9", 0, "966", PHONE_BAD_CHAR, "" },
		{ "050\0" "1234567", 11, "966", PHONE_BAD_CHAR, "" },
		{ "0501234567\n", 0, "966", PHONE_BAD_CHAR, "" },
		/* nothing but separators */
		{ "", 0, "966", PHONE_EMPTY, "" },
		{ "  - ( ) ", 0, "966", PHONE_EMPTY, "" },
		{ "\xc2\xa0\xe2\x80\xaf", 0, "966", PHONE_EMPTY, "" },
		{ "+", 0, "966", PHONE_EMPTY, "" },
		/* length */
		{ "+1234567", 0, NULL, PHONE_TOO_SHORT, "" },
		{ "+12345678", 0, NULL, PHONE_OK, "12345678" },
		{ "+123456789012345", 0, NULL, PHONE_OK, "123456789012345" },
		{ "+1234567890123456", 0, NULL, PHONE_TOO_LONG, "" },
		{ "00123456789012345", 0, NULL, PHONE_OK, "123456789012345" },
		{ "001234567890123456", 0, NULL, PHONE_TOO_LONG, "" },
		{ "00", 0, "966", PHONE_TOO_SHORT, "" },
		{ "0", 0, "966", PHONE_TOO_SHORT, "" },
		{ "0123", 0, "966", PHONE_TOO_SHORT, "" },
		{ "01234", 0, "966", PHONE_TOO_SHORT, "" },
		{ "012345678901", 0, "966", PHONE_OK, "96612345678901" },
		{ "0123456789012", 0, "966", PHONE_OK, "966123456789012" },
		{ "01234567890123", 0, "966", PHONE_TOO_LONG, "" },
		{ "1234567", 0, "", PHONE_TOO_SHORT, "" },
		{ "1234567890123456789012345678901234567890", 0, "966",
		  PHONE_TOO_LONG, "" },
	};
	static const char *const cc_good[] = { "1", "7", "44", "966", "998" };
	static const char *const cc_bad[] = { "", "0", "09", "9666", "9a",
	    "+966", " 1", "12 " };
	char	out[PHONE_LEN], name[160];
	size_t	i;
	int	e;

	for (i = 0; i < nitems(cases); i++) {
		const struct phone_case	*c = &cases[i];
		size_t			 len = c->len ? c->len : strlen(c->in);
		enum phone_error	 got;

		memset(out, 'x', sizeof out);
		got = phone_normalise(c->in, len, c->cc, out);
		snprintf(name, sizeof name, "case %zu (cc %s): %s", i,
		    c->cc ? c->cc : "none", phone_strerror(c->want));
		is_int(got, c->want, name);
		snprintf(name, sizeof name, "case %zu gives \"%s\"", i, c->out);
		is_str(out, c->out, name);
	}

	for (i = 0; i < nitems(cc_good); i++)
		ok(phone_cc_valid(cc_good[i]), cc_good[i]);
	for (i = 0; i < nitems(cc_bad); i++) {
		snprintf(name, sizeof name, "not a code: \"%s\"", cc_bad[i]);
		ok(!phone_cc_valid(cc_bad[i]), name);
	}
	ok(!phone_cc_valid(NULL), "NULL is no code");

	is_str(phone_strerror(PHONE_TOO_SHORT), "has too few digits",
	    "strerror names the reason");
	for (e = PHONE_OK; e <= PHONE_NO_COUNTRY + 1; e++)
		ok(phone_strerror((enum phone_error)e) != NULL &&
		    phone_strerror((enum phone_error)e)[0] != '\0',
		    "strerror is never NULL");
	return tap_done();
}
