/* util: RFC 3339 date-times that exist, and nothing else. */
#include "tap.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

int
main(void)
{
	static const char *const good[] = {
		"2026-11-26T00:40:00Z", "2026-11-26t00:40:00z",
		"2026-11-26T00:40:00.123Z", "2026-11-26T00:40:00.123456789Z",
		"2024-02-29T12:00:00+03:00", "2000-02-29T00:00:00Z",
		"2026-12-31T23:59:60Z", "2026-01-01T00:00:00-14:00",
		"2026-01-01T00:00:00+14:00", "2026-01-01T00:00:00+05:45",
		"2026-01-01T00:00:00+14:30", "2026-01-01T00:00:00-23:59",
	};
	static const char *const bad[] = {
		"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
		"2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z",
		"2026-04-31T00:00:00Z", "2025-02-29T00:00:00Z",
		"1900-02-29T00:00:00Z", "2026-01-01T25:00:00Z",
		"2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
		"2026-01-01T00:00:61Z", "2026-01-01T00:00:00+24:00",
		"2026-01-01T00:00:00+05:60",
		"2026-01-01T00:00:00", "2026-01-01 00:00:00Z",
		"2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z",
		"2026-01-01T00:00:00Zjunk", "0000-01-01T00:00:00Z",
		"yesterday", "", "2026-01-01T0a:00:00Z", "2026-01-01T00:00:00+0500",
	};
	/* in UTC, for PostgreSQL, whatever the offset */
	static const char *const utc[][2] = {
		{ "2026-11-26T00:40:00Z", "2026-11-26T00:40:00Z" },
		{ "2026-11-26t03:40:00.5+03:00", "2026-11-26T00:40:00.5Z" },
		{ "2026-11-26T00:40:00.123456789Z", "2026-11-26T00:40:00.123456Z" },
		{ "0101-01-02T07:39:08-23:35", "0101-01-03T07:14:08Z" },
		{ "2024-02-29T23:30:00-00:45", "2024-03-01T00:15:00Z" },
		{ "0001-01-01T00:00:00+23:59", "0001-01-01T00:00:00Z" },
		{ "9999-12-31T23:59:59-23:59", "9999-12-31T23:59:59.999999Z" },
	};
	/* PostgreSQL's text of a timestamptz in UTC, and the API's (NULL: refused) */
	static const char *const pg[][2] = {
		{ "2026-12-03 14:43:32.041+00", "2026-12-03T14:43:32.041Z" },
		{ "2026-12-03 14:43:32.04+00", "2026-12-03T14:43:32.040Z" },
		{ "2026-12-03 14:43:32.1+00", "2026-12-03T14:43:32.100Z" },
		{ "2026-12-03 14:43:32.123456+00", "2026-12-03T14:43:32.123Z" },
		{ "2026-12-03 14:43:32.000009+00", "2026-12-03T14:43:32.000Z" },
		{ "2026-12-03 14:43:32+00", "2026-12-03T14:43:32.000Z" },
		{ "2026-12-03 14:43:32.04+03", NULL },
		{ "2026-12-03 14:43:32.+00", NULL },
		{ "2026-12-03 14:43:32.1234567+00", NULL },
		{ "2026-12-03T14:43:32+00", NULL },
		{ "2026-12-03 14:43", NULL },
		{ "", NULL },
	};
	char	buf[40];
	size_t	i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(util_is_rfc3339(good[i]), good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(!util_is_rfc3339(bad[i]), bad[i]);
	for (i = 0; i < sizeof utc / sizeof utc[0]; i++) {
		char name[96];

		snprintf(name, sizeof name, "%s is %s", utc[i][0], utc[i][1]);
		ok(util_rfc3339_utc(utc[i][0], buf, sizeof buf) == 0 &&
		    strcmp(buf, utc[i][1]) == 0, name);
	}
	ok(util_rfc3339_utc("2026-11-26T00:40:00Z", buf, 20) == -1,
	    "too small a buffer is an error");
	ok(util_rfc3339_utc("2026-02-30T00:00:00Z", buf, sizeof buf) == -1,
	    "a day that does not exist is an error");
	for (i = 0; i < sizeof pg / sizeof pg[0]; i++) {
		char name[96];

		snprintf(name, sizeof name, "PostgreSQL's %s is %s", pg[i][0],
		    pg[i][1] != NULL ? pg[i][1] : "refused");
		ok(pg[i][1] != NULL ? util_pg_time(pg[i][0], buf) == 0 &&
		    strcmp(buf, pg[i][1]) == 0 : util_pg_time(pg[i][0], buf) == -1,
		    name);
	}
	return tap_done();
}
