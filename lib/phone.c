#include "phone.h"

#include <string.h>

#include "util.h"

#ifndef nitems
#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#endif

/* What a byte sequence of a phone number is, after phone_scan. */
enum phone_token {
	PHONE_T_BAD,
	PHONE_T_DIGIT,
	PHONE_T_SEPARATOR,
	PHONE_T_PLUS,
};

/* Multi-byte separators, UTF-8: no-break space, narrow no-break space. */
static const char *const phone_spaces[] = { "\xc2\xa0", "\xe2\x80\xaf" };

static const char *const phone_errors[] = {
	[PHONE_OK] = "is a phone number",
	[PHONE_EMPTY] = "is empty",
	[PHONE_BAD_CHAR] = "has a character no phone number has",
	[PHONE_TOO_SHORT] = "has too few digits",
	[PHONE_TOO_LONG] = "has too many digits",
	[PHONE_NO_COUNTRY] = "has no country code",
};

/*
 * The token at p[0..left): its kind, its length in *adv and, for a digit,
 * its ASCII form in *digit.
 */
static enum phone_token
phone_scan(const unsigned char *p, size_t left, size_t *adv, char *digit)
{
	size_t	i, n;

	*adv = 1;
	if (*p >= '0' && *p <= '9') {
		*digit = (char)*p;
		return PHONE_T_DIGIT;
	}
	if (*p == '+')
		return PHONE_T_PLUS;
	if (*p != '\0' && strchr(" \t-.()/", *p) != NULL)
		return PHONE_T_SEPARATOR;
	/* Arabic-Indic U+0660..U+0669 and Extended U+06F0..U+06F9 */
	if (left >= 2 && ((p[0] == 0xd9 && p[1] >= 0xa0 && p[1] <= 0xa9) ||
	    (p[0] == 0xdb && p[1] >= 0xb0 && p[1] <= 0xb9))) {
		*adv = 2;
		*digit = (char)('0' + (p[1] & 0x0f));
		return PHONE_T_DIGIT;
	}
	for (i = 0; i < nitems(phone_spaces); i++) {
		n = strlen(phone_spaces[i]);
		if (left >= n && memcmp(p, phone_spaces[i], n) == 0) {
			*adv = n;
			return PHONE_T_SEPARATOR;
		}
	}
	return PHONE_T_BAD;
}

int
phone_cc_valid(const char *s)
{
	size_t	i;

	if (s == NULL || s[0] < '1' || s[0] > '9')
		return 0;
	for (i = 1; s[i] != '\0'; i++) {
		if (i >= PHONE_CC_MAX || s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

enum phone_error
phone_normalise(const char *s, size_t len, const char *default_cc,
    char out[PHONE_LEN])
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 digits[PHONE_DIGITS_MAX + 3], d;
	const char		*cc = "";
	size_t			 i, adv, n = 0, skip = 0, cclen = 0, total;
	int			 plus = 0;

	out[0] = '\0';
	for (i = 0; i < len; i += adv) {
		switch (phone_scan(p + i, len - i, &adv, &d)) {
		case PHONE_T_BAD:
			return PHONE_BAD_CHAR;
		case PHONE_T_PLUS:
			if (plus || n > 0)
				return PHONE_BAD_CHAR;
			plus = 1;
			break;
		case PHONE_T_DIGIT:
			/* Past the buffer the number is too long anyway. */
			if (n < sizeof digits)
				digits[n] = d;
			n++;
			break;
		case PHONE_T_SEPARATOR:
			break;
		}
	}
	if (n == 0)
		return PHONE_EMPTY;

	/* An invalid default code is taken as none. */
	if (phone_cc_valid(default_cc))
		cclen = strlen(cc = default_cc);
	if (plus)
		cclen = 0;			/* international as written */
	else if (n >= 2 && digits[0] == '0' && digits[1] == '0') {
		skip = 2;			/* 00: international */
		cclen = 0;
	} else if (digits[0] == '0') {
		if (cclen == 0)
			return PHONE_NO_COUNTRY;
		skip = 1;			/* the trunk 0 */
	} else if (n > 10 || (n >= cclen && memcmp(digits, cc, cclen) == 0))
		cclen = 0;			/* already international */

	total = cclen + n - skip;
	if (total < PHONE_DIGITS_MIN)
		return PHONE_TOO_SHORT;
	if (total > PHONE_DIGITS_MAX)
		return PHONE_TOO_LONG;
	memcpy(out, cc, cclen);
	memcpy(out + cclen, digits + skip, n - skip);
	out[total] = '\0';
	return PHONE_OK;
}

const char *
phone_strerror(enum phone_error e)
{
	if ((size_t)e >= nitems(phone_errors) || phone_errors[e] == NULL)
		return "is not a phone number";
	return phone_errors[e];
}
