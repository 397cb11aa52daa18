#include "stats.h"

#include <stdarg.h>
#include <stdio.h>

struct stats	stats;

struct stats_out {
	char	*p;
	size_t	 left;
	int	 full;
};

static void
stats_put(struct stats_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
stats_put(struct stats_out *o, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p, o->left, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->left) {
		o->full = 1;
		return;
	}
	o->p += n;
	o->left -= (size_t)n;
}

/* Counters get the conventional _total suffix. */
static void
stats_metric(struct stats_out *o, const char *id, const char *kind,
    const char *help, unsigned long long v)
{
	const char	*suffix = kind[0] == 'c' ? "_total" : "";

	stats_put(o, "# HELP waqtor_pushd_%s%s %s\n# TYPE waqtor_pushd_%s%s %s\n"
	    "waqtor_pushd_%s%s %llu\n", id, suffix, help, id, suffix, kind,
	    id, suffix, v);
}

int
stats_json(char *out, size_t outlen, int redis_up, int pg_up)
{
	struct stats_out	o = { out, outlen, 0 };
	int			i;

	stats_put(&o, "{\"redis\":\"%s\",\"postgres\":\"%s\",\"namespaces\":{",
	    redis_up ? "ok" : "down", pg_up ? "ok" : "down");
	for (i = 0; i < NSP__COUNT; i++)
		stats_put(&o, "%s\"%s\":%llu", i > 0 ? "," : "",
		    nsp_table[i].name, stats.sockets[i]);
	stats_put(&o, "}");
#define X(id, kind, help) stats_put(&o, ",\"" #id "\":%llu", stats.id);
	STATS_TABLE(X)
#undef X
	stats_put(&o, "}\n");
	return o.full ? -1 : 0;
}

int
stats_prometheus(char *out, size_t outlen, int redis_up, int pg_up)
{
	struct stats_out	o = { out, outlen, 0 };
	int			i;

	stats_put(&o, "# HELP waqtor_pushd_up_redis 1 when subscribed to Redis\n"
	    "# TYPE waqtor_pushd_up_redis gauge\nwaqtor_pushd_up_redis %d\n",
	    redis_up);
	stats_put(&o, "# HELP waqtor_pushd_up_postgres 1 when connected to "
	    "PostgreSQL\n# TYPE waqtor_pushd_up_postgres gauge\n"
	    "waqtor_pushd_up_postgres %d\n", pg_up);
	stats_put(&o, "# HELP waqtor_pushd_sockets Socket.IO sockets per "
	    "namespace\n# TYPE waqtor_pushd_sockets gauge\n");
	for (i = 0; i < NSP__COUNT; i++)
		stats_put(&o, "waqtor_pushd_sockets{namespace=\"%s\"} %llu\n",
		    nsp_table[i].name, stats.sockets[i]);
#define X(id, kind, help) stats_metric(&o, #id, #kind, help, stats.id);
	STATS_TABLE(X)
#undef X
	return o.full ? -1 : 0;
}
