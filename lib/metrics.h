/*
 * Prometheus metrics of a daemon, in the text exposition format (0.0.4).
 *
 * Families are declared once (metrics_family: name, type, help); series
 * are a family plus a label set ("route=\"/api/v1/me\",method=\"GET\""),
 * made on first use. The registry lives in memory shared with the
 * processes the daemon forks (MAP_SHARED, made by metrics_init before any
 * fork), so the API's workers count into one table that its master serves,
 * and every update is an atomic add: no locks on the counting path (making
 * a new series takes a spinlock). It holds at most METRICS_SERIES series;
 * past that, new label sets are counted in one series labelled
 * overflow="true" and a warning is logged once.
 *
 * metrics_serve() forks a small server that answers GET /metrics on an
 * operator's address (a unix socket path or host:port, lib/addr.h): the
 * registry, then what gauges() appends (it runs in the server's process,
 * which has nothing of the parent but the registry and what gauges() opens
 * itself). The server ends with its parent.
 */
#ifndef WAQTOR_METRICS_H
#define WAQTOR_METRICS_H

#include <sys/types.h>

#include "strbuf.h"

#define METRICS_SERIES		2048
#define METRICS_LABELS_MAX	160
#define METRICS_BUCKETS		12	/* seconds: see metrics.c */

enum metrics_type { METRICS_COUNTER, METRICS_GAUGE, METRICS_HISTOGRAM };

/* Makes the shared registry; -1 when mmap fails. */
int metrics_init(void) __attribute__((warn_unused_result));
/* Declares a family (before the first fork; name without _total). */
void metrics_family(const char *name, enum metrics_type type,
    const char *help);
/* Adds n to a counter, sets a gauge, observes seconds in a histogram. A
 * gauge named *_seconds is set with metrics_set_seconds. */
void metrics_add(const char *name, const char *labels, unsigned long long n);
void metrics_set(const char *name, const char *labels, long long v);
void metrics_set_seconds(const char *name, const char *labels, double s);
void metrics_observe(const char *name, const char *labels, double seconds);
/* Appends the whole registry in the text format. */
void metrics_render(struct strbuf *out);
/* One gauge sample with its HELP and TYPE lines, for gauges() callbacks. */
void metrics_render_gauge(struct strbuf *out, const char *name,
    const char *help, const char *labels, long long v);

/* The server's pid, or -1 (logged). */
pid_t metrics_serve(const char *addr,
    void (*gauges)(struct strbuf *out, void *arg), void *arg);

#endif
