/*
 * Folds the report deltas that the triggers of sql/015_reports.sql write
 * with every change of a message into their hourly rollups, at most every
 * REPORTS_FOLD_MS: reports read rollups and the deltas not yet folded, so
 * folding only keeps the deltas few. With several engines one folds at a
 * time (the others skip their turn).
 */
#include <stdlib.h>

#include "engine.h"
#include "log.h"

#define REPORTS_FOLD_MS	2000

void
reports_fold(struct engine *e)
{
	static long long	 last_ms;
	PGresult		*res;
	long long		 now = util_now_ms();

	if (now - last_ms < REPORTS_FOLD_MS)
		return;
	last_ms = now;
	res = db_query(&e->db, "SELECT report_fold()", 0, NULL, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    atoll(PQgetvalue(res, 0, 0)) > 0)
		log_debug("reports: %s change(s) folded", PQgetvalue(res, 0, 0));
	PQclear(res);
}
