#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <sodium.h>

#include "xmalloc.h"

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
util_is_rfc3339(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	y, mo, d, h, mi, sec, oh, om, leap, i;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return 0;
	y = util_digits(s, 4);
	mo = util_digits(s + 5, 2);
	d = util_digits(s + 8, 2);
	h = util_digits(s + 11, 2);
	mi = util_digits(s + 14, 2);
	sec = util_digits(s + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > days[mo - 1] + (mo == 2 && leap))
		return 0;
	s += 19;
	if (*s == '.') {
		for (i = 1; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 1 || i > 10)
			return 0;
		s += i;
	}
	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0')
		return 1;
	if ((s[0] != '+' && s[0] != '-') || s[3] != ':' || strlen(s) != 6)
		return 0;
	oh = util_digits(s + 1, 2);
	om = util_digits(s + 4, 2);
	return oh >= 0 && om >= 0 && om <= 59 && (oh < 14 || (oh == 14 &&
	    om == 0));
}
