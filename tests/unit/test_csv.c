/*
 * csv: records, lines and errors the same however the input is cut; the
 * writer; and strbuf, which both use.
 */
#include "csv.h"
#include "strbuf.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

struct csv_case {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	char		 delim;
	int		 fields_max;
	size_t		 record_max;
	const char	*want;		/* as csv_show writes it */
	char		 want_delim;
};

struct show {
	struct strbuf	 sb;
	int		 n;
	int		 stop_at;	/* the callback stops after so many */
};

static const char *const error_names[] = {
	[CSV_OK] = "ok",
	[CSV_TOO_MANY_FIELDS] = "too_many",
	[CSV_TOO_LONG] = "too_long",
	[CSV_BAD_QUOTE] = "bad_quote",
	[CSV_UNTERMINATED] = "unterminated",
};

/* "line:[field][field]\n", or "line!error\n"; \n \r and NUL escaped. */
static int
csv_show(void *arg, const struct csv_record *r)
{
	struct show	*sh = arg;
	int		 i;
	size_t		 k;

	if (r->error != CSV_OK) {
		strbuf_addf(&sh->sb, "%ld!%s%s\n", r->line,
		    error_names[r->error], r->nfields != 0 ? "+fields" : "");
	} else {
		strbuf_addf(&sh->sb, "%ld:", r->line);
		for (i = 0; i < r->nfields; i++) {
			strbuf_addch(&sh->sb, '[');
			for (k = 0; k < r->lens[i]; k++) {
				char	c = r->fields[i][k];

				if (c == '\n')
					strbuf_addstr(&sh->sb, "\\n");
				else if (c == '\r')
					strbuf_addstr(&sh->sb, "\\r");
				else if (c == '\0')
					strbuf_addstr(&sh->sb, "\\0");
				else
					strbuf_addch(&sh->sb, c);
			}
			if (r->fields[i][r->lens[i]] != '\0')
				strbuf_addstr(&sh->sb, "<no NUL>");
			strbuf_addch(&sh->sb, ']');
		}
		strbuf_addch(&sh->sb, '\n');
	}
	if (++sh->n == sh->stop_at)
		return 7;
	return 0;
}

static unsigned int	rng = 12345;

static size_t
rnd(size_t n)
{
	rng = rng * 1103515245 + 12345;
	return (rng >> 16) % n;
}

/*
 * Reads in whole (how 0), a byte at a time (1), or in random chunks (2);
 * what the callback saw, with the delimiter, as a new string.
 */
static char *
parse(const struct csv_case *c, int how)
{
	struct show	 sh;
	struct csv	*csv;
	size_t		 len = c->len ? c->len : strlen(c->in), at = 0, n;
	int		 rc = 0;

	memset(&sh, 0, sizeof sh);
	csv = csv_new(csv_show, &sh, c->delim, c->fields_max, c->record_max);
	while (at < len && rc == 0) {
		n = how == 0 ? len : how == 1 ? 1 : 1 + rnd(7);
		if (n > len - at)
			n = len - at;
		rc = csv_feed(csv, c->in + at, n);
		at += n;
	}
	if (rc == 0)
		rc = csv_finish(csv);
	if (rc != 0)
		strbuf_addf(&sh.sb, "rc %d\n", rc);
	strbuf_addf(&sh.sb, "delim %02x", (unsigned char)csv_delimiter(csv));
	csv_free(csv);
	return strbuf_detach(&sh.sb);
}

static void
test_reader(void)
{
	static const struct csv_case cases[] = {
		{ "a,b,c\n1,2,3\n", 0, ',', 8, 64,
		  "1:[a][b][c]\n2:[1][2][3]\n", ',' },
		{ "a,b\nc,d", 0, ',', 8, 64, "1:[a][b]\n2:[c][d]\n", ',' },
		{ "a,b\r\nc,d\r\n", 0, ',', 8, 64, "1:[a][b]\n2:[c][d]\n", ',' },
		{ "a\rb\rc", 0, ',', 8, 64, "1:[a]\n2:[b]\n3:[c]\n", ',' },
		{ "a\r\r\nb", 0, ',', 8, 64, "1:[a]\n3:[b]\n", ',' },
		{ "a\n\rb", 0, ',', 8, 64, "1:[a]\n3:[b]\n", ',' },
		{ "\n\na\n\n\r\n\rb\n", 0, ',', 8, 64, "3:[a]\n7:[b]\n", ',' },
		{ "\r\n\r\n", 0, ',', 8, 64, "", ',' },
		{ "", 0, ',', 8, 64, "", ',' },
		{ " a , b ", 0, ',', 8, 64, "1:[ a ][ b ]\n", ',' },
		/* quotes */
		{ "\"x\ny\",z\nw\n", 0, ',', 8, 64,
		  "1:[x\\ny][z]\n3:[w]\n", ',' },
		{ "\"x\r\ny\",z\r\nw\r\n", 0, ',', 8, 64,
		  "1:[x\\r\\ny][z]\n3:[w]\n", ',' },
		{ "\"x\ry\"\rw", 0, ',', 8, 64, "1:[x\\ry]\n3:[w]\n", ',' },
		{ "\"\n\n\"\n\"\"", 0, ',', 8, 64, "1:[\\n\\n]\n4:[]\n", ',' },
		{ "\"a\"\"b\",\"\"\n", 0, ',', 8, 64, "1:[a\"b][]\n", ',' },
		{ "\"\"\"\"\n\"a,b\"", 0, ',', 8, 64, "1:[\"]\n2:[a,b]\n", ',' },
		{ "\"a\"", 0, ',', 8, 64, "1:[a]\n", ',' },
		{ ",,\na,\n,a", 0, ',', 8, 64,
		  "1:[][][]\n2:[a][]\n3:[][a]\n", ',' },
		{ "a\0b,c\n", 6, ',', 8, 64, "1:[a\\0b][c]\n", ',' },
		/* the byte-order mark, only whole and at the start */
		{ "\xef\xbb\xbf" "a,b\n", 0, ',', 8, 64, "1:[a][b]\n", ',' },
		{ "\xef\xbb\xbf", 0, ',', 8, 64, "", ',' },
		{ "\xef\xbb\xbf\xef\xbb\xbf" "a", 0, ',', 8, 64,
		  "1:[\xef\xbb\xbf" "a]\n", ',' },
		{ "\xef\xbbz\n", 0, ',', 8, 64, "1:[\xef\xbbz]\n", ',' },
		{ "\xef\xbb", 0, ',', 8, 64, "1:[\xef\xbb]\n", ',' },
		{ "x\n\xef\xbb\xbfy", 0, ',', 8, 64,
		  "1:[x]\n2:[\xef\xbb\xbfy]\n", ',' },
		{ "\xef\xbb\xbf\n\"a\"", 0, ',', 8, 64, "2:[a]\n", ',' },
		/* bad quotes: the record is skipped, the next one read */
		{ "ab\"c,d\ne,f\n", 0, ',', 8, 64,
		  "1!bad_quote\n2:[e][f]\n", ',' },
		{ "\"ab\"c,d\ne\n", 0, ',', 8, 64, "1!bad_quote\n2:[e]\n", ',' },
		{ " \"a\"\nb", 0, ',', 8, 64, "1!bad_quote\n2:[b]\n", ',' },
		{ "a\"b,\"x\ny\"\nz\n", 0, ',', 8, 64,
		  "1!bad_quote\n3:[z]\n", ',' },
		{ "\"a\"x\"\nb\n", 0, ',', 8, 64, "1!bad_quote\n2:[b]\n", ',' },
		/* the input ends inside quotes */
		{ "a,\"bc\nd", 0, ',', 8, 64, "1!unterminated\n", ',' },
		{ "a\n\"", 0, ',', 8, 64, "1:[a]\n2!unterminated\n", ',' },
		{ "\"a\"\"", 0, ',', 8, 64, "1!unterminated\n", ',' },
		/* too many fields */
		{ "a,b,c\na,b,c,d\ne\n", 0, ',', 3, 64,
		  "1:[a][b][c]\n2!too_many\n3:[e]\n", ',' },
		{ "a\na,b\n,\n", 0, ',', 1, 64,
		  "1:[a]\n2!too_many\n3!too_many\n", ',' },
		{ "a,b,c,\"d\ne\",f\ng", 0, ',', 2, 64,
		  "1!too_many\n3:[g]\n", ',' },
		/* too long: once, at its start line, quotes respected */
		{ "0123456789\n01234567890\nx\n", 0, ',', 8, 10,
		  "1:[0123456789]\n2!too_long\n3:[x]\n", ',' },
		{ "\"0123456789\nabc\",d\ne\n", 0, ',', 8, 10,
		  "1!too_long\n3:[e]\n", ',' },
		{ "x\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nb", 0, ',',
		  8, 4, "1:[x]\n2!too_long\n3:[b]\n", ',' },
		{ "abcd\nab,d\n\"ab\"\n\"\"\"\"\n,,,\n", 0, ',', 8, 4,
		  "1:[abcd]\n2:[ab][d]\n3:[ab]\n4:[\"]\n5:[][][][]\n", ',' },
		{ "a\n\"abc\"\"\nd\"\"\"\ne\n", 0, ',', 8, 6,
		  "1:[a]\n2!too_long\n4:[e]\n", ',' },
		{ "ab\n\"abcdef", 0, ',', 8, 3, "1:[ab]\n2!too_long\n", ',' },
		{ "a", 0, ',', 8, 0, "1!too_long\n", ',' },
		/* a given delimiter */
		{ "a,b;c\n", 0, ';', 8, 64, "1:[a,b][c]\n", ';' },
		{ "a\tb\t\"c\td\"\n", 0, '\t', 8, 64, "1:[a][b][c\td]\n", '\t' },
		{ "a|b", 0, '|', 8, 64, "1:[a][b]\n", '|' },
		/* detected from the first record */
		{ "a;b;c\n1;2;3\n", 0, 0, 8, 64,
		  "1:[a][b][c]\n2:[1][2][3]\n", ';' },
		{ "a\tb\n", 0, 0, 8, 64, "1:[a][b]\n", '\t' },
		{ "a,b;c\n", 0, 0, 8, 64, "1:[a][b;c]\n", ',' },
		{ "a;b\tc\n", 0, 0, 8, 64, "1:[a;b\tc]\n", ',' },
		{ "a,b;c;d\n", 0, 0, 8, 64, "1:[a,b][c][d]\n", ';' },
		{ "abc\n", 0, 0, 8, 64, "1:[abc]\n", ',' },
		{ "", 0, 0, 8, 64, "", ',' },
		{ "\"a;b;c\",d\n", 0, 0, 8, 64, "1:[a;b;c][d]\n", ',' },
		{ "a,b\nc;d;e;f\n", 0, 0, 8, 64, "1:[a][b]\n2:[c;d;e;f]\n", ',' },
		{ "\n\r\na;b\n", 0, 0, 8, 64, "3:[a][b]\n", ';' },
		{ "\xef\xbb\xbf" "a;b\r\nc;d", 0, 0, 8, 64,
		  "1:[a][b]\n2:[c][d]\n", ';' },
		{ "\"x\ny,z\";1;2\n", 0, 0, 8, 64, "1:[x\\ny,z][1][2]\n", ';' },
		{ "a;b;c;d\ne;f\n", 0, 0, 8, 5, "1!too_long\n2:[e][f]\n", ';' },
		/* only the first record_max + 1 bytes of a long one count */
		{ "a;b;c,d,e,f,g\nx;y", 0, 0, 8, 5, "1!too_long\n2:[x][y]\n",
		  ';' },
		{ "a;b;c,d,e,f,g\nx;y", 0, 0, 8, 64,
		  "1:[a;b;c][d][e][f][g]\n2:[x;y]\n", ',' },
		{ "\"a;b", 0, 0, 8, 64, "1!unterminated\n", ',' },
		{ "a;b", 0, 0, 8, 64, "1:[a][b]\n", ';' },
		{ "\xef\xbb", 0, 0, 8, 64, "1:[\xef\xbb]\n", ',' },
	};
	char	*got, name[200];
	size_t	 i;
	int	 how, round;

	for (i = 0; i < nitems(cases); i++) {
		struct strbuf	want = STRBUF_INIT;

		strbuf_addf(&want, "%sdelim %02x", cases[i].want,
		    (unsigned char)cases[i].want_delim);
		for (how = 0; how < 3; how++) {
			for (round = 0; round < (how == 2 ? 8 : 1); round++) {
				got = parse(&cases[i], how);
				snprintf(name, sizeof name, "case %zu, %s", i,
				    how == 0 ? "whole" : how == 1 ?
				    "byte by byte" : "random chunks");
				if (how < 2 || round == 0 ||
				    strcmp(got, want.data) != 0) {
					is_str(got, want.data, name);
				}
				free(got);
			}
		}
		strbuf_free(&want);
	}
}

static void
test_stop(void)
{
	struct show	 sh;
	struct csv	*csv;

	memset(&sh, 0, sizeof sh);
	sh.stop_at = 1;
	csv = csv_new(csv_show, &sh, ',', 8, 64);
	is_int(csv_feed(csv, "a\nb\nc\n", 6), 7, "the callback stops the reader");
	is_int(csv_feed(csv, "d\n", 2), 7, "and it stays stopped");
	is_int(csv_finish(csv), 7, "also at the end");
	is_str(sh.sb.data, "1:[a]\n", "nothing read after the stop");
	csv_free(csv);
	strbuf_free(&sh.sb);

	/* a stop on the last record, reported by csv_finish */
	memset(&sh, 0, sizeof sh);
	sh.stop_at = 2;
	csv = csv_new(csv_show, &sh, 0, 8, 64);
	is_int(csv_feed(csv, "a;b\nc;d", 7), 0, "feeding");
	is_int(csv_finish(csv), 7, "csv_finish returns the stop");
	is_str(sh.sb.data, "1:[a][b]\n2:[c][d]\n", "both records seen");
	csv_free(csv);
	strbuf_free(&sh.sb);

	/* a CR at the end of one chunk and an LF at the start of the next */
	memset(&sh, 0, sizeof sh);
	csv = csv_new(csv_show, &sh, ',', 8, 64);
	ok(csv_feed(csv, "a\r", 2) == 0 && csv_feed(csv, "\nb\r", 3) == 0 &&
	    csv_feed(csv, "\n", 1) == 0 && csv_feed(csv, "\"x\r", 3) == 0 &&
	    csv_feed(csv, "\ny\"", 3) == 0 && csv_finish(csv) == 0,
	    "CRLF over chunks");
	is_str(sh.sb.data, "1:[a]\n2:[b]\n3:[x\\r\\ny]\n",
	    "CRLF over chunks is one line break");
	csv_free(csv);
	strbuf_free(&sh.sb);
}

struct roundtrip {
	int	n;
	int	fields_ok;
};

static const char *const rt_fields[] = {
	"plain", "", "a,b", "say \"hi\"", "two\nlines", "cr\rlf\r\n",
	"=1+2", "+966501234567", "-5", "@SUM(A1)", "\tx", "a;b",
	"\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", "\"", ",",
};

static int
rt_check(void *arg, const struct csv_record *r)
{
	struct roundtrip	*rt = arg;
	size_t			 i;

	rt->n++;
	if (r->error != CSV_OK || r->nfields != (int)nitems(rt_fields))
		return 0;
	rt->fields_ok = 1;
	for (i = 0; i < nitems(rt_fields); i++) {
		const char	*want = rt_fields[i];
		int		 formula = strchr("=+-@\t", want[0]) != NULL &&
		    want[0] != '\0';
		struct strbuf	 w = STRBUF_INIT;

		if (formula)
			strbuf_addch(&w, '\'');
		strbuf_addstr(&w, want);
		if (r->lens[i] != w.len || memcmp(r->fields[i], w.data,
		    w.len) != 0)
			rt->fields_ok = 0;
		strbuf_free(&w);
	}
	return 0;
}

static void
test_writer(void)
{
	static const char *const cases[][2] = {
		{ "abc", "abc" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "a\nb", "\"a\nb\"" },
		{ "a\rb", "\"a\rb\"" },
		{ "=1+2", "\"'=1+2\"" },
		{ "+966501234567", "\"'+966501234567\"" },
		{ "-5", "\"'-5\"" },
		{ "@x", "\"'@x\"" },
		{ "\tx", "\"'\tx\"" },
		{ "=\"x\",", "\"'=\"\"x\"\",\"" },
		{ "a=1", "a=1" },
		{ "a;b", "a;b" },
		{ " x ", " x " },
	};
	struct strbuf		 sb = STRBUF_INIT;
	struct roundtrip	 rt = { 0, 0 };
	struct csv		*csv;
	size_t			 i;
	char			 name[40];

	for (i = 0; i < nitems(cases); i++) {
		strbuf_reset(&sb);
		csv_write_field(&sb, cases[i][0], strlen(cases[i][0]));
		snprintf(name, sizeof name, "writer case %zu", i);
		is_str(sb.len == 0 ? "" : sb.data, cases[i][1], name);
	}
	strbuf_reset(&sb);
	csv_write_field(&sb, "a\0b", 3);
	ok(sb.len == 3 && memcmp(sb.data, "a\0b", 3) == 0,
	    "a NUL byte is written as it is");

	/* what is written reads back (with the formula guard) */
	strbuf_reset(&sb);
	for (i = 0; i < nitems(rt_fields); i++) {
		if (i > 0)
			strbuf_addch(&sb, ',');
		csv_write_field(&sb, rt_fields[i], strlen(rt_fields[i]));
	}
	strbuf_addstr(&sb, "\r\n");
	csv = csv_new(rt_check, &rt, 0, 32, 1024);
	ok(csv_feed(csv, sb.data, sb.len) == 0 && csv_finish(csv) == 0,
	    "the written record reads");
	is_int(rt.n, 1, "as one record");
	ok(rt.fields_ok, "with the same fields");
	is_int(csv_delimiter(csv), ',', "and ',' is detected");
	csv_free(csv);
	strbuf_free(&sb);

	for (i = 0; i <= CSV_UNTERMINATED + 1; i++)
		ok(csv_strerror((enum csv_error)i) != NULL, "csv_strerror");
	is_str(csv_strerror(CSV_TOO_LONG), "record too long",
	    "csv_strerror(CSV_TOO_LONG)");
}

static void
test_strbuf(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*s, big[300];
	size_t		 cap;

	s = strbuf_detach(&sb);
	is_str(s, "", "detaching nothing gives \"\"");
	free(s);
	strbuf_add(&sb, "ab", 2);
	strbuf_addch(&sb, 'c');
	strbuf_addstr(&sb, "de");
	strbuf_addf(&sb, "-%d-%s", 42, "x");
	is_str(sb.data, "abcde-42-x", "add, addch, addstr, addf");
	is_int(sb.len, 10, "len");
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	strbuf_addf(&sb, "%s!", big);
	is_int(sb.len, 10 + 300, "addf that grows the buffer");
	ok(sb.data[sb.len] == '\0' && sb.data[sb.len - 1] == '!' &&
	    sb.data[10] == 'z', "its bytes");
	cap = sb.cap;
	strbuf_reset(&sb);
	ok(sb.len == 0 && sb.cap == cap && sb.data[0] == '\0',
	    "reset keeps the memory");
	strbuf_add(&sb, "x\0y", 3);
	is_int(sb.len, 3, "NUL bytes are data");
	s = strbuf_detach(&sb);
	ok(s[0] == 'x' && s[1] == '\0' && s[2] == 'y' && s[3] == '\0',
	    "detach gives the data");
	ok(sb.data == NULL && sb.len == 0 && sb.cap == 0,
	    "and leaves the buffer empty");
	free(s);
	strbuf_add(&sb, NULL, 0);
	is_str(sb.data, "", "adding nothing is NUL-terminated");
	strbuf_free(&sb);
	ok(sb.data == NULL && sb.len == 0, "free");
}

int
main(void)
{
	test_reader();
	test_stop();
	test_writer();
	test_strbuf();
	return tap_done();
}
