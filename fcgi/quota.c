#include "quota.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "config.h"
#include "http.h"
#include "jsonx.h"
#include "log.h"

/* Each quota: its name in answers, its setting, what it counts (RLS keeps
 * the count to the tenant) and the setting's unit. */
static const struct {
	const char	*name;
	enum config_id	 setting;
	const char	*count_sql;
	long long	 unit;
	int		 notice_pct;	/* admins are told from this use on */
} quotas[] = {
	[QUOTA_INSTANCES] = { "instances", CFG_QUOTA_INSTANCES,
	    "SELECT count(*) FROM instances", 1, 100 },
	[QUOTA_API_KEYS] = { "apiKeys", CFG_QUOTA_API_KEYS,
	    "SELECT count(*) FROM api_keys WHERE revoked_at IS NULL", 1, 100 },
	[QUOTA_MEMBERS] = { "members", CFG_QUOTA_MEMBERS,
	    "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM "
	    "invitations WHERE accepted_at IS NULL AND expires_at > now())", 1,
	    100 },
	[QUOTA_MEDIA_BYTES] = { "mediaBytes", CFG_QUOTA_MEDIA_MB,
	    "SELECT coalesce(sum(size), 0) FROM media", 1024 * 1024, 90 },
};

static const char *const quota_plans[] = { "free", "pro", "business" };

/* The maximum for the caller's plan from "free,pro,business", or -1. */
static long long
quota_max(const struct req *r, enum quota_kind kind, const char **plan)
{
	const char	*s = config_str(quotas[kind].setting);
	long long	 v[3];
	char		*end;
	size_t		 i, p = 0;

	for (i = 0; i < 3; i++) {
		v[i] = strtoll(s, &end, 10);
		if (end == s || v[i] < 0 || (i < 2 && *end != ',') ||
		    (i == 2 && *end != '\0'))
			return -1;
		s = end + 1;
	}
	for (i = 1; r->auth.plan_active && i < 3; i++)
		if (strcmp(r->auth.plan, quota_plans[i]) == 0)
			p = i;
	*plan = quota_plans[p];
	return v[p] * quotas[kind].unit;
}

/* Tells the admins that what is being added fills the quota (once a day). */
static int
quota_notify(struct req *r, enum quota_kind kind, const char *plan,
    const char *allows)
{
	struct json_object	*data = json_object_new_object();
	char			 text[256], cause[64];

	snprintf(text, sizeof text, "This tenant is at the end of its "
	    "plan's allowance: %s. Upgrade the plan to add more.", allows);
	snprintf(cause, sizeof cause, "%s:%s", quotas[kind].name, plan);
	jsonx_add_str(data, "message", text);
	jsonx_add_str(data, "link", "/subscription");
	jsonx_add_str(data, "limit", quotas[kind].name);
	return api_notify(r, "quota.reached", cause, data);
}

int
quota_check(struct req *r, enum quota_kind kind, long long adding)
{
	struct json_object	*details;
	const char		*plan = "free", *params[1] = { r->auth.tenant_id };
	long long		 max = quota_max(r, kind, &plan), used;
	PGresult		*res;
	char			 msg[128];

	if (max < 0) {
		log_error("%s is not three numbers: no limit applied",
		    config_table[quotas[kind].setting].name);
		return 0;
	}
	if ((res = api_query(r, "SELECT pg_advisory_xact_lock(hashtext('quota:' "
	    "|| $1))", 1, params)) == NULL)
		return -1;
	PQclear(res);
	if ((res = api_query(r, quotas[kind].count_sql, 0, NULL)) == NULL)
		return -1;
	used = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	snprintf(msg, sizeof msg, "the %s plan allows %lld %s", plan,
	    kind == QUOTA_MEDIA_BYTES ? max / quotas[kind].unit : max,
	    kind == QUOTA_MEDIA_BYTES ? "MB of media" : quotas[kind].name);
	if (used + adding <= max)
		return (used + adding) * 100 >= max * quotas[kind].notice_pct ?
		    quota_notify(r, kind, plan, msg) : 0;
	details = json_object_new_object();
	jsonx_add_str(details, "limit", quotas[kind].name);
	jsonx_add_int(details, "max", max);
	jsonx_add_int(details, "used", used);
	jsonx_add_str(details, "plan", plan);
	http_respond_error(r, 409, "quota_exceeded", msg, details);
	return -1;
}
