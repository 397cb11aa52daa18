#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum log_level log_min_level = LOG_INFO;

static char	log_process[32] = "waqtor";
static char	log_request[72];
static char	log_tenant[48];

static const char *const log_level_names[] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO] = "info",
	[LOG_WARN] = "warn",
	[LOG_ERROR] = "error",
};

void
log_init(const char *process, enum log_level min)
{
	snprintf(log_process, sizeof log_process, "%s", process);
	log_min_level = min;
}

int
log_level_parse(const char *name, enum log_level *out)
{
	size_t	i;

	for (i = 0; i < sizeof log_level_names / sizeof log_level_names[0]; i++) {
		if (strcmp(name, log_level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

static void
log_set_field(char *field, size_t len, const char *value)
{
	if (value == NULL)
		field[0] = '\0';
	else
		log_escape(value, field, len);
}

void
log_set_request(const char *request_id)
{
	log_set_field(log_request, sizeof log_request, request_id);
}

void
log_set_tenant(const char *tenant_id)
{
	log_set_field(log_tenant, sizeof log_tenant, tenant_id);
}

void
log_escape(const char *s, char *out, size_t outlen)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			o = 0;
	unsigned char		c;

	if (outlen == 0)
		return;
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		char	esc[5];
		size_t	n;

		if (c == '"' || c == '\\') {
			esc[0] = '\\'; esc[1] = (char)c; n = 2;
		} else if (c == '\n') {
			esc[0] = '\\'; esc[1] = 'n'; n = 2;
		} else if (c < 0x20 || c == 0x7f) {
			esc[0] = '\\'; esc[1] = 'x';
			esc[2] = hex[c >> 4]; esc[3] = hex[c & 15]; n = 4;
		} else {
			esc[0] = (char)c; n = 1;
		}
		if (o + n >= outlen)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
}

void
log_write(enum log_level level, const char *fmt, ...)
{
	char		msg[2048], esc[4096], ts[32], line[4608];
	struct timeval	tv;
	struct tm	tm;
	va_list		ap;
	int		n;

	if (level < log_min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_escape(msg, esc, sizeof esc);

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);

	n = snprintf(line, sizeof line,
	    "ts=%s.%03dZ level=%s proc=%s pid=%d%s%s%s%s msg=\"%s\"\n",
	    ts, (int)(tv.tv_usec / 1000), log_level_names[level], log_process,
	    (int)getpid(),
	    log_request[0] ? " req=" : "", log_request,
	    log_tenant[0] ? " tenant=" : "", log_tenant, esc);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line)
		n = (int)sizeof line - 1;
	/* One write per line, so lines from several processes never interleave. */
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
