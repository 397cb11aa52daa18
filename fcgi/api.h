/*
 * Helpers every handler uses: queries that answer the request themselves on
 * failure, the tenant of the transaction, roles, the audit log, sessions.
 * The worker wraps each request in one transaction and commits it only when
 * the answer is a success (< 400): a rejected request changes nothing.
 */
#ifndef WAQTOR_API_H
#define WAQTOR_API_H

#include <libpq-fe.h>
#include <json-c/json.h>

#include "http.h"

#define SESSION_COOKIE		"wq_session"
#define SESSION_TTL_SECS	(14 * 24 * 3600)

/*
 * Runs a statement in the request's transaction. On failure answers 503
 * (PostgreSQL gone) or 500 (logged, nothing leaked) and returns NULL; with
 * conflict set, a unique violation answers 409 conflict with that message.
 */
PGresult *api_query(struct req *r, const char *sql, int n,
    const char *const *params);
PGresult *api_query_conflict(struct req *r, const char *conflict, const char *sql,
    int n, const char *const *params);
/* Sets the tenant of the open transaction (RLS); -1 answered. */
int api_set_tenant(struct req *r, const char *tenant_id)
    __attribute__((warn_unused_result));
/* 0 when the caller's role is admin or owner; else answers 403. */
int api_require_admin(struct req *r) __attribute__((warn_unused_result));
/* 0 for a logged-in user (not an API key); else answers 403. */
int api_require_user(struct req *r) __attribute__((warn_unused_result));
/* Appends to the tenant's audit log in the request's transaction. */
void api_audit(struct req *r, const char *action, struct json_object *details);
/*
 * Once the request's transaction has committed, tells pushd that a
 * credential is revoked (waqtor:control), so the sockets opened with it
 * close: field is "apiKeyId", "sessionId" or "userId" (every session of
 * the user but except, when not NULL).
 */
void api_revoke_sockets(struct req *r, const char *field, const char *id,
    const char *except);
/*
 * An event of the tenant (lib/event.c's table; data taken over), written
 * to the event log and the webhook queue in the request's transaction (as
 * the engine's are) and published once it commits; only to endpoint_id's
 * webhook when that is not NULL. Its envelope (valid for the request; ""
 * for a notification.new that made no notification), or NULL answered.
 */
const char *api_event(struct req *r, const char *type,
    const char *endpoint_id, struct json_object *data)
    __attribute__((warn_unused_result));
/* A notification of kind (sql/014_notifications.sql) for the tenant's
 * members, at most once per the kind's period for the same cause: data
 * ({"title", "message", "link", ...}) taken over. 0, or -1 answered. */
int api_notify(struct req *r, const char *kind, const char *cause,
    struct json_object *data) __attribute__((warn_unused_result));
/* Same for a tenant and user that are not (yet) the request's. */
void api_audit_as(struct req *r, const char *tenant_id, const char *user_id,
    const char *action, struct json_object *details);
/* Creates a session for user and sets its cookie; -1 answered. */
int api_session_start(struct req *r, const char *tenant_id,
    const char *user_id) __attribute__((warn_unused_result));
/* Expires the cookie on the client. */
int api_session_clear_cookie(struct req *r) __attribute__((warn_unused_result));
/* The user as the API shows it: {"id","name","email","role","phone","avatarUrl"}. */
struct json_object *api_user_json(PGresult *res, int row);
#define API_USER_COLUMNS "u.id, u.name, u.email, u.role, u.phone, u.avatar_updated_at" /* FROM users u */
/* Answers status with the JSON that PostgreSQL built in row 0, column 0
 * of res (which is cleared); no row answers 404 "no such <what>". */
void api_respond_row(struct req *r, int status, PGresult *res,
    const char *what);
/*
 * The row the path's {id} names, looked up with sql ("SELECT 1 FROM t
 * WHERE id = $1"): its id into *id, 0; or -1 answered 404 "no such <what>"
 * (a malformed id is as unknown as a foreign one).
 */
int api_path_row(struct req *r, const char *what, const char *sql,
    const char **id) __attribute__((warn_unused_result));
/* GET of one thing: sql ("SELECT x_json(x) FROM x WHERE id = $1") with the
 * path's {id}, answered 200, or 404 "no such <what>". */
void api_get_row(struct req *r, const char *what, const char *sql);
/* Runs sql (a DELETE ... RETURNING one column) and answers 204, 1; or
 * 404 "no such <what>" when it deleted nothing, 0; -1 answered otherwise. */
int api_delete(struct req *r, const char *what, const char *sql, int n,
    const char *const *params);
/* Answers 200 with csv[0..len) as the attachment called filename (made
 * of our own characters: ids, not input). */
void api_respond_csv(struct req *r, const char *filename, const char *csv,
    size_t len);
/* Answers the rows of res (cleared) as such a CSV: a header of its column
 * names, then each row. */
void api_respond_result_csv(struct req *r, const char *filename,
    PGresult *res);
/* The text of a result's field, or NULL when it is SQL NULL. */
const char *api_value(const PGresult *res, int row, int col);
/*
 * Adds key: a PostgreSQL timestamptz (sessions run in UTC, text form
 * "2026-11-26 00:59:40.464408+00") as RFC 3339 "2026-11-26T00:59:40.464Z";
 * NULL adds null.
 */
void api_add_time(struct json_object *obj, const char *key, const char *pg);
/* The path parameter name when it is a UUID; else answers 404 "no such
 * <what>" and returns NULL (a malformed id is as unknown as a foreign one). */
const char *api_uuid_param(struct req *r, const char *name, const char *what);
/* A positive integer query argument up to max, or def when absent; -1
 * (answered 400 naming it) when malformed. */
long query_long(struct req *r, const char *name, long def, long max);
/* Query argument name into out, checked by check (NULL: any): 0 given,
 * -1 absent, 1 answered 400 naming it. */
int query_filter(struct req *r, const char *name, char *out, size_t len,
    int (*check)(const char *));
/*
 * A ?search argument (UTF-8, at most 100 characters, no controls) for
 * query_filter; api_search_digits copies its digits into out when it looks
 * like a phone number (digits and + - ( ) . spaces: "+966 50" searches
 * 96650), else "".
 */
int api_is_search(const char *s);
void api_search_digits(const char *search, char *out, size_t len);
/* Password hashing with argon2id; -1 only when out of memory. */
int api_password_hash(const char *password, char *out, size_t outlen)
    __attribute__((warn_unused_result));
int api_password_check(const char *hash, const char *password);
/* A dummy verification, so unknown e-mails take as long as wrong passwords. */
void api_password_dummy(const char *password);

#endif
