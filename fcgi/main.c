/*
 * waqtor-api: a prefork master that opens the FastCGI socket, starts N
 * worker processes on it and keeps them alive. SIGTERM: the workers stop
 * accepting, finish the request in hand and exit; the master waits for them
 * (WAQTOR_SHUTDOWN_SECS at most, then SIGKILL). A second SIGTERM stops now.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "config.h"
#include "daemon.h"
#include "log.h"
#include "metrics.h"
#include "router.h"
#include "util.h"
#include "worker.h"
#include "xmalloc.h"

/* A worker that dies sooner than this after its start was not healthy. */
#define MASTER_QUICK_EXIT_MS	1000
#define MASTER_BACKOFF_MAX_MS	10000

struct slot {
	pid_t		pid;		/* 0: not running */
	long long	started_ms;
	long long	respawn_at_ms;	/* do not start before this */
	int		backoff_ms;
};

static struct slot	*slots;
static int		 nslots;
static int		 listen_fd = -1;

static int
master_listen(const char *addr)
{
	int	fd;

	if (strchr(addr, '/') != NULL) {
		/* a stale socket of a previous run would make bind() fail */
		if (unlink(addr) == -1 && errno != ENOENT)
			log_warn("cannot remove stale socket %s: %s", addr,
			    strerror(errno));
	}
	if (FCGX_Init() != 0)
		return -1;
	fd = FCGX_OpenSocket(addr, (int)config_int(CFG_API_BACKLOG));
	if (fd < 0)
		return -1;
	if (strchr(addr, '/') != NULL && chmod(addr, 0660) == -1)
		log_warn("chmod %s: %s", addr, strerror(errno));
	return fd;
}

static void
master_spawn(struct slot *s, const sigset_t *oldmask)
{
	pid_t	pid = fork();

	if (pid == -1) {
		log_error("fork: %s", strerror(errno));
		s->respawn_at_ms = util_now_ms() + 1000;
		return;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, oldmask, NULL);
		free(slots);
		_exit(worker_run(listen_fd));
	}
	s->pid = pid;
	s->started_ms = util_now_ms();
}

/* Reaps exited workers and schedules their restart, backing off when they
 * die young so a broken worker cannot make the master spin. */
static int
master_reap(int stopping)
{
	pid_t	pid;
	int	status, i, alive = 0;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < nslots; i++) {
			struct slot	*s = &slots[i];
			long long	 now = util_now_ms();

			if (s->pid != pid)
				continue;
			s->pid = 0;
			if (stopping)
				break;
			metrics_add("waqtor_api_worker_restarts", "", 1);
			if (WIFSIGNALED(status))
				log_warn("worker %d killed by signal %d",
				    (int)pid, WTERMSIG(status));
			else
				log_warn("worker %d exited with status %d",
				    (int)pid, WEXITSTATUS(status));
			if (now - s->started_ms < MASTER_QUICK_EXIT_MS) {
				s->backoff_ms = s->backoff_ms == 0 ? 100 :
				    s->backoff_ms * 2;
				if (s->backoff_ms > MASTER_BACKOFF_MAX_MS)
					s->backoff_ms = MASTER_BACKOFF_MAX_MS;
			} else
				s->backoff_ms = 0;
			s->respawn_at_ms = now + s->backoff_ms;
			break;
		}
	}
	for (i = 0; i < nslots; i++)
		alive += slots[i].pid != 0;
	return alive;
}

static void
master_signal_all(int sig)
{
	int	i;

	for (i = 0; i < nslots; i++) {
		if (slots[i].pid != 0)
			kill(slots[i].pid, sig);
	}
}

static int
master_loop(const sigset_t *set, const sigset_t *oldmask)
{
	struct timespec	 tick = { 0, 200 * 1000 * 1000 };
	long long	 deadline = 0;
	int		 i, sig, stopping = 0;

	for (;;) {
		int alive = master_reap(stopping);

		if (stopping && alive == 0)
			break;
		if (stopping && util_now_ms() >= deadline) {
			log_warn("shutdown timeout: killing %d worker(s)", alive);
			master_signal_all(SIGKILL);
			deadline = util_now_ms() + 60 * 1000;
		}
		for (i = 0; !stopping && i < nslots; i++) {
			if (slots[i].pid == 0 &&
			    util_now_ms() >= slots[i].respawn_at_ms) {
				master_spawn(&slots[i], oldmask);
				alive += slots[i].pid != 0;
			}
		}
		/* (after the spawns: the gauge never shows a gap of a tick) */
		metrics_set("waqtor_api_workers", "", alive);
		sig = sigtimedwait(set, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			if (stopping) {
				log_warn("second signal: stopping now");
				master_signal_all(SIGKILL);
				continue;
			}
			log_info("stopping: draining in-flight requests");
			stopping = 1;
			deadline = util_now_ms() +
			    config_int(CFG_SHUTDOWN_SECS) * 1000;
			close(listen_fd);
			master_signal_all(SIGTERM);
		}
	}
	return 0;
}

/* The registry the workers count into, and its server (WAQTOR_METRICS). */
static int
master_metrics(void)
{
	if (*config_str(CFG_METRICS) == '\0')
		return 0;
	if (metrics_init() == -1) {
		log_error("metrics: %s", strerror(errno));
		return -1;
	}
	metrics_family("waqtor_api_requests", METRICS_COUNTER,
	    "requests answered, by route, method and status");
	metrics_family("waqtor_api_request_duration_seconds", METRICS_HISTOGRAM,
	    "from a request's arrival to its answer, by route and method");
	metrics_family("waqtor_api_worker_restarts", METRICS_COUNTER,
	    "workers that exited and were started again");
	metrics_family("waqtor_api_workers", METRICS_GAUGE, "workers running");
	return metrics_serve(config_str(CFG_METRICS), NULL, NULL) == -1 ? -1 : 0;
}

/* Prints the route table, one "METHOD PATTERN ROLE" a line (the spec test). */
static int
master_print_routes(void)
{
	static const char *const roles[] = {
		[ROLE_ANY] = "any", [ROLE_MEMBER] = "member",
		[ROLE_ADMIN] = "admin", [ROLE_OWNER] = "owner",
	};
	size_t	i;

	for (i = 0; i < route_table_len; i++)
		printf("%s %s %s\n", route_table[i].method,
		    route_table[i].pattern, roles[route_table[i].role]);
	return 0;
}

int
main(int argc, char **argv)
{
	sigset_t	 set, oldmask;
	char		 err[256];
	const char	*addr;
	int		 rc;

	if (argc > 1 && strcmp(argv[1], "--routes") == 0)
		return master_print_routes();
	if (daemon_config("api", err, sizeof err) == -1) {
		log_error("bad configuration: %s", err);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);

	/* Signals become events of the master loop (sigtimedwait). */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &oldmask);

	if (master_metrics() == -1)	/* (its server holds no socket of ours) */
		return 1;
	addr = config_str(CFG_API_SOCKET);
	if ((listen_fd = master_listen(addr)) == -1) {
		log_error("cannot listen on %s: %s", addr, strerror(errno));
		return 1;
	}
	nslots = (int)config_int(CFG_API_WORKERS);
	slots = xcalloc((size_t)nslots, sizeof *slots);
	log_info("listening on %s with %d workers", addr, nslots);

	rc = master_loop(&set, &oldmask);
	if (strchr(addr, '/') != NULL)
		unlink(addr);
	free(slots);
	log_info("stopped");
	return rc;
}
