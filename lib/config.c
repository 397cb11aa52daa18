#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netguard.h"
#include "xmalloc.h"

const struct config_option config_table[CFG__COUNT] = {
#define X(id, name, type, def, min, max, flags, help) \
	[CFG_##id] = { name, CONFIG_##type, def, min, max, flags, help },
	WAQTOR_CONFIG_TABLE(X)
#undef X
};

struct config_value {
	char	*str;
	long	 num;
};

static struct config_value	config_values[CFG__COUNT];
static int			config_loaded;

#define CONFIG_SECONDS_MAX	16

/* Parses "5,300,1800" into out; the count, or -1 when malformed. */
static int
seconds_parse(const char *s, long *out, int max)
{
	char	*end;
	long	 v;
	int	 n = 0;

	for (;;) {
		if (*s < '0' || *s > '9' || n == max)
			return -1;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno != 0 || v > 86400)
			return -1;
		out[n++] = v;
		if (*end == '\0')
			return n;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

static int
seconds_valid(const char *s)
{
	long	v[CONFIG_SECONDS_MAX];

	return seconds_parse(s, v, CONFIG_SECONDS_MAX) > 0;
}

static int
config_parse(const struct config_option *o, const char *s,
    struct config_value *v, char *err, size_t errlen)
{
	char	*end;
	long	 n;

	switch (o->type) {
	case CONFIG_STR:
		if ((o->flags & CONFIG_SECONDS) && !seconds_valid(s)) {
			snprintf(err, errlen, "%s: expected up to %d whole "
			    "seconds (at most 86400 each) separated by commas "
			    "(5,300,1800), got \"%s\"", o->name,
			    CONFIG_SECONDS_MAX, s);
			return -1;
		}
		if ((o->flags & CONFIG_CIDRS) && !netguard_cidrs_valid(s)) {
			snprintf(err, errlen, "%s: expected CIDRs separated by "
			    "commas (10.0.0.0/8,::1/128), got \"%s\"", o->name,
			    s);
			return -1;
		}
		break;
	case CONFIG_BOOL:
		if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 ||
		    strcmp(s, "yes") == 0)
			n = 1;
		else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0 ||
		    strcmp(s, "no") == 0)
			n = 0;
		else {
			snprintf(err, errlen, "%s: expected a boolean "
			    "(true/false), got \"%s\"", o->name, s);
			return -1;
		}
		v->num = n;
		break;
	case CONFIG_INT:
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno != 0 || end == s || *end != '\0') {
			snprintf(err, errlen, "%s: expected an integer, got "
			    "\"%s\"", o->name, s);
			return -1;
		}
		if (n < o->min || n > o->max) {
			snprintf(err, errlen, "%s: %ld is outside %ld..%ld",
			    o->name, n, o->min, o->max);
			return -1;
		}
		v->num = n;
		break;
	}
	free(v->str);
	v->str = xstrdup(s);
	return 0;
}

static void
config_defaults(void)
{
	size_t	i;
	char	err[8];

	for (i = 0; i < CFG__COUNT; i++) {
		if (config_parse(&config_table[i], config_table[i].def,
		    &config_values[i], err, sizeof err) == -1)
			fatal("config table: bad default for %s",
			    config_table[i].name);
	}
	config_loaded = 1;
}

int
config_load(char *err, size_t errlen)
{
	size_t	i;

	config_defaults();
	for (i = 0; i < CFG__COUNT; i++) {
		const char		*s = getenv(config_table[i].name);
		struct config_value	 v = { NULL, 0 };

		if (s == NULL || *s == '\0')
			continue;
		if (config_parse(&config_table[i], s, &v, err, errlen) == -1) {
			free(v.str);
			config_defaults();
			return -1;
		}
		free(config_values[i].str);
		config_values[i] = v;
	}
	return 0;
}

const char *
config_str(enum config_id id)
{
	if (!config_loaded)
		config_defaults();
	return config_values[id].str;
}

long
config_int(enum config_id id)
{
	if (!config_loaded)
		config_defaults();
	return config_values[id].num;
}

void
url_redact(const char *url, char *out, size_t outlen)
{
	const char	*scheme = strstr(url, "://");
	const char	*at, *colon, *auth;
	const char	*pw;

	snprintf(out, outlen, "%s", url);
	/* conninfo form: "host=... password=secret" */
	if ((pw = strstr(url, "password=")) != NULL) {
		size_t	keep = (size_t)(pw - url) + strlen("password=");
		const char *rest = pw + strlen("password=");

		rest += strcspn(rest, " &");
		snprintf(out, outlen, "%.*s***%s", (int)keep, url, rest);
		return;
	}
	if (scheme == NULL)
		return;
	auth = scheme + 3;
	at = strchr(auth, '@');
	if (at == NULL || memchr(auth, '/', (size_t)(at - auth)) != NULL)
		return;
	colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon == NULL) {
		/* redis://token@host: the user part is the secret */
		if (strncmp(url, "redis", 5) == 0)
			snprintf(out, outlen, "%.*s***%s",
			    (int)(auth - url), url, at);
		return;
	}
	snprintf(out, outlen, "%.*s:***%s", (int)(colon - url), url, at);
}

void
config_print(FILE *fp)
{
	size_t	i;
	char	buf[1024];

	if (!config_loaded)
		config_defaults();
	fprintf(fp, "%-22s %-5s %-28s %s\n", "NAME", "TYPE", "VALUE",
	    "MEANING (default)");
	for (i = 0; i < CFG__COUNT; i++) {
		const struct config_option	*o = &config_table[i];
		static const char *const	 types[] = { "str", "int", "bool" };
		const char			*v = config_values[i].str;

		if (o->flags & CONFIG_SECRET)
			snprintf(buf, sizeof buf, "%s", *v ? "***" : "");
		else if (o->flags & CONFIG_URL)
			url_redact(v, buf, sizeof buf);
		else
			snprintf(buf, sizeof buf, "%s", v);
		fprintf(fp, "%-22s %-5s %-28s %s (%s)\n", o->name,
		    types[o->type], buf, o->help, o->def);
	}
}

int
config_seconds(enum config_id id, long *out, int max)
{
	int	n = seconds_parse(config_str(id), out, max);

	return n > 0 ? n : 0;
}
