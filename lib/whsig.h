/*
 * Standard Webhooks signatures (standardwebhooks.com, the spec's
 * "Signature scheme"): a secret is "whsec_" + base64 of 32 random bytes;
 * a delivery carries webhook-id, webhook-timestamp (Unix seconds) and
 * webhook-signature, "v1," + base64(HMAC-SHA256(key, id "." timestamp "."
 * body)), several of them separated by spaces while a rotated secret is
 * still honoured. Every receiver verifies with the spec's libraries.
 */
#ifndef WAQTOR_WHSIG_H
#define WAQTOR_WHSIG_H

#include <stddef.h>

#define WHSIG_SECRET_LEN	(6 + 44)	/* "whsec_" + base64(32 bytes) */
#define WHSIG_SIG_LEN		(3 + 44)	/* "v1," + base64(32 bytes) */

/* A new secret into out[WHSIG_SECRET_LEN + 1]. */
void	whsig_secret_new(char *out);
/* 1 when s is a secret of this shape: "whsec_" and base64 of 24 to 64
 * bytes (other senders' secrets are shorter; we make 32). */
int	whsig_secret_valid(const char *s);
/*
 * The signature of (id, ts, body) with secret into out[WHSIG_SIG_LEN + 1];
 * -1 when the secret is not valid.
 */
int	whsig_sign(const char *secret, const char *id, long long ts,
	    const char *body, size_t len, char *out)
	    __attribute__((warn_unused_result));

#endif
