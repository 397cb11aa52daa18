#include "whsig.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#define WHSIG_KEY_MAX	64

/* The key bytes of secret; their count, or -1. */
static int
whsig_key(const char *secret, unsigned char key[WHSIG_KEY_MAX])
{
	size_t	len;

	if (strncmp(secret, "whsec_", 6) != 0 || sodium_base642bin(key,
	    WHSIG_KEY_MAX, secret + 6, strlen(secret + 6), NULL, &len, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || len < 24)
		return -1;
	return (int)len;
}

void
whsig_secret_new(char *out)
{
	unsigned char	key[32];

	randombytes_buf(key, sizeof key);
	memcpy(out, "whsec_", 6);
	sodium_bin2base64(out + 6, WHSIG_SECRET_LEN - 6 + 1, key, sizeof key,
	    sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key, sizeof key);
}

int
whsig_secret_valid(const char *s)
{
	unsigned char	key[WHSIG_KEY_MAX];
	int		n = whsig_key(s, key);

	sodium_memzero(key, sizeof key);
	return n != -1;
}

int
whsig_sign(const char *secret, const char *id, long long ts,
    const char *body, size_t len, char *out)
{
	crypto_auth_hmacsha256_state	st;
	unsigned char			key[WHSIG_KEY_MAX];
	unsigned char			mac[crypto_auth_hmacsha256_BYTES];
	char				stamp[24];
	int				n;

	if ((n = whsig_key(secret, key)) == -1)
		return -1;
	snprintf(stamp, sizeof stamp, ".%lld.", ts);
	crypto_auth_hmacsha256_init(&st, key, (size_t)n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)id,
	    strlen(id));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)stamp,
	    strlen(stamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "v1,", 3);
	sodium_bin2base64(out + 3, WHSIG_SIG_LEN - 3 + 1, mac, sizeof mac,
	    sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key, sizeof key);
	sodium_memzero(&st, sizeof st);
	return 0;
}
