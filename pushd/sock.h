/*
 * Socket.IO v5 over an Engine.IO session: one socket per namespace a
 * client connects to (several namespaces multiplexed on one session),
 * authentication of the CONNECT payload's auth.token (an API key, checked
 * in PostgreSQL, or a realtime token, checked with the server key), the
 * tenant binding that fan-out uses, acks, binary attachments, and the
 * inbound events a client may emit (SOCK_EVENT_TABLE in sock.c).
 *
 * A malformed packet, a packet for a namespace the client is not connected
 * to, or a flood over the inbound rate limit closes the session. A bad
 * token or an unknown namespace is answered with CONNECT_ERROR.
 */
#ifndef WAQTOR_PUSHD_SOCK_H
#define WAQTOR_PUSHD_SOCK_H

#include <sys/queue.h>

#include <stddef.h>

#include "eio.h"
#include "nsp.h"
#include "sio.h"
#include "util.h"

struct session;
struct pgq_req;
struct fanout_tenant;

enum sock_state { SOCK_AUTHING, SOCK_CONNECTED };

struct sock {
	struct session		*s;
	int			 nsp;
	enum sock_state		 state;
	char			 id[EIO_SID_LEN + 1];
	char			 pid[EIO_SID_LEN + 1];	/* recovery id */
	char			 tenant[UTIL_UUID_LEN + 1];
	char			 instance[UTIL_UUID_LEN + 1];	/* "" all */
	/* the credential it connected with: an API key, or a realtime
	 * token of a user's session ("" for what does not apply) */
	char			 key_id[UTIL_UUID_LEN + 1];
	char			 user_id[UTIL_UUID_LEN + 1];
	char			 session_id[UTIL_UUID_LEN + 1];
	char			 want_pid[EIO_SID_LEN + 1];	/* to recover */
	unsigned long long	 want_offset;
	int			 want_recovery;
	struct pgq_req		*req;		/* query in flight */
	struct fanout_tenant	*t;
	LIST_ENTRY(sock)	 entry;		/* in t's list */
};

/* Per session: the sockets and a binary packet being reassembled. */
struct sioc {
	struct sock		*socks[NSP__COUNT];
	struct sio_packet	 bin;
	char			*bin_text;	/* the packet's header text */
	size_t			 bin_len;
	struct eio_frame	*att[SIO_MAX_ATTACHMENTS];
	int			 natt;
	size_t			 att_bytes;
	int			 bin_active;
	int			 connected_once;
};

/* An Engine.IO message of the session: text packet or binary attachment. */
void sock_on_message(struct session *s, const struct eio_packet *p);
/* The session is closing: its sockets go (kept for recovery if abnormal). */
void sock_session_closed(struct session *s, int abnormal);
/* Queues a shared event frame to k (fan-out, recovery replay). */
void sock_deliver(struct sock *k, struct eio_frame *f, const char *ckey);
/* 1 when k is to get an event about instance for user (either "": any). */
int sock_wants(const struct sock *k, const char *instance, const char *user);
/* k's credential was revoked: a server DISCONNECT (the client does not
 * reconnect by itself), and k is gone. */
void sock_revoke(struct sock *k);

#endif
