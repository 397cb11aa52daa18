/*
 * The Socket.IO namespaces of waqtor-pushd, one row each: the name clients
 * connect to, the Redis channel suffix and event_type namespace (lib/event.h)
 * it carries, whether a connect gets the tenant's instance statuses,
 * which event type is coalesced per which data field (latest wins), and
 * which data field names the one user an event is for (a socket opened
 * with a user's session gets only that user's; one opened with an API key
 * gets the tenant's).
 */
#ifndef WAQTOR_PUSHD_NSP_H
#define WAQTOR_PUSHD_NSP_H

#include <stddef.h>

enum nsp_id {
	NSP_STATUS,
	NSP_CAMPAIGNS,
	NSP_SMARTBOT,
	NSP_NOTIFICATIONS,
	NSP__COUNT
};

struct nsp {
	const char	*name;			/* "/status" */
	const char	*ns;			/* "status" */
	int		 status_on_connect;
	const char	*coalesce_type;		/* NULL: nothing coalesced */
	const char	*coalesce_field;
	const char	*user_field;		/* NULL: events for everyone */
};

extern const struct nsp nsp_table[NSP__COUNT];

/* By Socket.IO name ("/status"), or by channel namespace ("status"); -1. */
int nsp_find(const char *name);
int nsp_find_ns(const char *ns, size_t len);

#endif
