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
	unsigned long long	 offset;
	int			 nsp;
	char			 tenant[UTIL_UUID_LEN + 1];
	char			 instance[UTIL_UUID_LEN + 1];
	struct eio_frame	*f;
	long long		 at_ms;
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
	struct recovery_event	*ring;
	size_t			 head;		/* oldest */
	size_t			 count;
	size_t			 bytes;
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
	rcv.ring = xcalloc(RECOVERY_EVENTS, sizeof *rcv.ring);
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

static void
recovery_pop_event(void)
{
	struct recovery_event	*e = &rcv.ring[rcv.head];

	rcv.bytes -= e->f->len;
	eio_frame_unref(e->f);
	e->f = NULL;
	rcv.head = (rcv.head + 1) % RECOVERY_EVENTS;
	rcv.count--;
}

static void
recovery_del_rec(struct recovery_rec *r)
{
	TAILQ_REMOVE(&rcv.order, r, entry);
	(void)strmap_del(&rcv.recs, r->pid);
	free(r);
}

static void
recovery_expire(long long now)
{
	struct recovery_rec	*r;

	while (rcv.count > 0 && rcv.ring[rcv.head].at_ms < now -
	    rcv.window_ms)
		recovery_pop_event();
	while ((r = TAILQ_FIRST(&rcv.order)) != NULL &&
	    (r->at_ms < now - rcv.window_ms ||
	    rcv.recs.count > RECOVERY_RECORDS))
		recovery_del_rec(r);
}

void
recovery_keep(unsigned long long offset, int nsp, const char *tenant,
    const char *instance, struct eio_frame *f)
{
	struct recovery_event	*e;
	long long		 now = util_now_ms();

	if (!recovery_enabled())
		return;
	recovery_expire(now);
	while (rcv.count > 0 && (rcv.count == RECOVERY_EVENTS ||
	    rcv.bytes + f->len > RECOVERY_BYTES))
		recovery_pop_event();
	e = &rcv.ring[(rcv.head + rcv.count) % RECOVERY_EVENTS];
	e->offset = offset;
	e->nsp = nsp;
	snprintf(e->tenant, sizeof e->tenant, "%s", tenant);
	snprintf(e->instance, sizeof e->instance, "%s",
	    instance != NULL ? instance : "");
	e->f = eio_frame_ref(f);
	e->at_ms = now;
	rcv.count++;
	rcv.bytes += f->len;
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
	unsigned long long	 oldest;

	if (!recovery_enabled())
		return -1;
	recovery_expire(util_now_ms());
	r = strmap_get(&rcv.recs, k->want_pid);
	if (r == NULL || r->nsp != k->nsp || strcmp(r->tenant, k->tenant) != 0)
		return -1;
	/* Everything after the offset must still be in the ring. */
	if (k->want_offset >= rcv.next)
		return -1;
	oldest = rcv.count > 0 ? rcv.ring[rcv.head].offset : rcv.next;
	if (k->want_offset + 1 < oldest)
		return -1;
	memcpy(k->id, r->id, sizeof k->id);
	memcpy(k->pid, r->pid, sizeof k->pid);
	recovery_del_rec(r);
	return 0;
}

void
recovery_replay(struct sock *k)
{
	struct recovery_event	*e;
	size_t			 i;

	for (i = 0; i < rcv.count; i++) {
		e = &rcv.ring[(rcv.head + i) % RECOVERY_EVENTS];
		if (e->offset <= k->want_offset || e->nsp != k->nsp ||
		    strcmp(e->tenant, k->tenant) != 0)
			continue;
		if (k->instance[0] != '\0' && strcmp(e->instance,
		    k->instance) != 0)
			continue;
		sock_deliver(k, e->f, NULL);
	}
}

void
recovery_free(void)
{
	struct recovery_rec	*r;

	if (!recovery_enabled())
		return;
	while (rcv.count > 0)
		recovery_pop_event();
	while ((r = TAILQ_FIRST(&rcv.order)) != NULL)
		recovery_del_rec(r);
	strmap_clear(&rcv.recs);
	free(rcv.ring);
	rcv.ring = NULL;
}
