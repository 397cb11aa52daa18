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
