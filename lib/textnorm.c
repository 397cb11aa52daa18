#include "textnorm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "xmalloc.h"

#ifndef nitems
#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#endif

/* Arabic marks and tatweel: dropped. */
static const struct {
	UChar32	lo, hi;
} textnorm_drops[] = {
	{ 0x0610, 0x061a },	/* honorifics and small high marks */
	{ 0x0640, 0x0640 },	/* tatweel */
	{ 0x064b, 0x065f },	/* harakat, shadda, sukun, hamza marks */
	{ 0x0670, 0x0670 },	/* superscript alef */
	{ 0x06d6, 0x06ed },	/* Quranic marks */
};

/* Arabic letters written in more than one way: one of them. */
static const struct {
	UChar32	from, to;
} textnorm_maps[] = {
	{ 0x0622, 0x0627 },	/* alef with madda */
	{ 0x0623, 0x0627 },	/* alef with hamza above */
	{ 0x0624, 0x0648 },	/* waw with hamza */
	{ 0x0625, 0x0627 },	/* alef with hamza below */
	{ 0x0626, 0x064a },	/* yeh with hamza */
	{ 0x0629, 0x0647 },	/* teh marbuta */
	{ 0x0649, 0x064a },	/* alef maqsura */
	{ 0x0671, 0x0627 },	/* alef wasla */
	{ 0x0672, 0x0627 },	/* alef with wavy hamza above */
	{ 0x0673, 0x0627 },	/* alef with wavy hamza below */
	{ 0x06a9, 0x0643 },	/* keheh */
	{ 0x06cc, 0x064a },	/* Farsi yeh */
};

/* Categories that separate words: white space, punctuation, controls. */
#define TEXTNORM_SEPARATORS \
	(U_GC_Z_MASK | U_GC_P_MASK | U_GC_CC_MASK | U_GC_CF_MASK)

/* What cp becomes: itself, another, -1 (dropped) or ' ' (a separator). */
static UChar32
textnorm_char(UChar32 cp)
{
	size_t	i;

	for (i = 0; i < nitems(textnorm_drops); i++) {
		if (cp >= textnorm_drops[i].lo && cp <= textnorm_drops[i].hi)
			return -1;
	}
	for (i = 0; i < nitems(textnorm_maps); i++) {
		if (cp == textnorm_maps[i].from)
			return textnorm_maps[i].to;
	}
	if (cp >= 0x0660 && cp <= 0x0669)
		return '0' + (cp - 0x0660);
	if (cp >= 0x06f0 && cp <= 0x06f9)
		return '0' + (cp - 0x06f0);
	if (U_GET_GC_MASK(cp) & TEXTNORM_SEPARATORS)
		return ' ';
	if (U_GET_GC_MASK(cp) & U_GC_MN_MASK)
		return -1;	/* accents and other marks, once decomposed */
	return cp;
}

/* Replaces *u (of *len units) by its form under norm; -1 on failure. */
static int
textnorm_normalize(const UNormalizer2 *norm, UChar **u, int32_t *len)
{
	UErrorCode	 err = U_ZERO_ERROR;
	UChar		*v;
	int32_t		 n;

	n = unorm2_normalize(norm, *u, *len, NULL, 0, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		return -1;
	if (n == INT32_MAX)
		return -1;
	err = U_ZERO_ERROR;
	v = xreallocarray(NULL, (size_t)n + 1, sizeof *v);
	n = unorm2_normalize(norm, *u, *len, v, n + 1, &err);
	if (U_FAILURE(err)) {
		free(v);
		return -1;
	}
	free(*u);
	*u = v;
	*len = n;
	return 0;
}

/*
 * The Arabic and separator rules of textnorm.h on u[0..len), into a new
 * buffer: no longer than u, as each code point becomes at most as many
 * units and a run of separators one space.
 */
static void
textnorm_edit(UChar **u, int32_t *len)
{
	UChar	*v;
	UChar32	 cp;
	int32_t	 i = 0, n = 0;
	int	 space = 0;

	v = xreallocarray(NULL, (size_t)*len + 1, sizeof *v);
	while (i < *len) {
		U16_NEXT(*u, i, *len, cp);
		if ((cp = textnorm_char(cp)) == -1)
			continue;
		if (cp == ' ') {
			space = n > 0;
			continue;
		}
		if (space)
			v[n++] = ' ';
		space = 0;
		U16_APPEND_UNSAFE(v, n, cp);
	}
	free(*u);
	*u = v;
	*len = n;
}

/*
 * NFKC_Casefold, then NFD, so that every mark stands apart from its
 * letter (alef + hamza above, e + acute) and is dropped; a last
 * NFKC_Casefold puts back together what a dropped mark held apart, and so
 * folding twice changes nothing.
 */
char *
textnorm_fold(const char *s, size_t len)
{
	const UNormalizer2	*nfkc, *nfd;
	UErrorCode		 err = U_ZERO_ERROR;
	UChar			*u = NULL;
	int32_t			 ulen, n;
	char			*out = NULL;

	if (len == 0)
		return xstrdup("");
	if (len > INT32_MAX / 2 || memchr(s, '\0', len) != NULL)
		return NULL;
	u = xreallocarray(NULL, len + 1, sizeof *u);
	u_strFromUTF8(u, (int32_t)len + 1, &ulen, s, (int32_t)len, &err);
	if (U_FAILURE(err))
		goto out;
	nfkc = unorm2_getNFKCCasefoldInstance(&err);
	nfd = unorm2_getNFDInstance(&err);
	if (U_FAILURE(err))
		goto out;
	if (textnorm_normalize(nfkc, &u, &ulen) == -1 ||
	    textnorm_normalize(nfd, &u, &ulen) == -1)
		goto out;
	textnorm_edit(&u, &ulen);
	if (textnorm_normalize(nfkc, &u, &ulen) == -1)
		goto out;

	u_strToUTF8(NULL, 0, &n, u, ulen, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		goto out;
	err = U_ZERO_ERROR;
	out = xmalloc((size_t)n + 1);
	u_strToUTF8(out, n + 1, NULL, u, ulen, &err);
	if (U_FAILURE(err)) {
		free(out);
		out = NULL;
	}
out:
	free(u);
	return out;
}
