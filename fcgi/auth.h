/*
 * Who is calling: a session cookie (dashboard) or an X-API-Key header
 * (integrations), checked against the route's auth requirement, plus the
 * CSRF check for cookie-authenticated writes (SameSite=Strict and a
 * matching Origin).
 */
#ifndef WAQTOR_AUTH_H
#define WAQTOR_AUTH_H

struct req;

/* Fills r->auth for the route; answers 401/403 and returns -1 otherwise. */
int auth_request(struct req *r) __attribute__((warn_unused_result));
/*
 * 0 when the caller's role reaches the route's (an API key acts as an
 * admin); else answers 403 forbidden naming the role needed, -1.
 */
int auth_role_check(struct req *r) __attribute__((warn_unused_result));

#endif
