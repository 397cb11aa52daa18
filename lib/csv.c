#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xmalloc.h"

#ifndef nitems
#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#endif

enum csv_state {
	CSV_S_RECORD,		/* between records: line breaks are blank lines */
	CSV_S_FIELD,		/* at the start of a field */
	CSV_S_UNQUOTED,
	CSV_S_QUOTED,
	CSV_S_QUOTE,		/* a quote inside quotes: closing or doubled */
};

struct csv {
	csv_record_cb	 *cb;
	void		 *arg;
	char		  delim;	/* 0 until detected */
	int		  fields_max;
	size_t		  record_max;
	int		  stopped;	/* the callback's non-zero return */

	/* Before the first record: the byte-order mark, and the bytes of
	 * the first record while its delimiter is being detected. */
	unsigned char	  bom[3];
	size_t		  bom_len;
	int		  bom_done;
	int		  det_quoted;
	int		  det_content;
	size_t		  det_count[3];
	struct strbuf	  head;

	/* Physical lines: the line of the next byte; was the last one CR? */
	long		  line;
	int		  after_cr;

	/* The record being read; after an error, only its end is looked
	 * for and nothing is stored. */
	enum csv_state	  state;
	enum csv_error	  error;
	long		  rec_line;
	size_t		  raw;		/* its bytes so far, as in the input */
	struct strbuf	  buf;		/* its fields, each NUL-terminated */
	int		  nfields;	/* the one being read included */
	int		  fields_cap;
	size_t		 *starts;
	size_t		 *lens;
	const char	**fields;
};

static const char csv_candidates[] = { ',', ';', '\t' };

static const char *const csv_errors[] = {
	[CSV_OK] = "no error",
	[CSV_TOO_MANY_FIELDS] = "too many fields",
	[CSV_TOO_LONG] = "record too long",
	[CSV_BAD_QUOTE] = "misplaced quote",
	[CSV_UNTERMINATED] = "unterminated quoted field",
};

struct csv *
csv_new(csv_record_cb *cb, void *arg, char delimiter, int fields_max,
    size_t record_max)
{
	struct csv	*c;

	if (fields_max < 1)
		fatal("csv_new: fields_max %d", fields_max);
	if (delimiter == '"' || delimiter == '\r' || delimiter == '\n')
		fatal("csv_new: delimiter 0x%02x", (unsigned char)delimiter);
	c = xcalloc(1, sizeof *c);
	c->cb = cb;
	c->arg = arg;
	c->delim = delimiter;
	c->fields_max = fields_max;
	c->record_max = record_max;
	c->line = 1;
	c->state = CSV_S_RECORD;
	return c;
}

void
csv_free(struct csv *c)
{
	if (c == NULL)
		return;
	strbuf_free(&c->head);
	strbuf_free(&c->buf);
	free(c->starts);
	free(c->lens);
	free(c->fields);
	free(c);
}

char
csv_delimiter(const struct csv *c)
{
	return c->delim;
}

const char *
csv_strerror(enum csv_error e)
{
	if ((size_t)e >= nitems(csv_errors) || csv_errors[e] == NULL)
		return "unknown error";
	return csv_errors[e];
}

static void
csv_fail(struct csv *c, enum csv_error e)
{
	if (c->error == CSV_OK)
		c->error = e;
}

static void
csv_put(struct csv *c, unsigned char ch)
{
	if (c->error == CSV_OK)
		strbuf_addch(&c->buf, (char)ch);
}

/* Ends the field being read; a NUL after each keeps them C strings. */
static void
csv_end_field(struct csv *c)
{
	int	i = c->nfields - 1;

	c->lens[i] = c->buf.len - c->starts[i];
	strbuf_addch(&c->buf, '\0');
}

/* A field starts at the current end of the buffer. */
static void
csv_start_field(struct csv *c)
{
	if (c->nfields == c->fields_cap) {
		if (c->fields_cap == 0)
			c->fields_cap = 8;
		else if (c->fields_cap <= c->fields_max / 2)
			c->fields_cap *= 2;
		else
			c->fields_cap = c->fields_max;
		if (c->fields_cap > c->fields_max)
			c->fields_cap = c->fields_max;
		c->starts = xreallocarray(c->starts, c->fields_cap,
		    sizeof *c->starts);
		c->lens = xreallocarray(c->lens, c->fields_cap,
		    sizeof *c->lens);
		c->fields = xreallocarray(c->fields, c->fields_cap,
		    sizeof *c->fields);
	}
	c->starts[c->nfields++] = c->buf.len;
}

static void
csv_delimited(struct csv *c)
{
	c->state = CSV_S_FIELD;
	if (c->error != CSV_OK)
		return;
	csv_end_field(c);
	if (c->nfields == c->fields_max)
		csv_fail(c, CSV_TOO_MANY_FIELDS);
	else
		csv_start_field(c);
}

/* The record ended (not inside quotes): report it. */
static int
csv_end_record(struct csv *c)
{
	struct csv_record	r;
	int			i, rc;

	c->state = CSV_S_RECORD;
	memset(&r, 0, sizeof r);
	r.line = c->rec_line;
	r.error = c->error;
	if (c->error == CSV_OK) {
		csv_end_field(c);
		for (i = 0; i < c->nfields; i++)
			c->fields[i] = c->buf.data + c->starts[i];
		r.nfields = c->nfields;
	}
	r.fields = c->fields;
	r.lens = c->lens;
	if ((rc = c->cb(c->arg, &r)) != 0)
		c->stopped = rc;
	return rc;
}

/*
 * One byte of the input, once the delimiter is known. Lines are counted
 * here whatever the state: LF, CR and CRLF are one break each, also when
 * the CR and the LF come in two csv_feed calls.
 */
static int
csv_byte(struct csv *c, unsigned char ch)
{
	int	brk = ch == '\r' || ch == '\n';
	long	line = c->line;

	if (ch == '\r' || (ch == '\n' && !c->after_cr))
		c->line++;
	c->after_cr = ch == '\r';

	if (c->state == CSV_S_RECORD) {
		if (brk)
			return 0;	/* a blank line, or the LF of a CRLF */
		c->state = CSV_S_FIELD;
		c->error = CSV_OK;
		c->rec_line = line;
		c->raw = 0;
		c->nfields = 0;
		strbuf_reset(&c->buf);
		csv_start_field(c);
	}
	if (brk && c->state != CSV_S_QUOTED)
		return csv_end_record(c);
	if (++c->raw > c->record_max)
		csv_fail(c, CSV_TOO_LONG);

	switch (c->state) {
	case CSV_S_FIELD:
		if (ch == '"')
			c->state = CSV_S_QUOTED;
		else if (ch == (unsigned char)c->delim)
			csv_delimited(c);
		else {
			c->state = CSV_S_UNQUOTED;
			csv_put(c, ch);
		}
		break;
	case CSV_S_UNQUOTED:
		if (ch == (unsigned char)c->delim)
			csv_delimited(c);
		else if (ch == '"')
			csv_fail(c, CSV_BAD_QUOTE);
		else
			csv_put(c, ch);
		break;
	case CSV_S_QUOTED:
		if (ch == '"')
			c->state = CSV_S_QUOTE;
		else
			csv_put(c, ch);
		break;
	case CSV_S_QUOTE:
		if (ch == '"') {
			c->state = CSV_S_QUOTED;
			csv_put(c, ch);
		} else if (ch == (unsigned char)c->delim)
			csv_delimited(c);
		else {
			/* the rest is read as unquoted, to find the end */
			csv_fail(c, CSV_BAD_QUOTE);
			c->state = CSV_S_UNQUOTED;
		}
		break;
	case CSV_S_RECORD:
		fatal("csv: impossible state");
	}
	return 0;
}

/* Picks the delimiter from the counts, then reads the bytes held. */
static int
csv_detect(struct csv *c)
{
	size_t	i, best = 0;
	int	tie = 0, rc = 0;

	for (i = 1; i < nitems(csv_candidates); i++) {
		if (c->det_count[i] > c->det_count[best]) {
			best = i;
			tie = 0;
		} else if (c->det_count[i] == c->det_count[best])
			tie = 1;
	}
	c->delim = tie ? ',' : csv_candidates[best];
	for (i = 0; i < c->head.len && rc == 0; i++)
		rc = csv_byte(c, (unsigned char)c->head.data[i]);
	strbuf_free(&c->head);
	return rc;
}

/*
 * After the byte-order mark. While the delimiter is unknown, the first
 * record is held and the candidates outside quotes counted; any quote
 * toggles quoting here, as a first guess at where the record ends. What
 * is held is bounded: at record_max + 1 bytes the record is too long
 * anyway, and the counts so far decide.
 */
static int
csv_stage(struct csv *c, unsigned char ch)
{
	size_t	i;
	int	end = 0;

	if (c->delim != 0)
		return csv_byte(c, ch);
	if (!c->det_content && (ch == '\r' || ch == '\n'))
		return csv_byte(c, ch);		/* blank lines before it */
	c->det_content = 1;
	strbuf_addch(&c->head, (char)ch);
	if (ch == '"')
		c->det_quoted = !c->det_quoted;
	else if (!c->det_quoted && (ch == '\r' || ch == '\n'))
		end = 1;
	else if (!c->det_quoted) {
		for (i = 0; i < nitems(csv_candidates); i++) {
			if (ch == (unsigned char)csv_candidates[i])
				c->det_count[i]++;
		}
	}
	if (end || c->head.len > c->record_max)
		return csv_detect(c);
	return 0;
}

/* The mark is skipped only when all three bytes are there. */
static int
csv_bom(struct csv *c, unsigned char ch)
{
	static const unsigned char	bom[] = { 0xef, 0xbb, 0xbf };
	size_t				i;
	int				rc;

	c->bom[c->bom_len++] = ch;
	if (c->bom_len < sizeof bom && ch == bom[c->bom_len - 1])
		return 0;
	c->bom_done = 1;
	if (c->bom_len == sizeof bom && memcmp(c->bom, bom, sizeof bom) == 0)
		return 0;
	for (i = 0; i < c->bom_len; i++) {
		if ((rc = csv_stage(c, c->bom[i])) != 0)
			return rc;
	}
	return 0;
}

int
csv_feed(struct csv *c, const char *data, size_t len)
{
	const unsigned char	*p = (const unsigned char *)data;
	size_t			 i;
	int			 rc;

	if (c->stopped)
		return c->stopped;
	for (i = 0; i < len; i++) {
		if (!c->bom_done)
			rc = csv_bom(c, p[i]);
		else if (c->delim == 0)
			rc = csv_stage(c, p[i]);
		else
			rc = csv_byte(c, p[i]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
csv_finish(struct csv *c)
{
	size_t	i;
	int	rc;

	if (c->stopped)
		return c->stopped;
	if (!c->bom_done) {
		c->bom_done = 1;
		for (i = 0; i < c->bom_len; i++) {
			if ((rc = csv_stage(c, c->bom[i])) != 0)
				return rc;
		}
	}
	if (c->delim == 0 && (rc = csv_detect(c)) != 0)
		return rc;
	switch (c->state) {
	case CSV_S_RECORD:
		return 0;
	case CSV_S_QUOTED:
		csv_fail(c, CSV_UNTERMINATED);
		break;
	default:
		break;
	}
	return csv_end_record(c);
}

/*
 * A field that a spreadsheet would run as a formula gets a leading ' inside
 * quotes (OWASP, "CSV Injection").
 */
void
csv_write_field(struct strbuf *out, const char *s, size_t len)
{
	const char	*q;
	size_t		 n;
	int		 formula, quote;

	if (len == 0)
		return;
	formula = s[0] != '\0' && strchr("=+-@\t", s[0]) != NULL;
	quote = formula || memchr(s, ',', len) != NULL ||
	    memchr(s, '"', len) != NULL || memchr(s, '\r', len) != NULL ||
	    memchr(s, '\n', len) != NULL;
	if (!quote) {
		strbuf_add(out, s, len);
		return;
	}
	strbuf_addch(out, '"');
	if (formula)
		strbuf_addch(out, '\'');
	while ((q = memchr(s, '"', len)) != NULL) {
		n = (size_t)(q - s) + 1;
		strbuf_add(out, s, n);
		strbuf_addch(out, '"');
		s += n;
		len -= n;
	}
	strbuf_add(out, s, len);
	strbuf_addch(out, '"');
}
