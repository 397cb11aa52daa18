/*
 * libFuzzer target: the CSV reader (contact imports). The first bytes pick
 * the delimiter, the limits and the chunk sizes; the rest is the file.
 * Records must lie within the limits, come out the same fed in chunks or
 * whole, and what csv_write_field writes must read back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	int		 fields_max;
	size_t		 record_max;
	long		 lines;		/* physical lines in the input */
	int		 stop_at;	/* the callback stops then, or 0 */
	int		 n;
	long		 last_line;
	uint64_t	 hash;		/* of everything the callback saw */
	int		 roundtrip;
};

struct readback {
	const struct csv_record	*want;
	int			 n;		/* records after the "h" line */
	int			 header;
};

static void
hash(uint64_t *h, const void *p, size_t len)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < len; i++)
		*h = (*h ^ s[i]) * 0x100000001b3ULL;
}

static int
readback_cb(void *arg, const struct csv_record *r)
{
	struct readback	*rb = arg;
	int		 i, formula;
	const char	*f;
	size_t		 len;

	if (rb->header) {
		rb->header = 0;
		return 0;
	}
	if (rb->n++ > 0 || r->error != CSV_OK ||
	    r->nfields != rb->want->nfields)
		__builtin_trap();
	for (i = 0; i < r->nfields; i++) {
		f = rb->want->fields[i];
		len = rb->want->lens[i];
		formula = len > 0 && f[0] != '\0' &&
		    strchr("=+-@\t", f[0]) != NULL;
		if (r->lens[i] != len + formula ||
		    (formula && r->fields[i][0] != '\'') ||
		    memcmp(r->fields[i] + formula, f, len) != 0)
			__builtin_trap();
	}
	return 0;
}

/* Writes the record as one line and reads it back. */
static void
roundtrip(const struct csv_record *r)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct readback	 rb = { r, 0, 1 };
	struct csv	*csv;
	int		 i;

	/* one empty field writes a blank line, which is no record */
	if (r->nfields == 1 && r->lens[0] == 0)
		return;
	strbuf_addstr(&sb, "h\n");	/* keeps a leading BOM as data */
	for (i = 0; i < r->nfields; i++) {
		if (i > 0)
			strbuf_addch(&sb, ',');
		csv_write_field(&sb, r->fields[i], r->lens[i]);
	}
	strbuf_addstr(&sb, "\r\n");
	csv = csv_new(readback_cb, &rb, ',', r->nfields + 1, sb.len);
	if (csv_feed(csv, sb.data, sb.len) != 0 || csv_finish(csv) != 0 ||
	    rb.header || rb.n != 1)
		__builtin_trap();
	csv_free(csv);
	strbuf_free(&sb);
}

static int
record_cb(void *arg, const struct csv_record *r)
{
	struct run	*run = arg;
	size_t		 total = 0;
	int		 i;

	if (r->line < 1 || r->line < run->last_line || r->line > run->lines)
		__builtin_trap();
	if (r->nfields < 0 || r->nfields > run->fields_max ||
	    (r->error != CSV_OK && r->nfields != 0) ||
	    (r->error == CSV_OK && r->nfields == 0))
		__builtin_trap();
	for (i = 0; i < r->nfields; i++) {
		if (r->lens[i] > run->record_max ||
		    r->fields[i][r->lens[i]] != '\0')
			__builtin_trap();
		total += r->lens[i] + 1;
	}
	if (total > run->record_max + 1)
		__builtin_trap();
	run->last_line = r->line;
	hash(&run->hash, &r->line, sizeof r->line);
	hash(&run->hash, &r->error, sizeof r->error);
	hash(&run->hash, &r->nfields, sizeof r->nfields);
	for (i = 0; i < r->nfields; i++) {
		hash(&run->hash, &r->lens[i], sizeof r->lens[i]);
		hash(&run->hash, r->fields[i], r->lens[i]);
	}
	if (run->roundtrip && r->error == CSV_OK)
		roundtrip(r);
	if (++run->n == run->stop_at)
		return 5;
	return 0;
}

/* Reads data in chunks of the sizes given (cycled), or whole when none. */
static int
parse(struct run *run, char delim, const uint8_t *sizes, size_t nsizes,
    const uint8_t *data, size_t size, char *used)
{
	struct csv	*csv;
	size_t		 at = 0, n, k = 0;
	int		 rc = 0;

	run->n = 0;
	run->last_line = 0;
	run->hash = 0xcbf29ce484222325ULL;
	csv = csv_new(record_cb, run, delim, run->fields_max, run->record_max);
	while (at < size && rc == 0) {
		n = nsizes == 0 ? size : 1 + sizes[k++ % nsizes] % 32;
		if (n > size - at)
			n = size - at;
		rc = csv_feed(csv, (const char *)data + at, n);
		at += n;
	}
	if (rc == 0)
		rc = csv_finish(csv);
	*used = csv_delimiter(csv);
	csv_free(csv);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 delims[] = { 0, ',', ';', '\t' };
	struct run		 run;
	const uint8_t		*sizes;
	size_t			 nsizes, i;
	char			 delim, d1, d2;
	int			 rc1, rc2, stop_at;
	uint64_t		 h1;
	long			 n1;

	if (size < 3)
		return 0;
	memset(&run, 0, sizeof run);
	delim = delims[data[0] & 3];
	run.fields_max = 1 + (data[0] >> 4);
	run.record_max = data[1] & 0x80 ? 4096 : data[1];
	stop_at = data[0] & 0x04 ? data[2] & 7 : 0;
	nsizes = 1 + (data[2] >> 5);
	if (nsizes > size - 3)
		nsizes = size - 3;
	sizes = data + 3;
	data += 3 + nsizes;
	size -= 3 + nsizes;

	run.lines = 1;
	for (i = 0; i < size; i++) {
		if (data[i] == '\r' || (data[i] == '\n' &&
		    (i == 0 || data[i - 1] != '\r')))
			run.lines++;
	}
	run.stop_at = stop_at;
	run.roundtrip = 1;
	rc1 = parse(&run, delim, NULL, 0, data, size, &d1);
	h1 = run.hash;
	n1 = run.n;
	run.roundtrip = 0;
	rc2 = parse(&run, delim, sizes, nsizes, data, size, &d2);
	if (rc1 != rc2 || n1 != run.n || h1 != run.hash || d1 != d2)
		__builtin_trap();
	if (rc1 != 0 && (stop_at == 0 || run.n != stop_at))
		__builtin_trap();
	if (d1 != ',' && d1 != ';' && d1 != '\t')
		__builtin_trap();
	return 0;
}
