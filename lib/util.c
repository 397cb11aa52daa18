#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <sodium.h>

#include "xmalloc.h"

long long
util_wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
util_init(void)
{
	if (sodium_init() < 0)
		fatal("libsodium failed to initialise");
}

long long
util_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
util_uuid(char *out)
{
	unsigned char	b[16];

	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, UTIL_UUID_LEN + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
	    b[10], b[11], b[12], b[13], b[14], b[15]);
}

void
util_timestamp(char *out)
{
	struct timeval	tv;
	struct tm	tm;
	size_t		n;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	n = strftime(out, UTIL_TS_LEN + 1, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, UTIL_TS_LEN + 1 - n, ".%03uZ",
	    (unsigned)(tv.tv_usec / 1000) % 1000);
}

int
util_pg_time(const char *pg, char *out)
{
	char	ms[4] = "000";
	size_t	n, i;

	if (strlen(pg) < 22 || pg[4] != '-' || pg[7] != '-' || pg[10] != ' ' ||
	    pg[13] != ':' || pg[16] != ':')
		return -1;
	/* PostgreSQL drops the fraction's trailing zeros: .04 is 40 ms */
	n = pg[19] == '.' ? strspn(pg + 20, "0123456789") : 0;
	if ((pg[19] == '.' && (n == 0 || n > 6)) ||
	    strcmp(pg + 19 + (n > 0 ? n + 1 : 0), "+00") != 0)
		return -1;
	for (i = 0; i < n && i < 3; i++)
		ms[i] = pg[20 + i];
	snprintf(out, UTIL_TS_LEN + 1, "%.10sT%.8s.%sZ", pg, pg + 11, ms);
	return 0;
}

void
util_random_hex(char *out, size_t n)
{
	unsigned char	b[64];

	if (n > sizeof b)
		fatal("util_random_hex: %zu bytes is too many", n);
	randombytes_buf(b, n);
	sodium_bin2hex(out, 2 * n + 1, b, n);
}

int
util_is_uuid(const char *s)
{
	size_t	i;

	for (i = 0; i < UTIL_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return s[UTIL_UUID_LEN] == '\0';
}

/* n decimal digits at s as a number, or -1. */
static int
util_digits(const char *s, int n)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
util_rfc3339_utc(const char *s, char *out, size_t len)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int		 y, mo, d, h, mi, sec, oh = 0, om = 0, leap, i, nfrac = 0;
	const char	*frac = "";
	struct tm	 tm;
	time_t		 t;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return -1;
	y = util_digits(s, 4);
	mo = util_digits(s + 5, 2);
	d = util_digits(s + 8, 2);
	h = util_digits(s + 11, 2);
	mi = util_digits(s + 14, 2);
	sec = util_digits(s + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > days[mo - 1] + (mo == 2 && leap))
		return -1;
	s += 19;
	if (*s == '.') {
		for (i = 1; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 1 || i > 10)
			return -1;
		frac = s + 1;
		nfrac = i - 1 > 6 ? 6 : i - 1;	/* PostgreSQL keeps microseconds */
		s += i;
	}
	if ((s[0] != 'Z' && s[0] != 'z') || s[1] != '\0') {
		if ((s[0] != '+' && s[0] != '-') || s[3] != ':' || strlen(s) != 6)
			return -1;
		oh = util_digits(s + 1, 2);
		om = util_digits(s + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
		if (s[0] == '-') {
			oh = -oh;
			om = -om;
		}
	}
	if (out == NULL)
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm) - (time_t)(oh * 3600 + om * 60);
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	/* an offset may carry the instant past the years ISO 8601 writes */
	if (tm.tm_year + 1900 < 1)
		return snprintf(out, len, "0001-01-01T00:00:00Z") < (int)len ? 0 : -1;
	if (tm.tm_year + 1900 > 9999)
		return snprintf(out, len, "9999-12-31T23:59:59.999999Z") < (int)len ? 0 : -1;
	return snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d%s%.*sZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, nfrac > 0 ? "." : "", nfrac, frac) < (int)len ? 0 : -1;
}

int
util_is_rfc3339(const char *s)
{
	return util_rfc3339_utc(s, NULL, 0) == 0;
}
