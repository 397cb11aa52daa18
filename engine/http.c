/*
 * Asynchronous HTTP on the engine's loop: libcurl's multi interface driven
 * by libuv (the pattern of curl's docs/examples/multi-uv.c). Connections
 * are kept alive and reused per host; each request has a total timeout;
 * answers are capped at HTTP_BODY_MAX. Finished requests keep their easy
 * handle and buffers on a free list (at most HTTP_FREE_MAX) for the next
 * one: at thousands of sends a second, creating and freeing a handle per
 * request was most of the engine's allocator time.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "config.h"
#include "engine.h"
#include "log.h"
#include "netguard.h"
#include "xmalloc.h"

#define HTTP_BODY_MAX	(1024 * 1024)
#define HTTP_FREE_MAX	64

struct http_req {
	LIST_ENTRY(http_req)	 entry;
	CURL			*easy;
	struct curl_slist	*headers;
	char			*payload;
	size_t			 payload_cap;
	char			*body;
	size_t			 len, cap;
	int			 too_big;
	http_reply_cb		*cb;
	void			*arg;
	char			 error[CURL_ERROR_SIZE];
	char			 refused[96];	/* http_open_public() */
};

struct http {
	struct engine		*e;
	CURLM			*multi;
	uv_timer_t		 timeout;
	LIST_HEAD(, http_req)	 reqs;		/* in flight */
	LIST_HEAD(, http_req)	 free;		/* finished, for reuse */
	int			 nfree;
};

struct http_sock {
	uv_poll_t		 poll;
	curl_socket_t		 fd;
	struct http		*h;
};

static void	http_check(struct http *);

static size_t
http_write(char *data, size_t size, size_t n, void *arg)
{
	struct http_req	*r = arg;
	size_t		 len = size * n;

	if (r->len + len > HTTP_BODY_MAX) {
		r->too_big = 1;
		return 0;
	}
	if (r->len + len + 1 > r->cap) {
		r->cap = r->len + len + 1 > 2 * r->cap ? r->len + len + 1 :
		    2 * r->cap;
		r->body = xreallocarray(r->body, r->cap, 1);
	}
	memcpy(r->body + r->len, data, len);
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

static void
http_poll(uv_poll_t *p, int status, int events)
{
	struct http_sock	*s = p->data;
	int			 flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	else {
		if (events & UV_READABLE)
			flags |= CURL_CSELECT_IN;
		if (events & UV_WRITABLE)
			flags |= CURL_CSELECT_OUT;
	}
	curl_multi_socket_action(s->h->multi, s->fd, flags, &running);
	http_check(s->h);
}

static void
http_sock_closed(uv_handle_t *h)
{
	free(h->data);
}

static int
http_socket(CURL *easy, curl_socket_t fd, int action, void *userp,
    void *socketp)
{
	struct http		*h = userp;
	struct http_sock	*s = socketp;
	int			 events = 0;

	(void)easy;
	if (action == CURL_POLL_REMOVE) {
		if (s != NULL) {
			uv_poll_stop(&s->poll);
			uv_close((uv_handle_t *)&s->poll, http_sock_closed);
			curl_multi_assign(h->multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->fd = fd;
		s->h = h;
		if (uv_poll_init_socket(h->e->loop, &s->poll, fd) != 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		curl_multi_assign(h->multi, fd, s);
	}
	if (action & CURL_POLL_IN)
		events |= UV_READABLE;
	if (action & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, http_poll);
	return 0;
}

static void
http_on_timeout(uv_timer_t *t)
{
	struct http	*h = t->data;
	int		 running;

	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check(h);
}

static int
http_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct http	*h = userp;

	(void)multi;
	if (timeout_ms < 0)
		uv_timer_stop(&h->timeout);
	else
		uv_timer_start(&h->timeout, http_on_timeout,
		    (uint64_t)(timeout_ms > 0 ? timeout_ms : 1), 0);
	return 0;
}

static void
http_free(struct http_req *r)
{
	curl_easy_cleanup(r->easy);
	free(r->payload);
	free(r->body);
	free(r);
}

static void
http_finish(struct http *h, struct http_req *r, long status, const char *error)
{
	struct http_reply	reply = { status, r->len > 0 ? r->body : "",
				    r->len, error, 0, 0 };
	curl_off_t		v;

	if (curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, &v) == CURLE_OK &&
	    v > 0)
		reply.retry_after_s = v;
	if (curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME_T, &v) == CURLE_OK)
		reply.latency_ms = v / 1000;
	LIST_REMOVE(r, entry);
	curl_multi_remove_handle(h->multi, r->easy);
	r->cb(r->arg, &reply);
	curl_slist_free_all(r->headers);
	r->headers = NULL;
	if (h->nfree >= HTTP_FREE_MAX) {
		http_free(r);
		return;
	}
	curl_easy_reset(r->easy);
	LIST_INSERT_HEAD(&h->free, r, entry);
	h->nfree++;
}

/* A request from the free list, or a new one; its handle without options. */
static struct http_req *
http_req_get(struct http *h)
{
	struct http_req	*r;

	if ((r = LIST_FIRST(&h->free)) != NULL) {
		LIST_REMOVE(r, entry);
		h->nfree--;
	} else {
		r = xcalloc(1, sizeof *r);
		if ((r->easy = curl_easy_init()) == NULL)
			fatal("curl_easy_init failed");
	}
	r->len = 0;
	r->too_big = 0;
	r->error[0] = r->refused[0] = '\0';
	return r;
}

static void
http_check(struct http *h)
{
	CURLMsg		*msg;
	int		 left;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		struct http_req	*r;
		long		 status = 0;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (msg->data.result == CURLE_OK) {
			curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
			http_finish(h, r, status, NULL);
		} else
			http_finish(h, r, 0, r->too_big ? "answer too large" :
			    r->refused[0] != '\0' ? r->refused :
			    r->error[0] != '\0' ? r->error :
			    curl_easy_strerror(msg->data.result));
	}
}

/* CURLOPT_OPENSOCKETFUNCTION of public-only requests: the address libcurl
 * is about to connect to, whatever DNS said before, must be public. */
static curl_socket_t
http_open_public(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct http_req		*r = arg;
	char			 addr[INET6_ADDRSTRLEN];
	const void		*in = NULL;

	(void)purpose;
	if (a->family == AF_INET)
		in = &((struct sockaddr_in *)(void *)&a->addr)->sin_addr;
	else if (a->family == AF_INET6)
		in = &((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr;
	if (in == NULL || inet_ntop(a->family, in, addr, sizeof addr) == NULL ||
	    netguard_allowed(addr, config_str(CFG_WEBHOOK_ALLOW_CIDRS)) != 1) {
		snprintf(r->refused, sizeof r->refused, "refused to connect "
		    "to %s: not a public address", in != NULL ? addr : "it");
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

void
http_request(struct engine *e, const struct http_request *q, http_reply_cb *cb,
    void *arg)
{
	struct http	*h = e->http;
	struct http_req	*r = http_req_get(h);
	size_t		 len = strlen(q->body);

	r->cb = cb;
	r->arg = arg;
	if (len + 1 > r->payload_cap) {
		free(r->payload);
		r->payload = xmalloc(len + 1);
		r->payload_cap = len + 1;
	}
	memcpy(r->payload, q->body, len + 1);
	r->headers = q->headers;
	curl_easy_setopt(r->easy, CURLOPT_URL, q->url);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->payload);
	curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, http_write);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->error);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, q->timeout_ms);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "waqtor-engine/" PACKAGE_VERSION);
	if (q->public_only) {
		/* no proxy from the environment: the address checked is the
		 * one connected to */
		curl_easy_setopt(r->easy, CURLOPT_NOPROXY, "*");
		curl_easy_setopt(r->easy, CURLOPT_OPENSOCKETFUNCTION,
		    http_open_public);
		curl_easy_setopt(r->easy, CURLOPT_OPENSOCKETDATA, r);
	}
	LIST_INSERT_HEAD(&h->reqs, r, entry);
	if (curl_multi_add_handle(h->multi, r->easy) != CURLM_OK)
		http_finish(h, r, 0, "cannot start the request");
}

void
http_post_json(struct engine *e, const char *url, const char *auth_header,
    const char *body, long timeout_ms, http_reply_cb *cb, void *arg)
{
	struct http_request	q = { url, body, NULL, timeout_ms, 0 };

	q.headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (auth_header != NULL)
		q.headers = curl_slist_append(q.headers, auth_header);
	http_request(e, &q, cb, arg);
}

int
http_start(struct engine *e)
{
	struct http	*h = xcalloc(1, sizeof *h);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (h->multi = curl_multi_init()) == NULL) {
		free(h);
		return -1;
	}
	h->e = e;
	LIST_INIT(&h->reqs);
	LIST_INIT(&h->free);
	uv_timer_init(e->loop, &h->timeout);
	h->timeout.data = h;
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)ENGINE_IN_FLIGHT_MAX);
	e->http = h;
	return 0;
}

static void
http_closed(uv_handle_t *t)
{
	struct http	*h = t->data;

	curl_multi_cleanup(h->multi);
	curl_global_cleanup();
	free(h);
}

void
http_stop(struct engine *e)
{
	struct http	*h = e->http;
	struct http_req	*r;

	if (h == NULL)
		return;
	while ((r = LIST_FIRST(&h->reqs)) != NULL)
		http_finish(h, r, 0, "engine stopping");
	while ((r = LIST_FIRST(&h->free)) != NULL) {
		LIST_REMOVE(r, entry);
		http_free(r);
	}
	uv_timer_stop(&h->timeout);
	uv_close((uv_handle_t *)&h->timeout, http_closed);
	e->http = NULL;
}
