/*
 * libFuzzer target: what people type and templates hold: phone_normalise,
 * template_render and template_names, textnorm_fold. The first byte picks
 * a default country code and out_max; the rest is the text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phone.h"
#include "template.h"
#include "textnorm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const vars[][2] = {
	{ "a", "1" },
	{ "name", "Amal" },
	{ "x.y", "{{a}}" },
	{ "e", "" },
	{ "long", "0123456789012345678901234567890123456789012345678901234567"
	  "8901234567890123456789" },
};

/* An independent check: well-formed UTF-8 (RFC 3629), no NUL. */
static int
utf8_valid(const unsigned char *s, size_t len)
{
	size_t		i = 0, n, k;
	uint32_t	cp;

	while (i < len) {
		if (s[i] == 0)
			return 0;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 1; cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 2; cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3; cp = s[i] & 0x07;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

static int
name_valid(const char *s, size_t len)
{
	size_t	i;

	if (len < 1 || len > TEMPLATE_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-", s[i]) == NULL || s[i] == '\0')
			return 0;
	}
	return 1;
}

static const char *
lookup(void *arg, const char *name, size_t len)
{
	size_t	i;

	if (!name_valid(name, len))
		__builtin_trap();
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		if (strlen(vars[i][0]) == len &&
		    memcmp(vars[i][0], name, len) == 0)
			return vars[i][1];
	}
	return NULL;
}

struct names {
	const char	*seen[64];
	size_t		 lens[64];
	int		 n;
};

static void
name_cb(void *arg, const char *name, size_t len)
{
	struct names	*nm = arg;
	int		 i;

	if (!name_valid(name, len))
		__builtin_trap();
	for (i = 0; i < nm->n && i < 64; i++) {
		if (nm->lens[i] == len && memcmp(nm->seen[i], name, len) == 0)
			__builtin_trap();	/* reported twice */
	}
	if (nm->n < 64) {
		nm->seen[nm->n] = name;
		nm->lens[nm->n] = len;
	}
	nm->n++;
}

static void
fuzz_phone(const char *s, size_t len, const char *cc)
{
	char			out[PHONE_LEN], again_in[PHONE_LEN + 1];
	char			again[PHONE_LEN];
	enum phone_error	e;
	size_t			n, i;

	memset(out, 'x', sizeof out);
	e = phone_normalise(s, len, cc, out);
	if (phone_strerror(e) == NULL)
		__builtin_trap();
	if (e != PHONE_OK) {
		if (out[0] != '\0')
			__builtin_trap();
		return;
	}
	n = strnlen(out, sizeof out);
	if (n < PHONE_DIGITS_MIN || n > PHONE_DIGITS_MAX)
		__builtin_trap();
	for (i = 0; i < n; i++) {
		if (out[i] < '0' || out[i] > '9')
			__builtin_trap();
	}
	/* an international number is taken as it is */
	again_in[0] = '+';
	memcpy(again_in + 1, out, n + 1);
	if (phone_normalise(again_in, n + 1, cc, again) != PHONE_OK ||
	    strcmp(again, out) != 0)
		__builtin_trap();
}

static void
fuzz_template(const char *tpl, size_t out_max)
{
	struct names	 nm = { .n = 0 };
	char		 missing[TEMPLATE_NAME_MAX + 1], *s;
	int		 n, rendered;

	memset(missing, 'x', sizeof missing);
	s = template_render(tpl, lookup, NULL, out_max, missing,
	    sizeof missing);
	if ((rendered = s != NULL)) {
		if (strlen(s) > out_max || missing[0] != '\0')
			__builtin_trap();
		/* text without "{{" is all literal */
		if (strstr(tpl, "{{") == NULL && strcmp(s, tpl) != 0)
			__builtin_trap();
		free(s);
	} else if (strnlen(missing, sizeof missing) == sizeof missing ||
	    (missing[0] != '\0' && (!name_valid(missing, strlen(missing)) ||
	    lookup(NULL, missing, strlen(missing)) != NULL)))
		__builtin_trap();
	n = template_names(tpl, name_cb, &nm);
	if (n != nm.n || n < 0)
		__builtin_trap();
	/* with no placeholder there is nothing to miss */
	if (n == 0 && !rendered && missing[0] != '\0')
		__builtin_trap();
}

static void
fuzz_fold(const char *s, size_t len)
{
	char	*f, *again;
	size_t	 n;

	f = textnorm_fold(s, len);
	if (f == NULL) {
		if (utf8_valid((const unsigned char *)s, len))
			__builtin_trap();
		return;
	}
	if (!utf8_valid((const unsigned char *)s, len))
		__builtin_trap();
	n = strlen(f);
	if (!utf8_valid((const unsigned char *)f, n))
		__builtin_trap();
	if (n > 0 && (f[0] == ' ' || f[n - 1] == ' ' || strstr(f, "  ")))
		__builtin_trap();
	/* folding twice changes nothing */
	if ((again = textnorm_fold(f, n)) == NULL || strcmp(again, f) != 0)
		__builtin_trap();
	free(again);
	free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ccs[] = { NULL, "", "966", "1", "44",
	    "971", "9666", "0" };
	const char	*cc;
	char		*tpl;
	size_t		 out_max;

	if (size < 1)
		return 0;
	cc = ccs[data[0] & 7];
	out_max = data[0] >> 3 == 31 ? (size_t)-1 : (size_t)(data[0] >> 3) * 8;
	data++;
	size--;

	fuzz_phone((const char *)data, size, cc);
	fuzz_fold((const char *)data, size);
	tpl = malloc(size + 1);
	if (tpl == NULL)
		return 0;
	memcpy(tpl, data, size);
	tpl[size] = '\0';
	fuzz_template(tpl, out_max);
	free(tpl);
	return 0;
}
