/*
 * An incremental CSV reader (RFC 4180, as spreadsheets write it): bytes go
 * in as they arrive (csv_feed), records come out through a callback, and
 * memory stays bounded by the limits given at csv_new, whatever the input.
 * - A UTF-8 byte-order mark at the very start is skipped.
 * - Records end at LF, CRLF or CR outside quotes; a quoted field may hold
 *   delimiters, newlines and doubled quotes ("").
 * - The delimiter is ',' unless csv_new is given another; with 0 it is
 *   detected from the first record: whichever of ',' ';' '\t' occurs most
 *   often outside quotes (',' on a tie or when none does).
 * - Blank lines (nothing between two newlines) are skipped, not reported.
 * - Bytes are not decoded: checking UTF-8 is the caller's.
 * A record that breaks a rule is still reported, with error set and no
 * fields, and reading goes on at the next record boundary.
 */
#ifndef WAQTOR_CSV_H
#define WAQTOR_CSV_H

#include <stddef.h>

enum csv_error {
	CSV_OK = 0,
	CSV_TOO_MANY_FIELDS,	/* more than fields_max fields */
	CSV_TOO_LONG,		/* the record is over record_max bytes */
	CSV_BAD_QUOTE,		/* text after a closing quote, or a quote
				   inside an unquoted field */
	CSV_UNTERMINATED,	/* the input ended inside quotes */
};

struct csv_record {
	long			 line;		/* physical line it starts on,
						   from 1 */
	enum csv_error		 error;
	int			 nfields;	/* 0 when error */
	const char *const	*fields;	/* NUL-terminated, unquoted */
	const size_t		*lens;		/* fields may hold NUL bytes */
};

/* Called for each record; a non-zero return stops the reader (csv_feed
 * and csv_finish return it). The record is valid during the call only. */
typedef int csv_record_cb(void *arg, const struct csv_record *);

struct csv;

/* A reader; delimiter 0 detects it. Never NULL (xmalloc). */
struct csv *csv_new(csv_record_cb *, void *arg, char delimiter,
    int fields_max, size_t record_max);
/* Reads len more bytes; 0, or the callback's non-zero return. */
int csv_feed(struct csv *, const char *data, size_t len)
    __attribute__((warn_unused_result));
/* The input ended: reports the last record; 0 or the callback's return. */
int csv_finish(struct csv *) __attribute__((warn_unused_result));
/* The delimiter in use (once the first record is read). */
char csv_delimiter(const struct csv *);
void csv_free(struct csv *);
/* A short English reason for an error, never NULL. */
const char *csv_strerror(enum csv_error);
/*
 * Appends s[0..len) to out as one CSV field (quoted when it holds the
 * delimiter ',', a quote, CR or LF, or starts with = + - @ or a tab, which
 * spreadsheets would run as a formula: those get a leading ' inside the
 * quotes, as OWASP advises). out is a growing buffer (strbuf.h).
 */
struct strbuf;
void csv_write_field(struct strbuf *out, const char *s, size_t len);

#endif
