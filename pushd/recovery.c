#include "recovery.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sock.h"
#include "strmap.h"
#include "util.h"
#include "xmalloc.h"

struct recovery_event {
	TAILQ_ENTRY(recovery_event) entry;
	unsigned long long	 offset;
	int			 nsp;
	char			 instance[UTIL_UUID_LEN + 1];
	char			 user[UTIL_UUID_LEN + 1];
	struct eio_frame	*f;
	long long		 at_ms;
};

/* One tenant's recent events, oldest first, and what it lost. */
struct recovery_tenant {
	TAILQ_HEAD(, recovery_event) events;
	size_t			 count;
	size_t			 bytes;
	unsigned long long	 last;		/* offset of its newest event */
	unsigned long long	 lost;		/* newest offset it dropped */
	char			 id[UTIL_UUID_LEN + 1];
};

struct recovery_rec {
	TAILQ_ENTRY(recovery_rec) entry;
	char			 pid[EIO_SID_LEN + 1];
	char			 id[EIO_SID_LEN + 1];
	int			 nsp;
	char			 tenant[UTIL_UUID_LEN + 1];
	long long		 at_ms;
};

static struct {
	long			 window_ms;
	unsigned long long	 next;		/* offset of the next event */
	struct strmap		 tenants;	/* id -> recovery_tenant */
	struct strmap		 recs;		/* pid -> record */
	TAILQ_HEAD(, recovery_rec) order;	/* oldest first */
} rcv;

void
recovery_init(long window_ms)
{
	rcv.window_ms = window_ms;
	rcv.next = 1;
	if (window_ms <= 0)
		return;
	strmap_init(&rcv.tenants);
	strmap_init(&rcv.recs);
	TAILQ_INIT(&rcv.order);
}

int
recovery_enabled(void)
{
	return rcv.window_ms > 0;
}

unsigned long long
recovery_next(void)
{
	return rcv.next++;
}

/* Drops t's oldest event; lost records that its offset is gone. */
static void
recovery_pop_event(struct recovery_tenant *t)
{
	struct recovery_event	*e = TAILQ_FIRST(&t->events);

	TAILQ_REMOVE(&t->events, e, entry);
	t->count--;
	t->bytes -= e->f->len;
	t->lost = e->offset;
	eio_frame_unref(e->f);
	free(e);
}

static void
recovery_del_rec(struct recovery_rec *r)
{
	TAILQ_REMOVE(&rcv.order, r, entry);
	(void)strmap_del(&rcv.recs, r->pid);
	free(r);
}

/* Expires t's events older than the window. */
static void
recovery_expire_tenant(struct recovery_tenant *t, long long now)
{
	struct recovery_event	*e;

	while ((e = TAILQ_FIRST(&t->events)) != NULL &&
	    e->at_ms < now - rcv.window_ms)
		recovery_pop_event(t);
}

static void
recovery_expire(long long now)
{
	struct recovery_rec	*r;

	while ((r = TAILQ_FIRST(&rcv.order)) != NULL &&
	    (r->at_ms < now - rcv.window_ms ||
	    rcv.recs.count > RECOVERY_RECORDS))
		recovery_del_rec(r);
}

static struct recovery_tenant *
recovery_tenant(const char *tenant, int create)
{
	struct recovery_tenant	*t = strmap_get(&rcv.tenants, tenant);

	if (t != NULL || !create)
		return t;
	t = xcalloc(1, sizeof *t);
	TAILQ_INIT(&t->events);
	snprintf(t->id, sizeof t->id, "%s", tenant);
	(void)strmap_put(&rcv.tenants, t->id, t);
	return t;
}

void
recovery_keep(unsigned long long offset, int nsp, const char *tenant,
    const char *instance, const char *user, struct eio_frame *f)
{
	struct recovery_tenant	*t;
	struct recovery_event	*e;
	long long		 now = util_now_ms();

	if (!recovery_enabled())
		return;
	recovery_expire(now);
	t = recovery_tenant(tenant, 1);
	recovery_expire_tenant(t, now);
	/* a tenant only ever pushes out its own history */
	while (t->count > 0 && (t->count == RECOVERY_TENANT_EVENTS ||
	    t->bytes + f->len > RECOVERY_TENANT_BYTES))
		recovery_pop_event(t);
	e = xcalloc(1, sizeof *e);
	e->offset = offset;
	e->nsp = nsp;
	snprintf(e->instance, sizeof e->instance, "%s", instance);
	snprintf(e->user, sizeof e->user, "%s", user);
	e->f = eio_frame_ref(f);
	e->at_ms = now;
	TAILQ_INSERT_TAIL(&t->events, e, entry);
	t->count++;
	t->bytes += f->len;
	t->last = offset;
}

unsigned long long
recovery_offset(const char *tenant)
{
	struct recovery_tenant	*t;

	if (!recovery_enabled() || (t = recovery_tenant(tenant, 0)) == NULL)
		return 0;
	return t->last > t->lost ? t->last : t->lost;
}

void
recovery_save(const struct sock *k)
{
	struct recovery_rec	*r;
	long long		 now = util_now_ms();

	if (!recovery_enabled() || k->pid[0] == '\0')
		return;
	recovery_expire(now);
	if ((r = strmap_get(&rcv.recs, k->pid)) != NULL)
		recovery_del_rec(r);
	r = xcalloc(1, sizeof *r);
	memcpy(r->pid, k->pid, sizeof r->pid);
	memcpy(r->id, k->id, sizeof r->id);
	r->nsp = k->nsp;
	memcpy(r->tenant, k->tenant, sizeof r->tenant);
	r->at_ms = now;
	(void)strmap_put(&rcv.recs, r->pid, r);
	TAILQ_INSERT_TAIL(&rcv.order, r, entry);
}

int
recovery_restore(struct sock *k)
{
	struct recovery_rec	*r;
	struct recovery_tenant	*t;
	long long		 now = util_now_ms();

	if (!recovery_enabled())
		return -1;
	recovery_expire(now);
	r = strmap_get(&rcv.recs, k->want_pid);
	if (r == NULL || r->nsp != k->nsp || strcmp(r->tenant, k->tenant) != 0)
		return -1;
	if (k->want_offset >= rcv.next)
		return -1;
	/* Everything of the tenant after the offset must still be kept. */
	if ((t = recovery_tenant(k->tenant, 0)) != NULL) {
		recovery_expire_tenant(t, now);
		if (k->want_offset < t->lost)
			return -1;
	}
	memcpy(k->id, r->id, sizeof k->id);
	memcpy(k->pid, r->pid, sizeof k->pid);
	recovery_del_rec(r);
	return 0;
}

void
recovery_replay(struct sock *k)
{
	struct recovery_tenant	*t = recovery_tenant(k->tenant, 0);
	struct recovery_event	*e;

	if (t == NULL)
		return;
	TAILQ_FOREACH(e, &t->events, entry) {
		if (e->offset > k->want_offset && e->nsp == k->nsp &&
		    sock_wants(k, e->instance, e->user))
			sock_deliver(k, e->f, NULL);
	}
}

static void
recovery_free_tenant(const char *key, void *value, void *arg)
{
	struct recovery_tenant	*t = value;

	(void)key;
	(void)arg;
	while (t->count > 0)
		recovery_pop_event(t);
	free(t);
}

void
recovery_free(void)
{
	struct recovery_rec	*r;

	if (!recovery_enabled())
		return;
	strmap_each(&rcv.tenants, recovery_free_tenant, NULL);
	strmap_clear(&rcv.tenants);
	while ((r = TAILQ_FIRST(&rcv.order)) != NULL)
		recovery_del_rec(r);
	strmap_clear(&rcv.recs);
}
