/* textnorm: what people type, folded for matching. */
#include "textnorm.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* Arabic, UTF-8 */
#define ALEF		"\xd8\xa7"	/* U+0627 */
#define LAM		"\xd9\x84"
#define GHAIN		"\xd8\xba"
#define HAMZA		"\xd8\xa1"
#define YEH		"\xd9\x8a"
#define WAW		"\xd9\x88"
#define HEH		"\xd9\x87"
#define KAF		"\xd9\x83"
#define MEEM		"\xd9\x85"
#define NOON		"\xd9\x86"
#define SEEN		"\xd8\xb3"
#define AIN		"\xd8\xb9"
#define TATWEEL		"\xd9\x80"
#define CANCEL		ALEF LAM GHAIN ALEF HAMZA	/* "cancel", folded */

static char *
fold(const char *s)
{
	return textnorm_fold(s, strlen(s));
}

int
main(void)
{
	static const char *const cases[][2] = {
		{ "  STOP! ", "stop" },
		{ "stop", "stop" },
		{ "UNSUBSCRIBE", "unsubscribe" },
		{ "Stop.", "stop" },
		{ "\"stop\"", "stop" },
		{ "Hello,   World!!", "hello world" },
		{ "a\tb\r\nc", "a b c" },
		{ "a\xc2\xa0\xc2\xa0" "b\xe2\x80\xaf" "c", "a b c" },
		{ "first_name", "first name" },
		{ "a - b", "a b" },
		{ "$100 + 5", "$100 + 5" },		/* symbols stay */
		{ "", "" },
		{ "!!! ... ???", "" },
		{ "Stra\xc3\x9f" "e", "strasse" },
		{ "CAF\xc3\x89", "cafe" },			/* accents folded */
		{ "CAFE\xcc\x81", "cafe" },
		{ "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e", "creme brulee" },
		{ "\xc3\x91" "and\xc3\xba", "nandu" },
		{ "\xc3\x85ngstr\xc3\xb6m", "angstrom" },
		{ "\xef\xbc\xb3\xef\xbc\xb4\xef\xbc\xaf\xef\xbc\xb0", "stop" },
		{ "a\xe2\x80\x8c" "b", "ab" },		/* ZWNJ ignorable */
		{ "stop \xf0\x9f\x9b\x91", "stop \xf0\x9f\x9b\x91" },
		/* one word, four ways */
		{ "\xd8\xa5" LAM GHAIN ALEF HAMZA, CANCEL },
		{ ALEF LAM GHAIN ALEF HAMZA, CANCEL },
		{ ALEF LAM TATWEEL GHAIN TATWEEL ALEF HAMZA, CANCEL },
		{ "\xd8\xa5\xd9\x90" LAM "\xd9\x92" GHAIN "\xd9\x8e" ALEF HAMZA,
		  CANCEL },
		{ "  " CANCEL "\xd8\x9f", CANCEL },		/* Arabic ? */
		{ "\xd8\xa3" LAM GHAIN ALEF HAMZA, CANCEL },
		{ "\xd8\xa2" LAM GHAIN ALEF HAMZA, CANCEL },
		{ "\xd9\xb1" LAM GHAIN ALEF HAMZA, CANCEL },
		{ ALEF "\xd9\x94" LAM GHAIN ALEF HAMZA, CANCEL },	/* + hamza */
		{ ALEF "\xd9\xb0" LAM GHAIN ALEF HAMZA, CANCEL },
		{ ALEF "\xdb\x96" LAM GHAIN ALEF HAMZA, CANCEL },
		{ ALEF "\xd8\x90" LAM GHAIN ALEF HAMZA, CANCEL },
		{ CANCEL "\xd8\x8c " CANCEL, CANCEL " " CANCEL },
		/* letters written more than one way */
		{ MEEM "\xd8\xaf\xd8\xb1" SEEN "\xd8\xa9",
		  MEEM "\xd8\xaf\xd8\xb1" SEEN HEH },		/* teh marbuta */
		{ AIN LAM "\xd9\x89", AIN LAM YEH },		/* alef maqsura */
		{ AIN LAM "\xdb\x8c", AIN LAM YEH },		/* Farsi yeh */
		{ "\xda\xa9" "\xd8\xaa\xd8\xa7\xd8\xa8", KAF "\xd8\xaa\xd8\xa7\xd8\xa8" },
		{ MEEM "\xd8\xa4" MEEM NOON, MEEM WAW MEEM NOON },
		{ SEEN ALEF "\xd8\xa6" LAM, SEEN ALEF YEH LAM },
		{ "\xd9\xb2\xd9\xb3", ALEF ALEF },
		{ "\xef\xbb\xbb", LAM ALEF },		/* the lam-alef ligature */
		/* digits */
		{ "\xd9\xa1\xd9\xa2\xd9\xa3", "123" },
		{ "\xd9\xa0\xd9\xa9", "09" },
		{ "\xdb\xb1\xdb\xb2\xdb\xb3", "123" },
		{ "\xdb\xb0\xdb\xb9", "09" },
		{ "\xef\xbc\x91\xef\xbc\x92", "12" },		/* fullwidth */
		{ TATWEEL, "" },
		{ " " TATWEEL " x", "x" },
	};
	static const char *const invalid[] = {
		"\xff", "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82",
		"\xf4\x90\x80\x80", "stop\xf0\x9f\x98", "\xf8\x88\x80\x80\x80",
		"ab\xc3",
	};
	char	*a, *b, name[96];
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		a = fold(cases[i][0]);
		snprintf(name, sizeof name, "case %zu", i);
		is_str(a, cases[i][1], name);
		b = a != NULL ? fold(a) : NULL;
		snprintf(name, sizeof name, "case %zu folds to itself", i);
		is_str(b, cases[i][1], name);
		free(a);
		free(b);
	}
	for (i = 0; i < nitems(invalid); i++) {
		snprintf(name, sizeof name, "invalid UTF-8 %zu is NULL", i);
		ok(fold(invalid[i]) == NULL, name);
	}
	ok(textnorm_fold("a\0b", 3) == NULL, "an embedded NUL is NULL");
	ok(textnorm_fold("\0", 1) == NULL, "a lone NUL is NULL");
	a = textnorm_fold("stopped", 4);
	is_str(a, "stop", "only len bytes are read");
	free(a);
	a = textnorm_fold(NULL, 0);
	is_str(a, "", "nothing folds to nothing");
	free(a);
	return tap_done();
}
