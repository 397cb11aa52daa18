#include "redis_uv.h"

#include <stdlib.h>

#include "xmalloc.h"

struct redis_uv {
	uv_poll_t		 poll;
	redisAsyncContext	*ac;	/* NULL once hiredis let go of us */
	int			 events;
};

static void
redis_uv_on_poll(uv_poll_t *h, int status, int events)
{
	struct redis_uv	*w = h->data;

	/* On error, let hiredis try what it waits for and see the error. */
	if (status < 0)
		events = w->events;
	if (w->ac != NULL && (events & UV_READABLE))
		redisAsyncHandleRead(w->ac);
	if (w->ac != NULL && (events & UV_WRITABLE))
		redisAsyncHandleWrite(w->ac);
}

static void
redis_uv_update(struct redis_uv *w, int add, int del)
{
	w->events = (w->events | add) & ~del;
	if (w->events != 0)
		uv_poll_start(&w->poll, w->events, redis_uv_on_poll);
	else
		uv_poll_stop(&w->poll);
}

static void
redis_uv_add_read(void *arg)
{
	redis_uv_update(arg, UV_READABLE, 0);
}

static void
redis_uv_del_read(void *arg)
{
	redis_uv_update(arg, 0, UV_READABLE);
}

static void
redis_uv_add_write(void *arg)
{
	redis_uv_update(arg, UV_WRITABLE, 0);
}

static void
redis_uv_del_write(void *arg)
{
	redis_uv_update(arg, 0, UV_WRITABLE);
}

static void
redis_uv_on_close(uv_handle_t *h)
{
	free(h->data);
}

/* hiredis is freeing the context: it may be gone before the handle. */
static void
redis_uv_cleanup(void *arg)
{
	struct redis_uv	*w = arg;

	w->ac = NULL;
	uv_close((uv_handle_t *)&w->poll, redis_uv_on_close);
}

int
redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop)
{
	struct redis_uv	*w;

	if (ac->ev.data != NULL)
		return -1;
	w = xcalloc(1, sizeof *w);
	if (uv_poll_init(loop, &w->poll, ac->c.fd) != 0) {
		free(w);
		return -1;
	}
	w->poll.data = w;
	w->ac = ac;
	ac->ev.data = w;
	ac->ev.addRead = redis_uv_add_read;
	ac->ev.delRead = redis_uv_del_read;
	ac->ev.addWrite = redis_uv_add_write;
	ac->ev.delWrite = redis_uv_del_write;
	ac->ev.cleanup = redis_uv_cleanup;
	return 0;
}
