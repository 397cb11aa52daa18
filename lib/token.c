#include "token.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "config.h"
#include "jsonx.h"
#include "util.h"

void
apikey_generate(char *key, char *prefix)
{
	char	p[APIKEY_PREFIX_HEX + 1], s[APIKEY_SECRET_HEX + 1];

	util_random_hex(p, APIKEY_PREFIX_HEX / 2);
	util_random_hex(s, APIKEY_SECRET_HEX / 2);
	snprintf(key, APIKEY_LEN + 1, "wq_%s_%s", p, s);
	memcpy(prefix, p, sizeof p);
}

static int
token_is_hex(const char *s, size_t n)
{
	return strspn(s, "0123456789abcdef") >= n;
}

int
apikey_parse(const char *key, char *prefix)
{
	if (strlen(key) != APIKEY_LEN || strncmp(key, "wq_", 3) != 0 ||
	    !token_is_hex(key + 3, APIKEY_PREFIX_HEX) ||
	    key[3 + APIKEY_PREFIX_HEX] != '_' ||
	    !token_is_hex(key + 4 + APIKEY_PREFIX_HEX, APIKEY_SECRET_HEX))
		return -1;
	memcpy(prefix, key + 3, APIKEY_PREFIX_HEX);
	prefix[APIKEY_PREFIX_HEX] = '\0';
	return 0;
}

void
token_hash(const char *s, unsigned char out[TOKEN_HASH_LEN])
{
	crypto_hash_sha256(out, (const unsigned char *)s, strlen(s));
}

void
token_hash_bytea(const char *s, char *out, size_t outlen)
{
	unsigned char	h[TOKEN_HASH_LEN];

	token_hash(s, h);
	if (outlen < 2 * TOKEN_HASH_LEN + 3) {
		if (outlen > 0)
			out[0] = '\0';
		return;
	}
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, outlen - 2, h, sizeof h);
}

int
secret_key(unsigned char key[TOKEN_KEY_LEN])
{
	const char	*hex = config_str(CFG_SECRET_KEY);
	size_t		 len;

	if (strlen(hex) != 2 * TOKEN_KEY_LEN)
		return -1;
	if (sodium_hex2bin(key, TOKEN_KEY_LEN, hex, strlen(hex), NULL, &len,
	    NULL) != 0 || len != TOKEN_KEY_LEN)
		return -1;
	return 0;
}

static void
rtoken_mac(const unsigned char key[TOKEN_KEY_LEN], const char *msg, size_t len,
    unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state	st;

	crypto_auth_hmacsha256_init(&st, key, TOKEN_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, len);
	crypto_auth_hmacsha256_final(&st, mac);
}

int
rtoken_sign(const unsigned char key[TOKEN_KEY_LEN], const char *tenant_id,
    const char *user_id, const char *session_id, long long exp, char *out,
    size_t outlen)
{
	char		 payload[224], b64[320];
	unsigned char	 mac[crypto_auth_hmacsha256_BYTES];
	char		 sig[sodium_base64_ENCODED_LEN(sizeof mac,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	int		 n;
	size_t		 signed_len;

	n = snprintf(payload, sizeof payload,
	    "{\"tid\":\"%s\",\"uid\":\"%s\",\"sid\":\"%s\",\"exp\":%lld}",
	    tenant_id, user_id, session_id, exp);
	if (n < 0 || (size_t)n >= sizeof payload)
		return -1;
	sodium_bin2base64(b64, sizeof b64, (const unsigned char *)payload,
	    (size_t)n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = snprintf(out, outlen, "rt_%s", b64);
	if (n < 0 || (size_t)n >= outlen)
		return -1;
	signed_len = (size_t)n;
	rtoken_mac(key, out, signed_len, mac);
	sodium_bin2base64(sig, sizeof sig, mac, sizeof mac,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = snprintf(out + signed_len, outlen - signed_len, ".%s", sig);
	return n < 0 || (size_t)n >= outlen - signed_len ? -1 : 0;
}

int
rtoken_verify(const unsigned char key[TOKEN_KEY_LEN], const char *token,
    long long now, char *tenant_id, char *user_id, char *session_id)
{
	const char		*dot;
	unsigned char		 mac[crypto_auth_hmacsha256_BYTES];
	unsigned char		 given[crypto_auth_hmacsha256_BYTES];
	char			 payload[256], err[64];
	size_t			 len, plen;
	struct json_object	*o = NULL, *v;
	const char		*tid, *uid, *sid;
	int			 rc = -1;

	if (strncmp(token, "rt_", 3) != 0 || strlen(token) > RTOKEN_MAX ||
	    (dot = strchr(token, '.')) == NULL)
		return -1;
	rtoken_mac(key, token, (size_t)(dot - token), mac);
	if (sodium_base642bin(given, sizeof given, dot + 1, strlen(dot + 1),
	    NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != sizeof given || sodium_memcmp(mac, given, sizeof mac) != 0)
		return -1;
	if (sodium_base642bin((unsigned char *)payload, sizeof payload - 1,
	    token + 3, (size_t)(dot - token - 3), NULL, &plen, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	if (jsonx_parse(payload, plen, 2, &o, err, sizeof err) == -1)
		return -1;
	tid = jsonx_get_str(o, "tid");
	uid = jsonx_get_str(o, "uid");
	sid = jsonx_get_str(o, "sid");
	if (tid == NULL || uid == NULL || sid == NULL || !util_is_uuid(tid) ||
	    !util_is_uuid(uid) || !util_is_uuid(sid) ||
	    !json_object_object_get_ex(o, "exp", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) <= now)
		goto out;
	memcpy(tenant_id, tid, UTIL_UUID_LEN + 1);
	memcpy(user_id, uid, UTIL_UUID_LEN + 1);
	memcpy(session_id, sid, UTIL_UUID_LEN + 1);
	rc = 0;
out:
	json_object_put(o);
	return rc;
}
