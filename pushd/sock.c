#include "sock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fanout.h"
#include "jsonx.h"
#include "log.h"
#include "pgq.h"
#include "pushd.h"
#include "recovery.h"
#include "session.h"
#include "stats.h"
#include "token.h"
#include "xmalloc.h"

static void	sock_ev_ping(struct sock *, const struct sio_packet *,
		    struct sioc *);
static void	sock_ev_echo(struct sock *, const struct sio_packet *,
		    struct sioc *);

/* The events a client may emit; anything else is ignored. */
static const struct sock_event {
	const char	*name;
	void		(*fn)(struct sock *, const struct sio_packet *,
			    struct sioc *);
} sock_events[] = {
	{ "ping",	sock_ev_ping },	/* pong {"timestamp"}; ack too */
	{ "echo",	sock_ev_echo },	/* its arguments back, binary too */
};

#define SOCK_SQL_APIKEY \
	"SELECT key_id, tenant_id FROM auth_api_key($1, $2)"
/* a realtime token is good only while the session it came from lives */
#define SOCK_SQL_SESSION \
	"SELECT 1 FROM auth_session_live($1, $2)"
#define SOCK_SQL_INSTANCES \
	"SELECT id, name, status FROM instances " \
	"WHERE $1 = '' OR id::text = $1 ORDER BY name"

static long long
sock_epoch_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sock_protocol_error(struct session *s, const char *why)
{
	stats.protocol_errors++;
	log_info("sio: session %s: %s", s->sid, why);
	session_close(s, EIO_CLOSE, why);
}

/* Queues one Socket.IO packet (json may be NULL). */
static int
sock_send(struct session *s, enum sio_type type, int attachments,
    const char *nsp, long long id, const char *json)
{
	struct eio_frame	*f;
	size_t			 jlen = json != NULL ? strlen(json) : 0;
	size_t			 n = sio_encoded_len(type, attachments, nsp, id,
				    jlen);
	int			 rc;

	f = eio_frame_alloc(EIO_MESSAGE, n);
	if (sio_encode((char *)eio_frame_bytes(f) + 1, n, type, attachments,
	    nsp, id, json, jlen) == -1)
		fatal("sio: encoding a packet of %zu bytes", n);
	/* Answers to the client: bounded by its own rate, never dropped. */
	rc = session_send(s, f, NULL, 1);
	eio_frame_unref(f);
	return rc;
}

static void
sock_connect_error(struct session *s, const char *nsp, const char *message)
{
	struct json_object	*o = json_object_new_object();

	jsonx_add_str(o, "message", message);
	(void)sock_send(s, SIO_CONNECT_ERROR, 0, nsp, -1, jsonx_string(o));
	json_object_put(o);
}

/*
 * With recovery on, every event a client receives ends with an offset, as
 * socket.io's does (socket.io-client keeps the last string argument as its
 * offset): one sent to one socket carries its tenant's current offset.
 */
static void
sock_add_offset(struct sock *k, struct json_object *args)
{
	char	off[24];

	if (!recovery_enabled())
		return;
	snprintf(off, sizeof off, "%llu", recovery_offset(k->tenant));
	json_object_array_add(args, json_object_new_string(off));
}

/* Emits name with one argument (a JSON text) to k. */
static void
sock_emit(struct sock *k, const char *name, struct json_object *arg)
{
	struct json_object	*a = json_object_new_array();

	json_object_array_add(a, json_object_new_string(name));
	json_object_array_add(a, json_object_get(arg));
	sock_add_offset(k, a);
	if (sock_send(k->s, SIO_EVENT, 0, nsp_table[k->nsp].name, -1,
	    jsonx_string(a)) == 0)
		stats.events_out++;
	json_object_put(a);
}

int
sock_wants(const struct sock *k, const char *instance, const char *user)
{
	if (k->instance[0] != '\0' && strcmp(k->instance, instance) != 0)
		return 0;
	return user[0] == '\0' || k->user_id[0] == '\0' ||
	    strcmp(k->user_id, user) == 0;
}

void
sock_deliver(struct sock *k, struct eio_frame *f, const char *ckey)
{
	if (session_send(k->s, f, ckey, 0) == 0)
		stats.events_out++;
}

static void
sock_free(struct sock *k, int keep_for_recovery)
{
	struct sioc	*io = &k->s->sio;

	if (k->req != NULL)
		pgq_cancel(k->req);
	if (k->state == SOCK_CONNECTED) {
		fanout_remove(k);
		stats.sockets[k->nsp]--;
		if (keep_for_recovery)
			recovery_save(k);
	}
	io->socks[k->nsp] = NULL;
	free(k);
}

static void
sock_bin_clear(struct sioc *io)
{
	int	i;

	for (i = 0; i < io->natt; i++)
		eio_frame_unref(io->att[i]);
	io->natt = 0;
	io->att_bytes = 0;
	sio_packet_clear(&io->bin);
	free(io->bin_text);
	io->bin_text = NULL;
	io->bin_active = 0;
}

void
sock_session_closed(struct session *s, int abnormal)
{
	int	i;

	for (i = 0; i < NSP__COUNT; i++) {
		if (s->sio.socks[i] != NULL)
			sock_free(s->sio.socks[i], abnormal);
	}
	sock_bin_clear(&s->sio);
}

static void
sock_reject(struct sock *k, const char *message)
{
	struct session	*s = k->s;
	int		 nsp = k->nsp;

	stats.auth_failures++;
	log_info("sio: session %s: %s refused: %s", s->sid,
	    nsp_table[nsp].name, message);
	k->req = NULL;
	sock_free(k, 0);
	sock_connect_error(s, nsp_table[nsp].name, message);
}

static void
sock_on_status(PGresult *res, void *arg)
{
	struct sock		*k = arg;
	struct json_object	*o;
	char			 ts[UTIL_TS_LEN + 1];
	int			 i;

	k->req = NULL;
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_warn("sio: tenant %s: cannot read instance statuses: %s",
		    k->tenant, res != NULL ? PQresultErrorMessage(res) :
		    "database unavailable");
		return;
	}
	util_timestamp(ts);
	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		jsonx_add_str(o, "instanceId", PQgetvalue(res, i, 0));
		jsonx_add_str(o, "name", PQgetvalue(res, i, 1));
		jsonx_add_str(o, "status", PQgetvalue(res, i, 2));
		jsonx_add_str(o, "timestamp", ts);
		sock_emit(k, "status", o);
		json_object_put(o);
	}
}

/* The seed's /status: the current status of the tenant's instances. */
static void
sock_query_status(struct sock *k)
{
	struct pgq_step	steps[4] = {
		{ "BEGIN", 0, { NULL } },
		{ "SELECT set_config('waqtor.tenant_id', $1, true)", 1,
		    { k->tenant } },
		{ SOCK_SQL_INSTANCES, 1, { k->instance } },
		{ "COMMIT", 0, { NULL } },
	};

	k->req = pgq_submit(srv.pg, steps, 4, 2, sock_on_status, k);
	if (k->req == NULL)
		log_warn("sio: tenant %s: no instance statuses: database "
		    "unavailable", k->tenant);
}

static void
sock_accept(struct sock *k, const char *tenant)
{
	struct json_object	*o;
	int			 recovered = 0;

	k->req = NULL;
	if (tenant != k->tenant)
		snprintf(k->tenant, sizeof k->tenant, "%s", tenant);
	if (k->want_recovery)
		recovered = recovery_restore(k) == 0;
	if (!recovered) {
		eio_sid_new(k->id);
		if (recovery_enabled())
			eio_sid_new(k->pid);
	}
	k->state = SOCK_CONNECTED;
	k->s->sio.connected_once = 1;
	stats.sockets[k->nsp]++;
	fanout_add(k);

	o = json_object_new_object();
	jsonx_add_str(o, "sid", k->id);
	if (k->pid[0] != '\0')
		jsonx_add_str(o, "pid", k->pid);
	(void)sock_send(k->s, SIO_CONNECT, 0, nsp_table[k->nsp].name, -1,
	    jsonx_string(o));
	json_object_put(o);
	log_debug("sio: session %s: %s connected for tenant %s%s", k->s->sid,
	    nsp_table[k->nsp].name, k->tenant, recovered ? " (recovered)" :
	    "");
	if (recovered) {
		stats.recovered++;
		recovery_replay(k);
	} else if (k->want_recovery)
		stats.recovery_misses++;
	if (nsp_table[k->nsp].status_on_connect && !k->s->closed)
		sock_query_status(k);
}

/*
 * The answer to a credential's check in PostgreSQL: an API key's row
 * (SOCK_SQL_APIKEY: key and tenant), or a realtime token's session
 * (SOCK_SQL_SESSION: the tenant is the token's, already set).
 */
static void
sock_on_auth(PGresult *res, void *arg)
{
	struct sock	*k = arg;
	int		 by_key = k->session_id[0] == '\0';

	k->req = NULL;
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		sock_reject(k, "Authentication unavailable, try again later");
		return;
	}
	if (PQntuples(res) != 1) {
		sock_reject(k, by_key ? "Invalid API key" :
		    "Session ended: log in again");
		return;
	}
	if (!by_key) {
		sock_accept(k, k->tenant);
		return;
	}
	snprintf(k->key_id, sizeof k->key_id, "%s", PQgetvalue(res, 0, 0));
	sock_accept(k, PQgetvalue(res, 0, 1));
}

void
sock_revoke(struct sock *k)
{
	struct session	*s = k->s;

	stats.revoked++;
	log_info("sio: session %s: %s closed: its credential was revoked",
	    s->sid, nsp_table[k->nsp].name);
	(void)sock_send(s, SIO_DISCONNECT, 0, nsp_table[k->nsp].name, -1, NULL);
	sock_free(k, 0);
}

/* Reads pid and offset, which socket.io-client sends to recover. */
static void
sock_recovery_wanted(struct sock *k, struct json_object *auth)
{
	const char	*pid = jsonx_get_str(auth, "pid");
	const char	*off = jsonx_get_str(auth, "offset");
	char		*end;

	if (!recovery_enabled() || pid == NULL || off == NULL ||
	    strlen(pid) != EIO_SID_LEN || off[0] < '0' || off[0] > '9')
		return;
	k->want_offset = strtoull(off, &end, 10);
	if (*end != '\0')
		return;
	memcpy(k->want_pid, pid, EIO_SID_LEN + 1);
	k->want_recovery = 1;
}

static void
sock_connect(struct session *s, int nsp, struct json_object *auth)
{
	struct pgq_step	 step = { SOCK_SQL_APIKEY, 2, { NULL } };
	struct sock	*k;
	const char	*token = NULL, *instance = NULL;
	char		 prefix[APIKEY_PREFIX_HEX + 1];
	char		 hash[2 * TOKEN_HASH_LEN + 3];
	char		 tenant[UTIL_UUID_LEN + 1];
	size_t		 i;

	k = xcalloc(1, sizeof *k);
	k->s = s;
	k->nsp = nsp;
	k->state = SOCK_AUTHING;
	s->sio.socks[nsp] = k;
	if (auth != NULL) {
		token = jsonx_get_str(auth, "token");
		instance = jsonx_get_str(auth, "instanceId");
		sock_recovery_wanted(k, auth);
	}
	if (token == NULL || token[0] == '\0') {
		sock_reject(k, "Authentication required: pass auth.token");
		return;
	}
	if (instance != NULL) {
		if (!util_is_uuid(instance)) {
			sock_reject(k, "Invalid instanceId: expected a UUID");
			return;
		}
		/* UUIDs compare case-insensitively; events carry lower case */
		for (i = 0; instance[i] != '\0' && i < UTIL_UUID_LEN; i++)
			k->instance[i] = (char)tolower((unsigned char)instance[i]);
		k->instance[i] = '\0';
	}
	if (strncmp(token, "rt_", 3) == 0) {
		struct pgq_step	 live = { SOCK_SQL_SESSION, 2, { NULL } };

		if (!srv.have_secret || strlen(token) > RTOKEN_MAX ||
		    rtoken_verify(srv.secret, token, (long long)time(NULL),
		    tenant, k->user_id, k->session_id) == -1) {
			sock_reject(k, "Invalid or expired realtime token");
			return;
		}
		snprintf(k->tenant, sizeof k->tenant, "%s", tenant);
		live.params[0] = k->session_id;
		live.params[1] = k->tenant;
		if ((k->req = pgq_submit(srv.pg, &live, 1, 0, sock_on_auth,
		    k)) == NULL)
			sock_reject(k, "Authentication unavailable, try again "
			    "later");
		return;
	}
	if (apikey_parse(token, prefix) == -1) {
		sock_reject(k, "Invalid token: expected an API key or a "
		    "realtime token");
		return;
	}
	token_hash_bytea(token, hash, sizeof hash);
	step.params[0] = prefix;
	step.params[1] = hash;
	if ((k->req = pgq_submit(srv.pg, &step, 1, 0, sock_on_auth,
	    k)) == NULL)
		sock_reject(k, "Authentication unavailable, try again later");
}

static void
sock_ev_ping(struct sock *k, const struct sio_packet *p, struct sioc *io)
{
	struct json_object	*o = json_object_new_object();
	struct json_object	*a;

	(void)io;
	json_object_object_add(o, "timestamp",
	    json_object_new_int64(sock_epoch_ms()));
	sock_emit(k, "pong", o);
	if (p->id >= 0) {
		a = json_object_new_array();
		json_object_array_add(a, json_object_get(o));
		(void)sock_send(k->s, SIO_ACK, 0, nsp_table[k->nsp].name,
		    p->id, jsonx_string(a));
		json_object_put(a);
	}
	json_object_put(o);
}

/* Acks (or, without an ack id, emits "echo") the arguments back. */
static void
sock_ev_echo(struct sock *k, const struct sio_packet *p, struct sioc *io)
{
	struct json_object	*args = json_object_new_array();
	size_t			 i, n = json_object_array_length(p->data);
	enum sio_type		 type;
	int			 bin = p->attachments > 0;

	if (p->id >= 0) {
		type = bin ? SIO_BINARY_ACK : SIO_ACK;
		i = 1;
	} else {
		type = bin ? SIO_BINARY_EVENT : SIO_EVENT;
		i = 0;
	}
	for (; i < n; i++)
		json_object_array_add(args,
		    json_object_get(json_object_array_get_idx(p->data, i)));
	if (p->id < 0)		/* an event, not an ack: it carries an offset */
		sock_add_offset(k, args);
	if (sock_send(k->s, type, p->attachments, nsp_table[k->nsp].name,
	    p->id, jsonx_string(args)) == 0) {
		for (i = 0; bin && i < (size_t)io->natt; i++)
			(void)session_send(k->s, io->att[i], NULL, 1);
	}
	json_object_put(args);
}

static void
sock_dispatch(struct session *s, const struct sio_packet *p)
{
	struct sioc	*io = &s->sio;
	int		 nsp = nsp_find(p->nsp);
	struct sock	*k = nsp >= 0 ? io->socks[nsp] : NULL;
	const char	*name;
	size_t		 i;

	switch (p->type) {
	case SIO_CONNECT:
		if (nsp < 0) {
			sock_connect_error(s, p->nsp, "Invalid namespace");
			return;
		}
		if (k != NULL) {
			sock_protocol_error(s, "CONNECT to a connected namespace");
			return;
		}
		sock_connect(s, nsp, p->data);
		return;
	case SIO_DISCONNECT:
		if (k == NULL)
			break;
		sock_free(k, 0);
		return;
	case SIO_EVENT:
	case SIO_BINARY_EVENT:
		if (k == NULL || k->state != SOCK_CONNECTED)
			break;
		name = json_object_get_string(json_object_array_get_idx(
		    p->data, 0));
		for (i = 0; i < sizeof sock_events / sizeof sock_events[0];
		    i++) {
			if (strcmp(sock_events[i].name, name) == 0) {
				sock_events[i].fn(k, p, io);
				break;
			}
		}
		return;
	case SIO_ACK:
	case SIO_BINARY_ACK:
		if (k == NULL)
			break;
		return;		/* pushd never asks for acks */
	default:
		break;
	}
	sock_protocol_error(s, "packet for a namespace not connected");
}

void
sock_on_message(struct session *s, const struct eio_packet *p)
{
	struct sioc		*io = &s->sio;
	struct sio_packet	 pk;
	char			 err[160];

	if (p->binary) {
		if (!io->bin_active) {
			sock_protocol_error(s, "unexpected binary attachment");
			return;
		}
		if (io->att_bytes + p->len > (size_t)srv.set.max_payload) {
			sock_protocol_error(s, "attachments over maxPayload");
			return;
		}
		io->att[io->natt++] = eio_frame_binary(p->data, p->len);
		io->att_bytes += p->len;
		if (io->natt == io->bin.attachments) {
			sock_dispatch(s, &io->bin);
			sock_bin_clear(io);
		}
		return;
	}
	if (io->bin_active) {
		sock_protocol_error(s, "text packet while reading attachments");
		return;
	}
	stats.packets_in++;
	if (sio_decode(p->data, p->len, &pk, err, sizeof err) == -1) {
		sock_protocol_error(s, err);
		return;
	}
	if (pk.attachments > 0) {
		/* pk.json points into the transport's buffer: keep a copy */
		io->bin = pk;
		io->bin_text = xstrndup(p->data, p->len);
		io->bin.json = NULL;
		io->bin_active = 1;
		return;
	}
	sock_dispatch(s, &pk);
	sio_packet_clear(&pk);
}
