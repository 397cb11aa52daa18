/*
 * Credentials shared by waqtor-api (which mints them) and waqtor-pushd
 * (which checks them in the Socket.IO handshake).
 *
 * API keys: "wq_" + 12 hex (the prefix, stored in clear to find the key) +
 * "_" + 64 hex (the secret). Stored as SHA-256 of the whole key: the key is
 * random and long, so a fast hash is enough; looked up with the SQL function
 * auth_api_key(prefix, sha256) (sql/002_auth_tenancy.sql).
 *
 * Realtime tokens: "rt_" + base64url(payload) + "." + base64url(HMAC-SHA256(
 * WAQTOR_SECRET_KEY, "rt_" + base64url(payload))), payload
 * {"tid":"<tenant uuid>","uid":"<user uuid>","exp":<unix seconds>}.
 * Stateless and short-lived; a user's session mints them.
 */
#ifndef WAQTOR_TOKEN_H
#define WAQTOR_TOKEN_H

#include <stddef.h>

#define APIKEY_PREFIX_HEX	12
#define APIKEY_SECRET_HEX	64
#define APIKEY_LEN		(3 + APIKEY_PREFIX_HEX + 1 + APIKEY_SECRET_HEX)
#define TOKEN_HASH_LEN		32
#define TOKEN_KEY_LEN		32
#define RTOKEN_MAX		320

/* A new API key into key[APIKEY_LEN + 1] and its prefix into
 * prefix[APIKEY_PREFIX_HEX + 1]. */
void apikey_generate(char *key, char *prefix);
/* Checks the shape of key and copies its prefix; -1 when it is not a key. */
int apikey_parse(const char *key, char *prefix) __attribute__((warn_unused_result));
/* SHA-256 of s: the stored form of API keys, session and invitation tokens. */
void token_hash(const char *s, unsigned char out[TOKEN_HASH_LEN]);
/* out[2 * TOKEN_HASH_LEN + 1] in hex, the text form libpq takes for bytea
 * as "\\x<hex>". */
void token_hash_bytea(const char *s, char *out, size_t outlen);

/* The 32-byte server key from WAQTOR_SECRET_KEY (64 hex); -1 when unset or
 * malformed. */
int secret_key(unsigned char key[TOKEN_KEY_LEN]) __attribute__((warn_unused_result));

/*
 * Mints a realtime token for a user's dashboard session (the session it
 * was minted from travels in it: ending the session ends the token's
 * sockets); -1 if out is too small.
 */
int rtoken_sign(const unsigned char key[TOKEN_KEY_LEN], const char *tenant_id,
    const char *user_id, const char *session_id, long long exp, char *out,
    size_t outlen) __attribute__((warn_unused_result));
/*
 * Checks a realtime token's signature, shape and expiry against now (unix
 * seconds). On success copies the tenant, user and session ids (36 chars
 * + NUL each).
 */
int rtoken_verify(const unsigned char key[TOKEN_KEY_LEN], const char *token,
    long long now, char *tenant_id, char *user_id, char *session_id)
    __attribute__((warn_unused_result));

#endif
