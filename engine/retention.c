/*
 * What is kept only for a while is deleted by the engine in bulk, at most
 * once every WAQTOR_RETENTION_SWEEP_MS, in rounds of RETENTION_ROUND rows
 * picked through an index on the time that starts the clock; the event
 * log, partitioned by day, a day at a time (and the partitions of the days
 * ahead are made).
 */
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "engine.h"
#include "log.h"

#define RETENTION_ROUND	5000
#define ROUND_SQL	"5000"	/* the same, in SQL */
#define PARTITIONS_AHEAD "2"	/* days */

static const struct {
	const char	*what;
	const char	*sql;		/* $1: the retention in hours */
	enum config_id	 setting;
	int		 hours_per_unit;
} retention[] = {
	{ "inbound events", "DELETE FROM inbound_events WHERE id IN ("
	    "SELECT id FROM inbound_events WHERE processed_at < now() - "
	    "make_interval(hours => $1::int) UNION ALL SELECT id FROM "
	    "inbound_events WHERE dead_at < now() - make_interval(hours => "
	    "$1::int) LIMIT " ROUND_SQL ")", CFG_INBOUND_RETENTION_HOURS, 1 },
	{ "webhook deliveries", "DELETE FROM webhook_deliveries WHERE "
	    "(endpoint_id, event_id) IN (SELECT endpoint_id, event_id FROM "
	    "webhook_deliveries WHERE event_ts < now() - make_interval(hours "
	    "=> $1::int) LIMIT " ROUND_SQL ")", CFG_EVENT_RETENTION_DAYS, 24 },
	{ "notifications", "DELETE FROM notifications WHERE id IN (SELECT id "
	    "FROM notifications WHERE created_at < now() - make_interval(hours "
	    "=> $1::int) LIMIT " ROUND_SQL ")", CFG_NOTIFICATION_RETENTION_DAYS,
	    24 },
	/* (kept for their debounce period at least) */
	{ "notification causes", "DELETE FROM notification_causes WHERE "
	    "(tenant_id, cause) IN (SELECT c.tenant_id, c.cause FROM "
	    "notification_causes c JOIN notification_kinds k ON k.kind = "
	    "split_part(c.cause, ':', 1) WHERE c.last_at < now() - greatest("
	    "make_interval(hours => $1::int), k.debounce) LIMIT " ROUND_SQL ")",
	    CFG_NOTIFICATION_RETENTION_DAYS, 24 },
	{ "media files", "DELETE FROM media WHERE id IN (SELECT id FROM media "
	    "WHERE created_at < now() - make_interval(hours => $1::int) LIMIT "
	    ROUND_SQL ")", CFG_MEDIA_RETENTION_DAYS, 24 },
};

void
retention_sweep(struct engine *e)
{
	static long long	 last_ms;
	char			 arg[24];
	const char		*params[1] = { arg };
	PGresult		*res;
	long long		 now = util_now_ms(), n, got;
	size_t			 i;

	if (last_ms != 0 && now - last_ms < config_int(CFG_RETENTION_SWEEP_MS))
		return;
	last_ms = now;
	for (i = 0; i < sizeof retention / sizeof retention[0]; i++) {
		snprintf(arg, sizeof arg, "%ld", config_int(
		    retention[i].setting) * retention[i].hours_per_unit);
		n = 0;
		do {
			res = db_query(&e->db, retention[i].sql, 1, params, 0);
			if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
				PQclear(res);	/* db_query logged why */
				return;
			}
			n += got = atoll(PQcmdTuples(res));
			PQclear(res);
		} while (got == RETENTION_ROUND && !e->stopping);
		if (n > 0)
			log_info("retention: %lld %s deleted", n, retention[i].what);
	}
	snprintf(arg, sizeof arg, "%ld", config_int(CFG_EVENT_RETENTION_DAYS));
	res = db_query(&e->db, "SELECT waqtor_partitions($1::int, "
	    PARTITIONS_AHEAD ")", 1, params, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    atoi(PQgetvalue(res, 0, 0)) > 0)
		log_info("retention: %s day(s) of events dropped",
		    PQgetvalue(res, 0, 0));
	PQclear(res);
}
