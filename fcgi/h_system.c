/* Health and version: answered even while PostgreSQL or Redis is down. */
#include "handlers.h"
#include "jsonx.h"
#include "worker.h"

void
h_health(struct req *r)
{
	struct json_object	*body = json_object_new_object();
	int			 pg = db_ping(&r->worker->db) == 0;
	int			 redis = rds_ping(&r->worker->rds) == 0;

	jsonx_add_str(body, "status", pg && redis ? "ok" : "unavailable");
	jsonx_add_str(body, "postgres", pg ? "ok" : "down");
	jsonx_add_str(body, "redis", redis ? "ok" : "down");
	http_respond_json(r, pg && redis ? 200 : 503, body);
}

void
h_version(struct req *r)
{
	struct json_object	*body = json_object_new_object();

	jsonx_add_str(body, "name", PACKAGE_NAME);
	jsonx_add_str(body, "version", PACKAGE_VERSION);
	jsonx_add_str(body, "api", "v1");
	http_respond_json(r, 200, body);
}
