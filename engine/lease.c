/*
 * Which instances this engine owns. Engines register in `engines` and
 * heartbeat; each claims up to its fair share (instances / live engines)
 * of the unowned or lapsed instances with FOR UPDATE SKIP LOCKED, renews
 * its leases every third of the lease time, and releases them on shutdown.
 * An engine that dies stops renewing, and others take its instances over
 * once the lease lapses.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "jsonx.h"
#include "log.h"
#include "xmalloc.h"

#define INST_COLUMNS "id, tenant_id, provider, config::text, status, desired, " \
	"restart_seq, paired_at IS NOT NULL"

static void
lease_interval(char *out, size_t len)
{
	snprintf(out, len, "%ld milliseconds", config_int(CFG_ENGINE_LEASE_MS));
}

int
lease_register(struct engine *e)
{
	char		 host[128], pid[16];
	const char	*params[3];

	if (gethostname(host, sizeof host) == -1)
		snprintf(host, sizeof host, "unknown");
	host[sizeof host - 1] = '\0';
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	params[0] = e->id;
	params[1] = host;
	params[2] = pid;
	return db_exec(&e->db, "INSERT INTO engines (id, host, pid) VALUES "
	    "($1, $2, $3::int) ON CONFLICT (id) DO UPDATE SET heartbeat_at = "
	    "now()", 3, params);
}

struct inst *
lease_find(struct engine *e, const char *id)
{
	struct inst	*in;

	for (in = e->insts; in != NULL; in = in->next) {
		if (strcmp(in->id, id) == 0)
			return in;
	}
	return NULL;
}

/* Fills in from row i of res (INST_COLUMNS); 0 when the fields changed. */
static int
lease_fill(struct inst *in, PGresult *res, int i)
{
	struct json_object	*config = NULL;
	const char		*provider = PQgetvalue(res, i, 2);
	const struct provider	*prov;
	char			 err[32];
	int			 changed;

	if (jsonx_parse(PQgetvalue(res, i, 3), (size_t)PQgetlength(res, i, 3),
	    JSONX_MAX_DEPTH, &config, err, sizeof err) == -1)
		config = json_object_new_object();
	changed = in->config == NULL ||
	    strcmp(jsonx_string(in->config), jsonx_string(config)) != 0 ||
	    strcmp(in->desired, PQgetvalue(res, i, 5)) != 0 ||
	    in->restart_seq != atoi(PQgetvalue(res, i, 6)) ||
	    in->paired != (strcmp(PQgetvalue(res, i, 7), "t") == 0);
	json_object_put(in->config);
	in->config = config;
	snprintf(in->id, sizeof in->id, "%s", PQgetvalue(res, i, 0));
	snprintf(in->tenant_id, sizeof in->tenant_id, "%s", PQgetvalue(res, i, 1));
	if ((prov = provider_find(provider)) != NULL)	/* it never changes */
		in->prov = prov;
	snprintf(in->status, sizeof in->status, "%s", PQgetvalue(res, i, 4));
	snprintf(in->desired, sizeof in->desired, "%s", PQgetvalue(res, i, 5));
	in->restart_seq = atoi(PQgetvalue(res, i, 6));
	in->paired = strcmp(PQgetvalue(res, i, 7), "t") == 0;
	{
		struct json_object	*v;
		const struct provider_field *f = provider_spec_field(
		    in->prov->spec, "ratePerSecond");
		int			 rate = in->prov->spec->default_rate;

		if (f != NULL && json_object_object_get_ex(config,
		    "ratePerSecond", &v) && json_object_get_int(v) >= f->min &&
		    json_object_get_int(v) <= f->max)
			rate = json_object_get_int(v);
		if (rate != in->rate) {
			/* a new rate starts a new pacing window */
			free(in->sent_ms);
			in->sent_ms = NULL;
			in->sent_next = 0;
			in->pace_gen++;
			in->rate = rate;
		}
	}
	return changed;
}

/*
 * Claims are fenced by the lease: the instance is ours now, so the claims
 * of its previous owner (dead, or stalled past its lease) are void at once
 * rather than when they lapse. A message in flight at the old owner when
 * it died may so be sent again: the duplicate window is the takeover time
 * (docs/delivery.md).
 */
static void
lease_fence(struct engine *e, struct inst *in)
{
	const char	*params[2] = { in->id, e->id };
	PGresult	*res;

	res = db_query(&e->db, "UPDATE messages SET claimed_by = NULL, "
	    "claim_until = NULL WHERE instance_id = $1 AND status = 'pending' "
	    "AND direction = 'out' AND claimed_by IS NOT NULL AND claimed_by "
	    "<> $2", 2, params, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK &&
	    atoi(PQcmdTuples(res)) > 0)
		log_info("instance %s: %s claim(s) of its previous owner "
		    "released", in->id, PQcmdTuples(res));
	PQclear(res);
}

static void
lease_adopt(struct engine *e, PGresult *res, int i)
{
	struct inst	*in = xcalloc(1, sizeof *in);

	in->e = e;
	(void)lease_fill(in, res, i);
	if (in->prov == NULL) {
		log_error("instance %s: unknown provider %s: not started", in->id,
		    PQgetvalue(res, i, 2));
		json_object_put(in->config);
		free(in);
		return;
	}
	lease_fence(e, in);
	in->maybe_pending = 1;
	in->next = e->insts;
	e->insts = in;
	log_info("instance %s: owned (%s)", in->id, in->prov->spec->name);
	session_start(in);
}

/* Stops and frees an instance we no longer own (deleted, lost, released). */
static void
lease_drop(struct engine *e, struct inst *in)
{
	struct inst	**pp;

	for (pp = &e->insts; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == in) {
			*pp = in->next;
			break;
		}
	}
	session_stop(in);
	log_info("instance %s: no longer owned", in->id);
	in->dropped = 1;
	if (in->in_flight == 0)
		lease_free(in);
}

/* Frees a dropped instance once no send refers to it. */
void
lease_free(struct inst *in)
{
	json_object_put(in->config);
	free(in->sent_ms);
	free(in);
}

static int
lease_count(const struct engine *e)
{
	const struct inst	*in;
	int			 n = 0;

	for (in = e->insts; in != NULL; in = in->next)
		n++;
	return n;
}

/* Renews our leases; drops what another engine took meanwhile. */
static void
lease_renew(struct engine *e, const char *lease)
{
	const char	*params[2] = { e->id, lease };
	PGresult	*res;
	struct inst	*in, *next;
	int		 i, kept;

	res = db_query(&e->db, "UPDATE instances SET lease_until = now() + "
	    "$2::interval WHERE owner_engine = $1 RETURNING id", 2, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return;
	}
	for (in = e->insts; in != NULL; in = next) {
		next = in->next;
		for (kept = 0, i = 0; !kept && i < PQntuples(res); i++)
			kept = strcmp(PQgetvalue(res, i, 0), in->id) == 0;
		if (!kept)
			lease_drop(e, in);
	}
	PQclear(res);
}

void
lease_tick(struct engine *e)
{
	char		 lease[48], want[16];
	const char	*params[3];
	PGresult	*res;
	int		 owned, share, i;

	if (e->stopping || db_ensure(&e->db) == -1)
		return;
	lease_interval(lease, sizeof lease);
	params[0] = e->id;
	/* the upsert is the heartbeat (and re-registers after a cleanup) */
	if (lease_register(e) == -1)
		return;
	lease_renew(e, lease);

	params[1] = lease;
	res = db_query(&e->db, "SELECT (SELECT count(*) FROM instances), "
	    "(SELECT count(*) FROM engines WHERE heartbeat_at > now() - "
	    "$2::interval OR id = $1)", 2, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return;
	}
	share = (int)ceil((double)atol(PQgetvalue(res, 0, 0)) /
	    (double)atol(PQgetvalue(res, 0, 1)));
	PQclear(res);
	owned = lease_count(e);

	if (owned > share) {
		/* a new engine joined: hand over what is idle */
		struct inst *in, *next;

		for (in = e->insts; in != NULL && owned > share; in = next) {
			next = in->next;
			if (in->in_flight > 0)
				continue;
			params[1] = in->id;
			if (db_exec(&e->db, "UPDATE instances SET owner_engine = "
			    "NULL, lease_until = NULL WHERE id = $2 AND "
			    "owner_engine = $1", 2, params) == 0) {
				lease_drop(e, in);
				owned--;
			}
		}
		return;
	}
	if (owned == share)
		return;
	snprintf(want, sizeof want, "%d", share - owned);
	params[1] = lease;
	params[2] = want;
	res = db_query(&e->db, "UPDATE instances SET owner_engine = $1, "
	    "lease_until = now() + $2::interval WHERE id IN (SELECT id FROM "
	    "instances WHERE owner_engine IS NULL OR lease_until < now() "
	    "ORDER BY id LIMIT $3::int FOR UPDATE SKIP LOCKED) RETURNING "
	    INST_COLUMNS, 3, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return;
	}
	for (i = 0; i < PQntuples(res); i++) {
		if (lease_find(e, PQgetvalue(res, i, 0)) == NULL)
			lease_adopt(e, res, i);
	}
	PQclear(res);
}

void
lease_reload(struct engine *e, const char *id)
{
	const char	*params[2] = { id, e->id };
	struct inst	*in = lease_find(e, id);
	PGresult	*res;

	if (in == NULL) {
		/* not ours: maybe a new one, to claim now rather than later */
		lease_tick(e);
		return;
	}
	res = db_query(&e->db, "SELECT " INST_COLUMNS " FROM instances "
	    "WHERE id = $1 AND owner_engine = $2", 2, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return;
	}
	if (PQntuples(res) == 0)
		lease_drop(e, in);
	else if (lease_fill(in, res, 0) ||
	    strcmp(in->status, "auth_failure") == 0) {
		/* changed, or touched by its owner after a login failure */
		session_stop(in);
		session_start(in);
	}
	PQclear(res);
}

void
lease_release_all(struct engine *e)
{
	const char	*params[1] = { e->id };

	while (e->insts != NULL)
		lease_drop(e, e->insts);
	if (db_exec(&e->db, "UPDATE instances SET owner_engine = NULL, "
	    "lease_until = NULL WHERE owner_engine = $1", 1, params) == -1 ||
	    db_exec(&e->db, "DELETE FROM engines WHERE id = $1", 1, params) == -1)
		log_warn("leases not released: others take over when they lapse");
}
