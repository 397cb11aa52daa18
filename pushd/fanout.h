/*
 * Fan-out of Redis events to Socket.IO sockets. Every envelope published on
 * waqtor:<tenantId>:<ns> is checked (a known type of that namespace, the
 * same tenantId inside as in the channel; waqtor:system:* is never
 * delivered), turned once into a shared EVENT frame named after the type's
 * Socket.IO name (lib/event.h) carrying data plus "timestamp" (and
 * "instanceId"), and queued to the connected sockets of that tenant in that
 * namespace, narrowed by their instanceId when they gave one. Events of a
 * namespace's coalesced type (nsp.h) carry a coalescing key.
 *
 * Sockets are indexed by tenant, so an event costs the tenant's sockets,
 * not all sockets. waqtor:control carries revocations from the API (an API
 * key revoked, a session ended, a member removed): the sockets that
 * connected with that credential are disconnected.
 */
#ifndef WAQTOR_PUSHD_FANOUT_H
#define WAQTOR_PUSHD_FANOUT_H

#include <stddef.h>

struct sock;

void fanout_init(void);
void fanout_free(void);
/* A connected socket joins / leaves its tenant's index. */
void fanout_add(struct sock *k);
void fanout_remove(struct sock *k);
/* The Redis subscriber's callback. */
void fanout_message(const char *channel, size_t channel_len,
    const char *payload, size_t payload_len, void *arg);

#endif
