/*
 * Phone numbers as WhatsApp addresses them: E.164 digits without the "+"
 * (966501234567). Used by contact imports, campaigns and opt-outs.
 */
#ifndef WAQTOR_PHONE_H
#define WAQTOR_PHONE_H

#include <stddef.h>

#define PHONE_DIGITS_MIN	8
#define PHONE_DIGITS_MAX	15
#define PHONE_LEN		(PHONE_DIGITS_MAX + 1)	/* with the NUL */
#define PHONE_CC_MAX		3	/* country codes have 1 to 3 digits */

enum phone_error {
	PHONE_OK = 0,
	PHONE_EMPTY,		/* nothing but separators */
	PHONE_BAD_CHAR,		/* a letter or a symbol that no phone has */
	PHONE_TOO_SHORT,	/* fewer than PHONE_DIGITS_MIN digits */
	PHONE_TOO_LONG,		/* more than PHONE_DIGITS_MAX digits */
	PHONE_NO_COUNTRY,	/* a national number, and no default code */
};

/*
 * Normalises s[0..len) into out (digits, NUL-terminated).
 * - Spaces (also no-break ones, U+00A0, U+202F), tabs, '-', '.', '(', ')'
 *   and '/' are dropped; Arabic-Indic digits (U+0660..U+0669 and
 *   U+06F0..U+06F9, UTF-8) count as digits; any other byte is
 *   PHONE_BAD_CHAR. A leading "+" or "00" marks an international number.
 * - A number that starts with a single "0" is national: the trunk 0 is
 *   dropped and default_cc (1 to 3 digits; NULL or "" for none) put in
 *   front (PHONE_NO_COUNTRY without one).
 * - Other digit strings: with a default code, one of at most 10 digits that
 *   does not already start with that code is national (the code is put in
 *   front); anything else is taken as international as it is.
 * - The result has PHONE_DIGITS_MIN..PHONE_DIGITS_MAX digits.
 */
enum phone_error phone_normalise(const char *s, size_t len,
    const char *default_cc, char out[PHONE_LEN])
    __attribute__((warn_unused_result));
/* A short English reason ("has too few digits"), never NULL. */
const char *phone_strerror(enum phone_error);
/* 1 when s is a valid default country code: 1 to 3 digits, no leading 0. */
int phone_cc_valid(const char *s);

#endif
