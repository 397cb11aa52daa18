/*
 * CSV import into a contact list, and its export.
 *
 * The import is streamed (ROUTE_STREAM): the body (multipart with a "file"
 * part, or text/csv) is read in pieces, parsed as it comes (lib/csv.h),
 * and its valid rows go in batches into a temporary table; one statement
 * then merges them into contacts, memberships or opt-outs. Memory stays
 * flat whatever the file's size. Each invalid row is reported by line with
 * its reason; with allOrNothing (the default) one invalid row imports
 * nothing (422), else the valid rows are imported and the rest reported.
 * A phone that appears twice is merged: in mode "add" the first value of
 * each column wins and what a contact already has is kept; in "update" the
 * last wins and overwrites what the contact had.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "contacts.h"
#include "csv.h"
#include "handlers.h"
#include "jsonx.h"
#include "multipart.h"
#include "strbuf.h"
#include "template.h"
#include "validate.h"
#include "xmalloc.h"

#define IMPORT_FIELDS_MAX	(CONTACT_ATTRS_MAX + 10)
#define IMPORT_RECORD_MAX	(64 * 1024)
#define IMPORT_BATCH		2000	/* rows per INSERT */
#define IMPORT_ERRORS_SHOWN	100
#define IMPORT_READ		(64 * 1024)

enum import_mode { MODE_ADD, MODE_UPDATE, MODE_OPT_OUT };

static const char *const mode_names[] = { "add", "update", "opt_out", NULL };

/* Header names taken as the phone or the name column (case-insensitive). */
static const char *const phone_headers[] = { "phone", "phone_number",
    "mobile", "whatsapp", "msisdn", "number", NULL };
static const char *const name_headers[] = { "name", "full_name", NULL };

struct import {
	struct req		*r;
	enum import_mode	 mode;
	char			 cc[PHONE_CC_MAX + 1];
	int			 header_done;
	int			 ncols;
	int			 phone_col;
	int			 name_col;
	char			 cols[IMPORT_FIELDS_MAX][TEMPLATE_NAME_MAX + 1];
	struct json_object	*batch;		/* rows not yet inserted */
	long			 rows;		/* data rows read */
	long			 valid;
	long			 invalid;
	struct json_object	*errors;	/* the first ones */
	const char		*failed;	/* a whole-file problem */
	int			 answered;	/* a query failed: answered */
	int			 file_seen;
	struct csv		*csv;
};

static int
header_is(const char *const *names, const char *s)
{
	int	i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcasecmp(names[i], s) == 0)
			return 1;
	}
	return 0;
}

static void
import_error(struct import *im, long line, const char *reason)
{
	struct json_object	*e;

	im->invalid++;
	if (json_object_array_length(im->errors) >= IMPORT_ERRORS_SHOWN)
		return;
	e = json_object_new_object();
	jsonx_add_int(e, "line", line);
	jsonx_add_str(e, "reason", reason);
	json_object_array_add(im->errors, e);
}

/* The header row: which column is the phone, the name, each attribute. */
static int
import_header(struct import *im, const struct csv_record *rec)
{
	char	name[TEMPLATE_NAME_MAX + 1];
	int	i, j;

	im->header_done = 1;
	im->phone_col = im->name_col = -1;
	if (rec->error != CSV_OK) {
		im->failed = "the header row is not valid CSV";
		return -1;
	}
	im->ncols = rec->nfields;
	for (i = 0; i < rec->nfields; i++) {
		const char	*f = rec->fields[i];
		size_t		 len = rec->lens[i];

		/* surrounding spaces are a spreadsheet's, not the name's */
		while (len > 0 && (*f == ' ' || *f == '\t'))
			f++, len--;
		while (len > 0 && (f[len - 1] == ' ' || f[len - 1] == '\t'))
			len--;
		im->cols[i][0] = '\0';
		if (len == 0)
			continue;	/* an unnamed column is ignored */
		if (!contacts_attr_name_ok(f, len)) {
			im->failed = "each column name must be 1 to 64 letters, "
			    "digits or _.- (phone, name, or an attribute)";
			return -1;
		}
		snprintf(name, sizeof name, "%.*s", (int)len, f);
		for (j = 0; j < i; j++) {
			if (strcasecmp(im->cols[j], name) == 0) {
				im->failed = "a column name appears twice";
				return -1;
			}
		}
		memcpy(im->cols[i], name, sizeof name);
		if (im->phone_col == -1 && header_is(phone_headers, name))
			im->phone_col = i;
		else if (im->name_col == -1 && header_is(name_headers, name))
			im->name_col = i;
	}
	if (im->phone_col == -1) {
		im->failed = "the header row has no phone column";
		return -1;
	}
	return 0;
}

/* Inserts the batch into the temporary table; -1 answered. */
static int
import_flush(struct import *im)
{
	const char	*params[1];
	PGresult	*res;

	if (json_object_array_length(im->batch) == 0)
		return 0;
	params[0] = jsonx_string(im->batch);
	res = api_query(im->r, "INSERT INTO import_rows SELECT * FROM "
	    "json_to_recordset($1::json) AS x(line int, phone text, name text, "
	    "attrs jsonb)", 1, params);
	json_object_put(im->batch);
	im->batch = json_object_new_array();
	if (res == NULL) {
		im->answered = 1;
		return -1;
	}
	PQclear(res);
	return 0;
}

static int
import_record(void *arg, const struct csv_record *rec)
{
	struct import		*im = arg;
	struct json_object	*row, *attrs;
	char			 phone[PHONE_LEN], why[160], *v;
	enum phone_error	 pe;
	int			 i;

	if (!im->header_done)
		return import_header(im, rec);
	im->rows++;
	if (rec->error != CSV_OK) {
		import_error(im, rec->line, csv_strerror(rec->error));
		return 0;
	}
	if (rec->nfields > im->ncols) {
		snprintf(why, sizeof why, "has %d fields, the header %d",
		    rec->nfields, im->ncols);
		import_error(im, rec->line, why);
		return 0;
	}
	for (i = 0; i < rec->nfields; i++) {
		if (!jsonx_utf8_valid(rec->fields[i], rec->lens[i]) ||
		    memchr(rec->fields[i], '\0', rec->lens[i]) != NULL) {
			import_error(im, rec->line, "is not UTF-8 text (save "
			    "the file as CSV UTF-8)");
			return 0;
		}
		if (i != im->phone_col && im->cols[i][0] != '\0' &&
		    validate_chars(rec->fields[i]) > (i == im->name_col ? 200 :
		    CONTACT_ATTR_VALUE_MAX)) {
			snprintf(why, sizeof why, "column %s is too long",
			    im->cols[i]);
			import_error(im, rec->line, why);
			return 0;
		}
	}
	if (im->phone_col >= rec->nfields) {
		import_error(im, rec->line, "has no phone");
		return 0;
	}
	if ((pe = phone_normalise(rec->fields[im->phone_col],
	    rec->lens[im->phone_col], im->cc, phone)) != PHONE_OK) {
		snprintf(why, sizeof why, "phone %s", phone_strerror(pe));
		import_error(im, rec->line, why);
		return 0;
	}
	im->valid++;
	row = json_object_new_object();
	attrs = json_object_new_object();
	jsonx_add_int(row, "line", rec->line);
	jsonx_add_str(row, "phone", phone);
	for (i = 0; i < rec->nfields; i++) {
		if (i == im->phone_col || im->cols[i][0] == '\0' ||
		    rec->lens[i] == 0)
			continue;	/* an empty cell sets nothing */
		v = strndup(rec->fields[i], rec->lens[i]);
		if (i == im->name_col)
			jsonx_add_str(row, "name", v);
		else
			jsonx_add_str(attrs, im->cols[i], v);
		free(v);
	}
	json_object_object_add(row, "attrs", attrs);
	json_object_array_add(im->batch, row);
	if (json_object_array_length(im->batch) >= IMPORT_BATCH &&
	    import_flush(im) == -1)
		return -1;
	return 0;
}

/* The file part of a multipart body goes to the CSV reader. */
static int
import_part(void *arg, const struct mpart *part, const char *data,
    size_t len, int last)
{
	struct import	*im = arg;

	if (strcmp(part->name, "file") != 0)
		return 0;	/* other fields: options are in the query */
	if (im->file_seen && !last && part->len == len) {
		im->failed = "send one file";
		return -1;
	}
	im->file_seen = 1;
	if (last)
		return csv_finish(im->csv);
	return csv_feed(im->csv, data, len);
}

/* Reads the whole body through the parsers; -1 when it stopped early
 * (im->failed says why, or im->answered). */
static int
import_read(struct import *im)
{
	const char	*ct = http_param(im->r, "CONTENT_TYPE");
	struct mpstream	*mp = NULL;
	char		*buf = xmalloc(IMPORT_READ);
	long		 n;
	int		 rc = 0;

	if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0 &&
	    (mp = mpstream_new(ct, import_part, im)) == NULL) {
		im->failed = "the multipart body names no boundary";
		rc = -1;
		goto out;
	}
	while (rc == 0 && (n = http_read(im->r, buf, IMPORT_READ)) != 0) {
		if (n < 0) {
			im->answered = 1;
			rc = -1;
		} else if (mp != NULL)
			rc = mpstream_feed(mp, buf, (size_t)n);
		else
			rc = csv_feed(im->csv, buf, (size_t)n);
	}
	if (rc == 0 && mp != NULL && (mpstream_finish(mp) == -1 ||
	    !im->file_seen)) {
		im->failed = "send the CSV file in a multipart part named "
		    "\"file\", or as the body with Content-Type text/csv";
		rc = -1;
	} else if (rc == 0 && mp == NULL)
		rc = csv_finish(im->csv);
	if (rc != 0 && im->failed == NULL && !im->answered)
		im->failed = "the body is not well-formed multipart";
	if (rc == 0 && !im->header_done)
		im->failed = "the file is empty: it needs a header row";
	if (rc == 0 && im->failed != NULL)
		rc = -1;
out:
	mpstream_free(mp);
	free(buf);
	return rc;
}

/* Merges import_rows into contacts and the list, or into opt-outs. */
static PGresult *
import_merge(struct import *im, const char *list_id)
{
	const char	*params[2];

	params[0] = list_id;
	params[1] = mode_names[im->mode];
	if (im->mode == MODE_OPT_OUT)
		return api_query(im->r, "WITH ins AS (INSERT INTO opt_outs "
		    "(tenant_id, phone, source) SELECT DISTINCT current_setting("
		    "'waqtor.tenant_id')::uuid, phone, 'import' FROM import_rows "
		    "ON CONFLICT DO NOTHING RETURNING 1) SELECT (SELECT count("
		    "DISTINCT phone) FROM import_rows), 0, 0, 0, (SELECT count(*) "
		    "FROM ins), $1::uuid IS NULL, $2::text", 2, params);
	/* "add": the first value of a column wins, and the contact's own;
	 * "update": the last one wins, over the contact's. Existing contacts
	 * are updated and new ones inserted apart (no ON CONFLICT: its
	 * speculative insertion costs a third more); a concurrent import of
	 * the same new phone is then a unique violation, answered 409. */
	return api_query_conflict(im->r, "another import added some of these "
	    "contacts at the same time: retry", "WITH src AS (SELECT r.phone, "
	    "(array_agg(r.name ORDER BY CASE WHEN $2 = 'update' THEN -r.line "
	    "ELSE r.line END) FILTER (WHERE r.name IS NOT NULL))[1] AS name, "
	    "COALESCE(jsonb_object_agg(e.key, e.value ORDER BY CASE WHEN $2 = "
	    "'update' THEN r.line ELSE -r.line END) FILTER (WHERE e.key IS NOT "
	    "NULL), '{}') AS attrs FROM import_rows r LEFT JOIN LATERAL "
	    "jsonb_each(r.attrs) e ON true GROUP BY r.phone), "
	    "upd AS (UPDATE contacts c SET name = CASE WHEN $2 = 'update' THEN "
	    "COALESCE(s.name, c.name) ELSE COALESCE(c.name, s.name) END, "
	    "attributes = CASE WHEN $2 = 'update' THEN c.attributes || s.attrs "
	    "ELSE s.attrs || c.attributes END, updated_at = now() FROM src s "
	    "WHERE c.phone = s.phone RETURNING c.id), "
	    "ins AS (INSERT INTO contacts (tenant_id, phone, name, attributes) "
	    "SELECT current_setting('waqtor.tenant_id')::uuid, s.phone, s.name, "
	    "s.attrs FROM src s WHERE NOT EXISTS (SELECT 1 FROM contacts c "
	    "WHERE c.phone = s.phone) RETURNING id), "
	    "mem AS (INSERT INTO contact_list_members (tenant_id, list_id, "
	    "contact_id) SELECT current_setting('waqtor.tenant_id')::uuid, $1, "
	    "x.id FROM (SELECT id FROM ins UNION ALL SELECT id FROM upd u WHERE "
	    "NOT EXISTS (SELECT 1 FROM contact_list_members m WHERE m.list_id = "
	    "$1 AND m.contact_id = u.id)) x RETURNING 1) "
	    "SELECT (SELECT count(*) FROM src), (SELECT count(*) FROM ins), "
	    "(SELECT count(*) FROM upd), (SELECT count(*) FROM mem), 0", 2,
	    params);
}

static int
is_mode(const char *s)
{
	return validate_one_of(s, mode_names);
}

static int
is_bool(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "false") == 0;
}

void
h_list_import(struct req *r)
{
	struct import		 im;
	struct json_object	*body, *details;
	const char		*list_id;
	char			 mode[16], atomic[8];
	PGresult		*res;
	int			 all_or_nothing = 1, i;

	memset(&im, 0, sizeof im);
	im.r = r;
	im.batch = json_object_new_array();
	im.errors = json_object_new_array();
	if (contacts_list_exists(r, &list_id) == -1 ||
	    query_filter(r, "mode", mode, sizeof mode, is_mode) == 1 ||
	    query_filter(r, "allOrNothing", atomic, sizeof atomic, is_bool) == 1 ||
	    contacts_default_cc(r, im.cc) == -1)
		goto out;
	if (http_query(r, "mode", mode, sizeof mode) == 0) {
		for (i = 0; mode_names[i] != NULL; i++) {
			if (strcmp(mode, mode_names[i]) == 0)
				im.mode = (enum import_mode)i;
		}
	}
	if (http_query(r, "allOrNothing", atomic, sizeof atomic) == 0)
		all_or_nothing = strcmp(atomic, "true") == 0;
	if ((res = api_query(r, "CREATE TEMP TABLE import_rows (line int, "
	    "phone text, name text, attrs jsonb) ON COMMIT DROP", 0,
	    NULL)) == NULL)
		goto out;
	PQclear(res);
	im.csv = csv_new(import_record, &im, 0, IMPORT_FIELDS_MAX,
	    IMPORT_RECORD_MAX);
	if (import_read(&im) == -1 || import_flush(&im) == -1) {
		if (!im.answered)
			http_respond_error(r, 422, "invalid_file", im.failed,
			    NULL);
		goto out;
	}
	if (im.invalid > 0 && (all_or_nothing || im.valid == 0)) {
		details = json_object_new_object();
		jsonx_add_int(details, "rows", im.rows);
		jsonx_add_int(details, "invalid", im.invalid);
		json_object_object_add(details, "errors",
		    json_object_get(im.errors));
		http_respond_error(r, 422, "invalid_rows", all_or_nothing ?
		    "some rows are invalid: nothing was imported (fix them, or "
		    "import with allOrNothing=false to skip them)" :
		    "no row is valid", details);
		goto out;
	}
	/* the planner's estimates of the temporary table come from this */
	if ((res = api_query(r, "ANALYZE import_rows", 0, NULL)) == NULL)
		goto out;
	PQclear(res);
	if ((res = import_merge(&im, list_id)) == NULL)
		goto out;
	body = json_object_new_object();
	jsonx_add_str(body, "mode", mode_names[im.mode]);
	jsonx_add_int(body, "rows", im.rows);
	jsonx_add_int(body, "imported", im.valid);
	jsonx_add_int(body, "contacts", atol(PQgetvalue(res, 0, 0)));
	jsonx_add_int(body, "duplicates", im.valid - atol(PQgetvalue(res, 0, 0)));
	jsonx_add_int(body, "created", atol(PQgetvalue(res, 0, 1)));
	jsonx_add_int(body, "updated", atol(PQgetvalue(res, 0, 2)));
	jsonx_add_int(body, "addedToList", atol(PQgetvalue(res, 0, 3)));
	jsonx_add_int(body, "optedOut", atol(PQgetvalue(res, 0, 4)));
	jsonx_add_int(body, "invalid", im.invalid);
	json_object_object_add(body, "errors", json_object_get(im.errors));
	PQclear(res);
	details = json_object_new_object();
	jsonx_add_str(details, "listId", list_id);
	jsonx_add_str(details, "mode", mode_names[im.mode]);
	jsonx_add_int(details, "rows", im.rows);
	api_audit(r, "contacts.import", details);
	http_respond_json(r, 200, body);
out:
	csv_free(im.csv);
	json_object_put(im.batch);
	json_object_put(im.errors);
}

/* The list as CSV: phone, name, then each attribute any member has (the
 * first 200 by name), in the form the import reads. */
void
h_list_export(struct req *r)
{
	struct strbuf		 out = STRBUF_INIT;
	struct json_object	*keys = NULL, *attrs;
	const char		*params[2];
	char			 filename[64], err[32];
	PGresult		*res;
	size_t			 k, nkeys;
	int			 i;

	if (contacts_list_exists(r, &params[0]) == -1 ||
	    (res = api_query(r, "SELECT COALESCE(json_agg(k ORDER BY k), '[]') "
	    "FROM (SELECT DISTINCT jsonb_object_keys(c.attributes) AS k FROM "
	    "contacts c JOIN contact_list_members m ON m.contact_id = c.id "
	    "WHERE m.list_id = $1 LIMIT 200) x", 1, params)) == NULL)
		return;
	if (jsonx_parse(PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0),
	    JSONX_MAX_DEPTH, &keys, err, sizeof err) == -1)
		keys = json_object_new_array();
	PQclear(res);
	nkeys = json_object_array_length(keys);
	strbuf_addstr(&out, "phone,name");
	for (k = 0; k < nkeys; k++) {
		const char *key = json_object_get_string(
		    json_object_array_get_idx(keys, k));

		strbuf_addch(&out, ',');
		csv_write_field(&out, key, strlen(key));
	}
	strbuf_addstr(&out, "\r\n");
	if ((res = api_query(r, "SELECT c.phone, COALESCE(c.name, ''), "
	    "c.attributes::text FROM contacts c JOIN contact_list_members m ON "
	    "m.contact_id = c.id WHERE m.list_id = $1 ORDER BY m.added_at, "
	    "c.phone", 1, params)) == NULL)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		attrs = NULL;
		strbuf_addstr(&out, PQgetvalue(res, i, 0));
		strbuf_addch(&out, ',');
		csv_write_field(&out, PQgetvalue(res, i, 1),
		    (size_t)PQgetlength(res, i, 1));
		if (jsonx_parse(PQgetvalue(res, i, 2), (size_t)PQgetlength(res,
		    i, 2), JSONX_MAX_DEPTH, &attrs, err, sizeof err) == -1)
			attrs = NULL;
		for (k = 0; k < nkeys; k++) {
			struct json_object	*v = NULL;
			const char		*s;

			strbuf_addch(&out, ',');
			if (attrs == NULL || !json_object_object_get_ex(attrs,
			    json_object_get_string(json_object_array_get_idx(
			    keys, k)), &v) || v == NULL)
				continue;
			s = json_object_get_string(v);
			csv_write_field(&out, s, strlen(s));
		}
		json_object_put(attrs);
		strbuf_addstr(&out, "\r\n");
	}
	PQclear(res);
	snprintf(filename, sizeof filename, "contacts-%s.csv", params[0]);
	api_respond_csv(r, filename, out.data, out.len);
out:
	strbuf_free(&out);
	json_object_put(keys);
}
