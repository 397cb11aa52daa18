/* Small helpers shared by the daemons: clocks, ids, timestamps. */
#ifndef WAQTOR_UTIL_H
#define WAQTOR_UTIL_H

#include <stddef.h>

#define UTIL_UUID_LEN	36
#define UTIL_TS_LEN	24	/* 2026-11-26T00:40:00.123Z */

/* The elements of an array (not a pointer): tables count themselves. */
#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* Initialises libsodium; call once at start-up. Aborts when it fails. */
void util_init(void);
/* Monotonic milliseconds. */
long long util_now_ms(void);	/* monotonic */
long long util_wall_ms(void);	/* the time of day, since the epoch */
/* A random (version 4) UUID, lower-case, into out[UTIL_UUID_LEN + 1]. */
void util_uuid(char *out);
/* The current UTC time in RFC 3339 with milliseconds, into out[UTIL_TS_LEN + 1]. */
void util_timestamp(char *out);
/* n random bytes as 2n lower-case hex digits into out[2n + 1]. */
void util_random_hex(char *out, size_t n);
/* 1 when s looks like a canonical UUID. */
int util_is_uuid(const char *s);
/*
 * 1 when s is an RFC 3339 date-time that exists: YYYY-MM-DDTHH:MM:SS,
 * optional fraction (1-9 digits), then Z or an offset (+-HH:MM, hours
 * 00-23); months 1-12, days within the month (leap years too), hours 0-23,
 * minutes 0-59, seconds 0-60 (a leap second).
 */
int util_is_rfc3339(const char *s);
/*
 * The same instant in UTC, "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (a fraction cut
 * to microseconds, instants before year 1 or after 9999 held at those
 * bounds), into out: what PostgreSQL takes whatever the offset (it refuses
 * those beyond 15:59). 0, or -1 when s is no RFC 3339 date-time or out is
 * too small.
 */
int util_rfc3339_utc(const char *s, char *out, size_t len);
/*
 * A timestamptz as PostgreSQL prints it in UTC ("YYYY-MM-DD HH:MM:SS",
 * then a fraction of 1 to 6 digits when it is not 0, then "+00") as the
 * API's RFC 3339 with milliseconds, "YYYY-MM-DDTHH:MM:SS.mmmZ", into
 * out[UTIL_TS_LEN + 1]. 0, or -1 when pg is not in that shape.
 */
int util_pg_time(const char *pg, char *out);

#endif
