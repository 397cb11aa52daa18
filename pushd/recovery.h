/*
 * Connection state recovery as socket.io 4.6+ does it. Every event frame
 * carries an offset (its last argument, a decimal string) and a socket's
 * CONNECT answer a private id, pid. When a session ends abnormally, each of
 * its sockets leaves a record (pid -> id, namespace, tenant) for
 * WAQTOR_PUSHD_RECOVERY_MS. A client that comes back with auth {pid,
 * offset} within that time, for the same tenant and namespace, gets its old
 * socket id back (socket.recovered) and every event after offset that it
 * would have received, in order.
 *
 * Recent events are kept per tenant, at most RECOVERY_TENANT_EVENTS and
 * RECOVERY_TENANT_BYTES of each, none older than the window: a busy tenant
 * only ever pushes out its own history. An offset older than what its
 * tenant still keeps, or a record that expired, means a plain new
 * connection. Events sent to one socket (the /status snapshot, pong, echo)
 * carry the tenant's current offset, so a client's last offset is always
 * one pushd gave it. State is per process: behind several pushd, recovery
 * needs sticky sessions.
 */
#ifndef WAQTOR_PUSHD_RECOVERY_H
#define WAQTOR_PUSHD_RECOVERY_H

#include "eio.h"

#define RECOVERY_TENANT_EVENTS	4096
#define RECOVERY_TENANT_BYTES	(8 * 1024 * 1024)
#define RECOVERY_RECORDS	65536

struct sock;

/* window_ms 0 disables recovery (no offsets, no pid). */
void recovery_init(long window_ms);
void recovery_free(void);
int recovery_enabled(void);
/* The offset of the next event. */
unsigned long long recovery_next(void);
/* The offset a direct emit to a socket of tenant carries: its latest. */
unsigned long long recovery_offset(const char *tenant);
/* Keeps an event (takes a reference to f) about instance for user ("":
 * any; sock_wants()). */
void recovery_keep(unsigned long long offset, int nsp, const char *tenant,
    const char *instance, const char *user, struct eio_frame *f);
/* A connected socket is going away abnormally: remember it. */
void recovery_save(const struct sock *k);
/*
 * k (authenticated: tenant set) asked for want_pid/want_offset: 0 and k's
 * id and pid restored when it can be recovered, else -1.
 */
int recovery_restore(struct sock *k) __attribute__((warn_unused_result));
/* Queues to k what it missed after its want_offset. */
void recovery_replay(struct sock *k);

#endif
