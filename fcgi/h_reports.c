/*
 * Reports (premium) from the hourly rollups of sql/015_reports.sql, never
 * from the messages themselves: a summary of a range, a time series by
 * hour or by day of the tenant's time zone, and a campaign's funnel,
 * failures by error code and hours. Each answers JSON, or CSV when the
 * client accepts text/csv. A range is whole hours: from is taken back to
 * its hour, and an hour counts when it starts before to.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "strbuf.h"
#include "util.h"
#include "validate.h"

#define REPORT_DAYS_MAX		400	/* a range, and daily points */
#define REPORT_HOURS_MAX	(31 * 24)	/* hourly points */

/* The figures of report_figures(), in their order (for the spec's sake). */
#define REPORT_FIGURES	"f.sent, f.delivered, f.read, f.failed, f.pending, " \
    "f.inbound, f.\"uniqueContacts\", f.replied, f.\"replyRate\", " \
    "f.\"smartbotReplies\", f.\"avgDeliveredMs\", f.\"avgReadMs\""

struct range {
	char		 from[40], to[40];	/* UTC, as PostgreSQL prints */
	char		 instance[40], campaign[40];
	const char	*params[5];		/* from, to, instance, campaign,
						   bucket */
};

static int
wants_csv(struct req *r)
{
	const char	*accept = http_param(r, "HTTP_ACCEPT");

	return accept != NULL && strstr(accept, "text/csv") != NULL;
}

/*
 * ?from&to&instanceId&campaignId into q: to defaults to now, from to 30
 * days before to; from must come before to, at most max_hours apart. 0,
 * or -1 answered 400.
 */
static int
range_parse(struct req *r, struct range *q, long max_hours)
{
	char		 from[40], to[40], from_utc[40], to_utc[40], hours[16];
	const char	*params[3];
	PGresult	*res;
	int		 ok;

	memset(q, 0, sizeof *q);
	if (query_filter(r, "from", from, sizeof from, util_is_rfc3339) == 1 ||
	    query_filter(r, "to", to, sizeof to, util_is_rfc3339) == 1 ||
	    query_filter(r, "instanceId", q->instance, sizeof q->instance,
	    util_is_uuid) == 1 || query_filter(r, "campaignId", q->campaign,
	    sizeof q->campaign, util_is_uuid) == 1)
		return -1;
	/* in UTC: PostgreSQL refuses offsets RFC 3339 allows (beyond 15:59) */
	params[0] = http_query(r, "from", from, sizeof from) == 0 &&
	    util_rfc3339_utc(from, from_utc, sizeof from_utc) == 0 ?
	    from_utc : NULL;
	params[1] = http_query(r, "to", to, sizeof to) == 0 &&
	    util_rfc3339_utc(to, to_utc, sizeof to_utc) == 0 ? to_utc : NULL;
	snprintf(hours, sizeof hours, "%ld", max_hours);
	params[2] = hours;
	if ((res = api_query(r, "SELECT f, t, f < t AND t - date_trunc('hour', "
	    "f) <= make_interval(hours => $3::int) FROM (SELECT COALESCE($1::"
	    "timestamptz, t - interval '30 days') AS f, t FROM (SELECT COALESCE("
	    "$2::timestamptz, now()) AS t) x) y", 3, params)) == NULL)
		return -1;
	ok = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	snprintf(q->from, sizeof q->from, "%s", PQgetvalue(res, 0, 0));
	snprintf(q->to, sizeof q->to, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	if (!ok) {
		char	why[96];

		snprintf(why, sizeof why, "must come after from, at most %ld "
		    "%s later", max_hours % 24 == 0 ? max_hours / 24 :
		    max_hours, max_hours % 24 == 0 ? "days" : "hours");
		validate_fail_field(r, "to", why);
		return -1;
	}
	q->params[0] = q->from;
	q->params[1] = q->to;
	q->params[2] = q->instance[0] != '\0' ? q->instance : NULL;
	q->params[3] = q->campaign[0] != '\0' ? q->campaign : NULL;
	return 0;
}

/*
 * Runs rows_sql (the report as a table) and answers it as CSV, or as the
 * JSON json_sql builds from it (rows_sql is its CTE "rows"), with n
 * parameters.
 */
static void
report_respond(struct req *r, const char *filename, const char *rows_sql,
    const char *json_sql, int n, const char *const *params)
{
	struct strbuf	 sql = STRBUF_INIT;
	PGresult	*res;

	if (wants_csv(r)) {
		if ((res = api_query(r, rows_sql, n, params)) != NULL)
			api_respond_result_csv(r, filename, res);
		return;
	}
	strbuf_addstr(&sql, "WITH rows AS (");
	strbuf_addstr(&sql, rows_sql);
	strbuf_addstr(&sql, ") ");
	strbuf_addstr(&sql, json_sql);
	if ((res = api_query(r, sql.data, n, params)) != NULL)
		api_respond_row(r, 200, res, "report");
	strbuf_free(&sql);
}

void
h_report_summary(struct req *r)
{
	struct range	q;

	if (range_parse(r, &q, REPORT_DAYS_MAX * 24) == -1)
		return;
	report_respond(r, "summary.csv", "SELECT api_time($1::timestamptz) AS "
	    "\"from\", api_time($2::timestamptz) AS \"to\", $3::uuid AS "
	    "\"instanceId\", $4::uuid AS \"campaignId\", " REPORT_FIGURES " "
	    "FROM (SELECT 1) one LEFT JOIN report_buckets($1, $2, $3, $4, "
	    "'all', 'UTC') b ON true, report_figures(b.sums) f",
	    "SELECT row_to_json(rows)::text FROM rows", 4, q.params);
}

static int
is_bucket(const char *s)
{
	static const char *const buckets[] = { "hour", "day", NULL };

	return validate_one_of(s, buckets);
}

void
h_report_timeseries(struct req *r)
{
	struct range	q;
	char		 bucket[8];
	int		 rc;

	if ((rc = query_filter(r, "bucket", bucket, sizeof bucket,
	    is_bucket)) == 1)
		return;
	if (rc == -1)
		snprintf(bucket, sizeof bucket, "day");
	if (range_parse(r, &q, strcmp(bucket, "hour") == 0 ? REPORT_HOURS_MAX :
	    REPORT_DAYS_MAX * 24) == -1)
		return;
	q.params[4] = bucket;
	report_respond(r, "timeseries.csv", "WITH z AS (SELECT "
	    "tenant_time_zone(current_setting('waqtor.tenant_id')::uuid) AS "
	    "tz), s AS (SELECT g AS start FROM generate_series(date_trunc("
	    "'hour', $1::timestamptz), $2::timestamptz - interval '1 "
	    "microsecond', interval '1 hour') g WHERE $5 = 'hour' UNION ALL "
	    "SELECT d AT TIME ZONE z.tz FROM z, generate_series(date_trunc("
	    "'day', $1::timestamptz AT TIME ZONE z.tz), ($2::timestamptz - "
	    "interval '1 microsecond') AT TIME ZONE z.tz, interval '1 day') d "
	    "WHERE $5 = 'day'), b AS (SELECT b.* FROM z, report_buckets($1, $2, "
	    "$3, $4, $5, z.tz) b) SELECT api_time(s.start) AS start, "
	    "report_local(s.start, z.tz) AS \"local\", " REPORT_FIGURES " FROM "
	    "z, s LEFT JOIN b ON b.bucket = s.start, report_figures(b.sums) f "
	    "ORDER BY s.start",
	    "SELECT json_build_object('bucket', $5::text, 'timeZone', (SELECT "
	    "tenant_time_zone(current_setting('waqtor.tenant_id')::uuid)), "
	    "'from', api_time($1::timestamptz), 'to', api_time($2::"
	    "timestamptz), 'points', COALESCE((SELECT json_agg(rows ORDER BY "
	    "rows.start) FROM rows), '[]'))::text", 5, q.params);
}

void
h_report_campaign(struct req *r)
{
	const char	*id;

	if (api_path_row(r, "campaign", "SELECT 1 FROM campaigns WHERE id = $1",
	    &id) == -1)
		return;
	/* its rows: from its creation's hour to now */
	report_respond(r, "campaign-report.csv", "WITH c AS (SELECT id, "
	    "date_trunc('hour', created_at) AS f, now() + interval '1 hour' AS "
	    "t FROM campaigns WHERE id = $1), z AS (SELECT tenant_time_zone("
	    "current_setting('waqtor.tenant_id')::uuid) AS tz) SELECT "
	    "api_time(b.bucket) AS start, report_local(b.bucket, z.tz) AS "
	    "\"local\", " REPORT_FIGURES " FROM c, z, report_buckets(c.f, c.t, "
	    "NULL, c.id, 'hour', 'UTC') b, report_figures(b.sums) f ORDER BY "
	    "b.bucket",
	    "SELECT json_build_object('campaign', json_build_object('id', c.id, "
	    "'name', c.name, 'status', c.status, 'total', c.total), 'funnel', ("
	    "SELECT row_to_json(x) FROM (SELECT c.total AS recipients, "
	    REPORT_FIGURES " FROM (SELECT 1) one LEFT JOIN report_buckets("
	    "date_trunc('hour', c.created_at), now() + interval '1 hour', NULL, "
	    "c.id, 'all', 'UTC') b ON true, report_figures(b.sums) f) x), "
	    "'failuresByCode', COALESCE((SELECT json_agg(json_build_object("
	    "'code', NULLIF(e.code, ''), 'count', e.n) ORDER BY e.n DESC, e.code) "
	    "FROM (SELECT error_code AS code, sum(n) AS n FROM report_rows("
	    "date_trunc('hour', c.created_at), now() + interval '1 hour', NULL, "
	    "c.id) WHERE direction = 'out' AND status = 'failed' GROUP BY 1 "
	    "HAVING sum(n) > 0) e), '[]'), 'hours', COALESCE((SELECT json_agg("
	    "rows ORDER BY rows.start) FROM rows), '[]'))::text FROM campaigns "
	    "c WHERE c.id = $1", 1, (const char *[]){ id });
}
