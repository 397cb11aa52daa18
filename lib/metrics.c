#include "metrics.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"

#define METRICS_FAMILIES	64
#define METRICS_REQUEST_MAX	4096	/* of a scrape's request head */
#define METRICS_TIMEOUT_S	2	/* to read it, and to write the answer */

/* Upper bounds of the histogram buckets, in seconds (then +Inf). */
static const double bounds[METRICS_BUCKETS] = {
	0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};

struct family {
	const char		*name, *help;
	enum metrics_type	 type;
};

struct series {
	int			 family;
	char			 labels[METRICS_LABELS_MAX];
	unsigned long long	 value;		/* a gauge's as two's complement */
	unsigned long long	 buckets[METRICS_BUCKETS];
	unsigned long long	 sum_us;
};

struct registry {
	int			 lock;
	int			 n;
	int			 overflowed;
	struct series		 s[METRICS_SERIES];
};

/* (declared before the forks, so every process has the same table) */
static struct family	 families[METRICS_FAMILIES];
static int		 nfamilies;
static struct registry	*reg;

int
metrics_init(void)
{
	void	*p = mmap(NULL, sizeof *reg, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	reg = p;
	return 0;
}

void
metrics_family(const char *name, enum metrics_type type, const char *help)
{
	if (nfamilies == METRICS_FAMILIES) {
		log_error("metrics: more than %d families", METRICS_FAMILIES);
		abort();
	}
	families[nfamilies].name = name;
	families[nfamilies].type = type;
	families[nfamilies].help = help;
	nfamilies++;
}

static int
family_find(const char *name)
{
	int	i;

	for (i = 0; i < nfamilies; i++)
		if (strcmp(families[i].name, name) == 0)
			return i;
	log_error("metrics: undeclared family %s", name);
	abort();
}

static struct series *
series_scan(int f, const char *labels, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (reg->s[i].family == f && strcmp(reg->s[i].labels, labels) == 0)
			return &reg->s[i];
	return NULL;
}

/* The series of name and labels, made when new; NULL without a registry. */
static struct series *
series_get(const char *name, const char *labels)
{
	struct series	*s;
	int		 f, n;

	if (reg == NULL)
		return NULL;
	f = family_find(name);
	if (strlen(labels) >= METRICS_LABELS_MAX)
		labels = "overflow=\"true\"";
	if ((s = series_scan(f, labels, __atomic_load_n(&reg->n,
	    __ATOMIC_ACQUIRE))) != NULL)
		return s;
	while (__atomic_test_and_set(&reg->lock, __ATOMIC_ACQUIRE))
		;
	n = reg->n;
	if ((s = series_scan(f, labels, n)) == NULL) {
		if (n == METRICS_SERIES) {
			if (!reg->overflowed)
				log_warn("metrics: over %d series: the rest "
				    "are counted as overflow", METRICS_SERIES);
			reg->overflowed = 1;
			labels = "overflow=\"true\"";
			s = series_scan(f, labels, n);
		}
		if (s == NULL && n < METRICS_SERIES) {
			s = &reg->s[n];
			s->family = f;
			snprintf(s->labels, sizeof s->labels, "%s", labels);
			__atomic_store_n(&reg->n, n + 1, __ATOMIC_RELEASE);
		}
	}
	__atomic_clear(&reg->lock, __ATOMIC_RELEASE);
	return s;
}

void
metrics_add(const char *name, const char *labels, unsigned long long n)
{
	struct series	*s = series_get(name, labels);

	if (s != NULL)
		__atomic_add_fetch(&s->value, n, __ATOMIC_RELAXED);
}

void
metrics_set(const char *name, const char *labels, long long v)
{
	struct series	*s = series_get(name, labels);

	if (s != NULL)
		__atomic_store_n(&s->value, (unsigned long long)v,
		    __ATOMIC_RELAXED);
}

/* (kept in microseconds) */
void
metrics_set_seconds(const char *name, const char *labels, double s)
{
	metrics_set(name, labels, (long long)(s * 1e6));
}

static int
is_seconds(const char *name)
{
	size_t	n = strlen(name);

	return n > 8 && strcmp(name + n - 8, "_seconds") == 0;
}

void
metrics_observe(const char *name, const char *labels, double seconds)
{
	struct series	*s = series_get(name, labels);
	int		 b;

	if (s == NULL)
		return;
	if (seconds < 0)
		seconds = 0;
	for (b = 0; b < METRICS_BUCKETS && seconds > bounds[b]; b++)
		;
	if (b < METRICS_BUCKETS)
		__atomic_add_fetch(&s->buckets[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->sum_us, (unsigned long long)(seconds * 1e6),
	    __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->value, 1, __ATOMIC_RELAXED);
}

/* name{labels[,extra]} */
static void
render_name(struct strbuf *out, const char *name, const char *suffix,
    const char *labels, const char *extra)
{
	strbuf_addf(out, "%s%s", name, suffix);
	if (*labels != '\0' || extra != NULL)
		strbuf_addf(out, "{%s%s%s}", labels, *labels != '\0' &&
		    extra != NULL ? "," : "", extra != NULL ? extra : "");
}

static void
render_series(struct strbuf *out, const struct family *fam,
    const struct series *s)
{
	unsigned long long	 v = __atomic_load_n(&s->value, __ATOMIC_RELAXED);
	unsigned long long	 cum = 0;
	char			 le[32];
	int			 b;

	switch (fam->type) {
	case METRICS_COUNTER:
		render_name(out, fam->name, "_total", s->labels, NULL);
		strbuf_addf(out, " %llu\n", v);
		break;
	case METRICS_GAUGE:
		render_name(out, fam->name, "", s->labels, NULL);
		if (is_seconds(fam->name))
			strbuf_addf(out, " %.6f\n", (double)(long long)v / 1e6);
		else
			strbuf_addf(out, " %lld\n", (long long)v);
		break;
	case METRICS_HISTOGRAM:
		for (b = 0; b < METRICS_BUCKETS; b++) {
			cum += __atomic_load_n(&s->buckets[b], __ATOMIC_RELAXED);
			snprintf(le, sizeof le, "le=\"%g\"", bounds[b]);
			render_name(out, fam->name, "_bucket", s->labels, le);
			strbuf_addf(out, " %llu\n", cum);
		}
		/* (count may lead the buckets by an observation in flight) */
		render_name(out, fam->name, "_bucket", s->labels, "le=\"+Inf\"");
		strbuf_addf(out, " %llu\n", v > cum ? v : cum);
		render_name(out, fam->name, "_sum", s->labels, NULL);
		strbuf_addf(out, " %.6f\n", (double)__atomic_load_n(&s->sum_us,
		    __ATOMIC_RELAXED) / 1e6);
		render_name(out, fam->name, "_count", s->labels, NULL);
		strbuf_addf(out, " %llu\n", v > cum ? v : cum);
		break;
	}
}

void
metrics_render(struct strbuf *out)
{
	static const char *const types[] = {
		[METRICS_COUNTER] = "counter", [METRICS_GAUGE] = "gauge",
		[METRICS_HISTOGRAM] = "histogram",
	};
	int	f, i, n = reg != NULL ? __atomic_load_n(&reg->n,
	    __ATOMIC_ACQUIRE) : 0;

	for (f = 0; f < nfamilies; f++) {
		const struct family *fam = &families[f];

		strbuf_addf(out, "# HELP %s%s %s\n# TYPE %s%s %s\n", fam->name,
		    fam->type == METRICS_COUNTER ? "_total" : "", fam->help,
		    fam->name, fam->type == METRICS_COUNTER ? "_total" : "",
		    types[fam->type]);
		for (i = 0; i < n; i++)
			if (reg->s[i].family == f)
				render_series(out, fam, &reg->s[i]);
	}
}

void
metrics_render_gauge(struct strbuf *out, const char *name, const char *help,
    const char *labels, long long v)
{
	strbuf_addf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
	render_name(out, name, "", labels, NULL);
	strbuf_addf(out, " %lld\n", v);
}

/* ------------------------------------------------------------- server -- */

static volatile sig_atomic_t	serve_stop;

static void
serve_on_term(int sig)
{
	(void)sig;
	serve_stop = 1;
}

static int
serve_listen(struct addr *a)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	char			 err[160];
	int			 fd, one = 1;

	memset(&ss, 0, sizeof ss);
	if (a->is_unix) {
		struct sockaddr_un	*un = (struct sockaddr_un *)&ss;

		if (addr_reclaim(a, err, sizeof err) == -1) {
			log_error("metrics: %s", err);
			return -1;
		}
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, a->host, strlen(a->host) + 1);
		len = sizeof *un;
	} else if (a->is_ipv6) {
		struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)a->port);
		if (*a->host != '\0' &&
		    inet_pton(AF_INET6, a->host, &in6->sin6_addr) != 1)
			return -1;
		len = sizeof *in6;
	} else {
		struct sockaddr_in	*in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)a->port);
		in->sin_addr.s_addr = htonl(INADDR_ANY);
		if (*a->host != '\0' &&
		    inet_pton(AF_INET, a->host, &in->sin_addr) != 1)
			return -1;
		len = sizeof *in;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 || listen(fd, 16) == -1) {
		close(fd);
		return -1;
	}
	if (a->is_unix)
		addr_claim(a);
	return fd;
}

/* One scrape: GET /metrics (any query), else 404; 405 for another method. */
static void
serve_one(int fd, void (*gauges)(struct strbuf *, void *), void *arg)
{
	struct timeval	 tv = { METRICS_TIMEOUT_S, 0 };
	struct strbuf	 body = STRBUF_INIT, head = STRBUF_INIT;
	char		 req[METRICS_REQUEST_MAX + 1];
	size_t		 got = 0, off;
	ssize_t		 r;
	const char	*status;

	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	while (got < METRICS_REQUEST_MAX && (r = read(fd, req + got,
	    METRICS_REQUEST_MAX - got)) > 0) {
		got += (size_t)r;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	req[got] = '\0';
	if (strncmp(req, "GET /metrics ", 13) == 0 ||
	    strncmp(req, "GET /metrics?", 13) == 0) {
		status = "200 OK";
		metrics_render(&body);
		if (gauges != NULL)
			gauges(&body, arg);
	} else if (strncmp(req, "GET ", 4) == 0) {
		status = "404 Not Found";
		strbuf_addstr(&body, "metrics are at /metrics\n");
	} else {
		status = got == 0 ? NULL : "405 Method Not Allowed";
		strbuf_addstr(&body, "only GET /metrics\n");
	}
	if (status != NULL) {
		strbuf_addf(&head, "HTTP/1.0 %s\r\nContent-Type: text/plain; "
		    "version=0.0.4; charset=utf-8\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n", status, body.len);
		strbuf_add(&head, body.data != NULL ? body.data : "", body.len);
		for (off = 0; off < head.len; off += (size_t)r)
			if ((r = write(fd, head.data + off, head.len - off)) <= 0)
				break;
	}
	strbuf_free(&head);
	strbuf_free(&body);
}

pid_t
metrics_serve(const char *spec, void (*gauges)(struct strbuf *, void *),
    void *arg)
{
	struct sigaction	 sa;
	struct addr		 a;
	sigset_t		 none;
	char			 err[160];
	pid_t			 parent = getpid(), pid;
	int			 lfd, fd;

	if (addr_parse(spec, &a, err, sizeof err) == -1) {
		log_error("metrics: %s", err);
		return -1;
	}
	if ((pid = fork()) != 0) {
		if (pid == -1)
			log_error("metrics: fork: %s", strerror(errno));
		return pid;
	}
	/* the server: it ends with its parent, named apart from its workers */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	(void)prctl(PR_SET_NAME, "waqtor-metrics");
	if (getppid() != parent)
		_exit(0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = serve_on_term;	/* (no SA_RESTART: accept returns) */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((lfd = serve_listen(&a)) == -1) {
		log_error("metrics: cannot listen on %s: %s", spec,
		    strerror(errno));
		_exit(1);
	}
	addr_format(&a, err, sizeof err);
	log_info("metrics on %s", err);
	while (!serve_stop) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			continue;
		serve_one(fd, gauges, arg);
		close(fd);
	}
	addr_release(&a);
	_exit(0);
}
