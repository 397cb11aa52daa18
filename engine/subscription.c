/*
 * Tells a tenant's owners that its plan ends in 7 days, in 1 day, and that
 * it ended (within the week after): once per threshold and end date, the
 * date being part of the cause, so a renewal starts the count again. Runs
 * with the retention sweep, at most once every WAQTOR_RETENTION_SWEEP_MS;
 * engines running side by side make each notice once (its cause is a key).
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "engine.h"
#include "jsonx.h"
#include "log.h"

void
subscription_sweep(struct engine *e)
{
	static long long	 last_ms;
	struct json_object	*data;
	PGresult		*res;
	long long		 now = util_now_ms();
	int			 i;

	if (last_ms != 0 && now - last_ms < config_int(CFG_RETENTION_SWEEP_MS))
		return;
	last_ms = now;
	(void)engine_begin(e);	/* (when this fails, so does the commit) */
	res = db_query(&e->db, "WITH s AS (SELECT t.id, CASE WHEN "
	    "t.plan_expires_at <= now() THEN 'subscription.expired' ELSE "
	    "'subscription.expiring' END AS kind, CASE WHEN t.plan_expires_at "
	    "<= now() THEN 'ended' WHEN t.plan_expires_at <= now() + interval "
	    "'1 day' THEN '1d' ELSE '7d' END || ':' || api_time("
	    "t.plan_expires_at) AS cause, t.plan, t.plan_expires_at FROM "
	    "tenants t WHERE t.plan <> 'free' AND t.plan_expires_at BETWEEN "
	    "now() - interval '7 days' AND now() + interval '7 days') "
	    "SELECT s.id, s.kind, s.cause, CASE WHEN s.kind = "
	    "'subscription.expired' THEN format('Your %s plan ended on %s UTC: "
	    "the free plan''s limits apply until you renew it.', s.plan, "
	    "to_char(s.plan_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')) "
	    "ELSE format('Your %s plan ends on %s UTC (in %s). Renew it to keep "
	    "its limits.', s.plan, to_char(s.plan_expires_at AT TIME ZONE "
	    "'UTC', 'YYYY-MM-DD HH24:MI'), CASE WHEN s.cause LIKE '1d:%' THEN "
	    "'less than a day' ELSE 'less than a week' END) END FROM s WHERE "
	    "NOT EXISTS (SELECT 1 FROM notification_causes c WHERE "
	    "c.tenant_id = s.id AND c.cause = s.kind || ':' || s.cause)",
	    0, NULL, 0);
	for (i = 0; res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    i < PQntuples(res); i++) {
		data = json_object_new_object();
		jsonx_add_str(data, "message", PQgetvalue(res, i, 3));
		jsonx_add_str(data, "link", "/subscription");
		engine_notify(e, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 0), NULL, data);
		log_info("tenant %s: %s (%s)", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
	}
	PQclear(res);
	if (engine_commit(e) == -1)
		log_warn("subscription notices not recorded: next sweep");
}
