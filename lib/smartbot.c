#include "smartbot.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "campaign_msg.h"
#include "jsonx.h"
#include "textnorm.h"
#include "xmalloc.h"

#define SB_FUZZY_CHARS	64	/* longest window a fuzzy match compares */

const char *const smartbot_matches[] = { "exact", "contains", "starts_with",
	"ends_with", "word", "regex", "fuzzy", "fallback", NULL };
const char *const smartbot_outcomes[] = { "not_reached", "no_match",
	"answers", "answers_out_of_hours", "disabled", "other_instance",
	"no_groups", "out_of_hours", "cooldown", "failed", "fallback_unused",
	NULL };

struct sb_kw {
	char		*s;
	size_t		 len;
	int		 words;		/* fuzzy: how many */
	int		 fuzzy;		/* long enough to be matched fuzzily */
	UChar32		 cp[SB_FUZZY_CHARS];	/* fuzzy: its characters */
	int		 ncp;
	uint64_t	 bloom;		/* of them (sb_bloom) */
	unsigned long long grams[4];	/* its pairs of bytes (sb_grams) */
};

/* A text's words: their spans in it, and their characters. */
struct sb_words {
	size_t		 n;
	struct {
		size_t	 off, end;	/* bytes */
		int	 cp0, ncp;	/* in cp */
		uint64_t bloom;
	}		*w;
	UChar32		*cp;
};

struct sb_rule {
	enum sb_match		 match;
	int			 normalize;
	double			 threshold;
	struct sb_kw		*kw;
	size_t			 nkw;
	pcre2_code		*re;
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;
};

/* A letter, digit or mark: part of a word. */
static int
sb_wordchar(UChar32 c)
{
	return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
	    (U_GET_GC_MASK(c) & U_GC_M_MASK);
}

/* The next word of s[*i..len): its span, advancing *i; 0 at the end. */
static int
sb_next_word(const char *s, size_t len, size_t *i, size_t *off, size_t *end)
{
	int32_t	 j = (int32_t)*i, n = (int32_t)len, k;
	UChar32	 c;

	for (;;) {
		if (j >= n) {
			*i = len;
			return 0;
		}
		k = j;
		U8_NEXT(s, j, n, c);
		if (c >= 0 && sb_wordchar(c))
			break;
	}
	*off = (size_t)k;
	while (j < n) {
		k = j;
		U8_NEXT(s, j, n, c);
		if (c < 0 || !sb_wordchar(c)) {
			j = k;
			break;
		}
	}
	*end = (size_t)j;
	*i = (size_t)j;
	return 1;
}

static int
sb_count_words(const char *s, size_t len)
{
	size_t	i = 0, off, end;
	int	n = 0;

	while (sb_next_word(s, len, &i, &off, &end))
		n++;
	return n;
}

/* Whether s[off..off+len) stands on word boundaries in s[0..slen). */
static int
sb_bounded(const char *s, size_t slen, size_t off, size_t len)
{
	int32_t	 i;
	UChar32	 c;

	if (off > 0) {
		i = (int32_t)off;
		U8_PREV(s, 0, i, c);
		if (c >= 0 && sb_wordchar(c))
			return 0;
	}
	if (off + len < slen) {
		i = (int32_t)(off + len);
		U8_NEXT(s, i, (int32_t)slen, c);
		if (c >= 0 && sb_wordchar(c))
			return 0;
	}
	return 1;
}

/* The code points of s[0..len) into out (at most max); how many, or -1
 * when there are more. */
static int
sb_codepoints(const char *s, size_t len, UChar32 *out, int max)
{
	int32_t	 i = 0;
	int	 n = 0;
	UChar32	 c;

	while (i < (int32_t)len) {
		U8_NEXT(s, i, (int32_t)len, c);
		if (n == max)
			return -1;
		out[n++] = c;
	}
	return n;
}

/* The pairs of adjacent bytes of s[0..len) in 256 bits: a keyword with a
 * pair the text lacks is no substring of it, which rules most keywords
 * out at the cost of four ANDs. */
static void
sb_grams(const char *s, size_t len, unsigned long long g[4])
{
	size_t		i;
	unsigned	h;

	memset(g, 0, 4 * sizeof *g);
	for (i = 0; i + 1 < len; i++) {
		h = ((unsigned char)s[i] * 31u + (unsigned char)s[i + 1]) & 255u;
		g[h >> 6] |= 1ull << (h & 63);
	}
}

/* A set of characters in 64 bits: a character of a that is not in b
 * (bloom(a) & ~bloom(b) not 0) is one edit at least. */
static uint64_t
sb_bloom(const UChar32 *cp, int n)
{
	uint64_t	b = 0;
	int		i;

	for (i = 0; i < n; i++)
		b |= (uint64_t)1 << ((uint32_t)cp[i] * 2654435761u >> 26);
	return b;
}

/* Levenshtein distance of a and b, or limit + 1 once it must exceed limit. */
static int
sb_distance(const UChar32 *a, int na, const UChar32 *b, int nb, int limit)
{
	int	row[SB_FUZZY_CHARS + 1], i, j, diag, best, t;

	if (nb > SB_FUZZY_CHARS || na - nb > limit || nb - na > limit)
		return limit + 1;	/* (longer than any fuzzy keyword) */
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		diag = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= nb; j++) {
			t = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (t + 1 < row[j])
				row[j] = t + 1;
			diag = t;
			if (row[j] < best)
				best = row[j];
		}
		if (best > limit)
			return limit + 1;
	}
	return row[nb];
}

int
smartbot_match_find(const char *name)
{
	int	m;

	for (m = 0; smartbot_matches[m] != NULL; m++)
		if (strcmp(name, smartbot_matches[m]) == 0)
			return m;
	return -1;
}

void
smartbot_free(struct sb_rule *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nkw; i++)
		free(r->kw[i].s);
	free(r->kw);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	pcre2_code_free(r->re);
	free(r);
}

static int
sb_compile_regex(struct sb_rule *r, const char *pattern, char *err,
    size_t errlen, long *offset)
{
	PCRE2_UCHAR	msg[256];
	PCRE2_SIZE	at;
	int		code;
	uint32_t	opts = PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C;

	if (r->normalize)
		opts |= PCRE2_CASELESS;
	if (strlen(pattern) == 0 || strlen(pattern) > SB_PATTERN_MAX) {
		snprintf(err, errlen, "a pattern has 1 to %d bytes",
		    SB_PATTERN_MAX);
		return -1;
	}
	r->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
	    &code, &at, NULL);
	if (r->re == NULL) {
		pcre2_get_error_message(code, msg, sizeof msg);
		snprintf(err, errlen, "%s", (const char *)msg);
		*offset = (long)at;
		return -1;
	}
	(void)pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);	/* else interpreted */
	r->md = pcre2_match_data_create_from_pattern(r->re, NULL);
	r->mctx = pcre2_match_context_create(NULL);
	if (r->md == NULL || r->mctx == NULL)
		return -1;
	pcre2_set_match_limit(r->mctx, SB_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, SB_MATCH_LIMIT / 10);
	pcre2_set_heap_limit(r->mctx, 20000);	/* kB */
	return 0;
}

struct sb_rule *
smartbot_compile(enum sb_match match, const char *const *keywords, size_t n,
    const char *pattern, int normalize, double threshold, char *err,
    size_t errlen, long *offset)
{
	struct sb_rule	*r = xcalloc(1, sizeof *r);
	size_t		 i, len;

	*offset = -1;
	r->match = match;
	r->normalize = normalize;
	r->threshold = threshold;
	if (match == SB_REGEX) {
		if (pattern == NULL) {
			snprintf(err, errlen, "a regex rule needs a pattern");
			goto fail;
		}
		if (sb_compile_regex(r, pattern, err, errlen, offset) == -1)
			goto fail;
		return r;
	}
	if (n == 0 || n > SB_KEYWORDS_MAX) {
		snprintf(err, errlen, "a rule has 1 to %d keywords",
		    SB_KEYWORDS_MAX);
		goto fail;
	}
	if (match == SB_FUZZY && !(threshold > 0 && threshold <= 1)) {
		snprintf(err, errlen, "a fuzzy rule's threshold is above 0 "
		    "and at most 1");
		goto fail;
	}
	r->kw = xcalloc(n, sizeof *r->kw);
	for (i = 0; i < n; i++) {
		len = strlen(keywords[i]);
		if (len == 0 || len > SB_KEYWORD_MAX) {
			snprintf(err, errlen, "keyword %zu: 1 to %d bytes",
			    i + 1, SB_KEYWORD_MAX);
			goto fail;
		}
		r->kw[i].s = normalize ? textnorm_fold(keywords[i], len) :
		    xstrdup(keywords[i]);
		r->nkw = i + 1;		/* smartbot_free frees it */
		if (r->kw[i].s == NULL) {
			snprintf(err, errlen, "keyword %zu is not valid UTF-8",
			    i + 1);
			goto fail;
		}
		r->kw[i].len = strlen(r->kw[i].s);
		r->kw[i].words = sb_count_words(r->kw[i].s, r->kw[i].len);
		if (r->kw[i].words == 0) {
			snprintf(err, errlen, "keyword %zu has no letters or "
			    "digits", i + 1);
			goto fail;
		}
		r->kw[i].ncp = sb_codepoints(r->kw[i].s, r->kw[i].len,
		    r->kw[i].cp, SB_FUZZY_CHARS);
		r->kw[i].fuzzy = match == SB_FUZZY && r->kw[i].ncp >=
		    SB_FUZZY_MIN;
		if (r->kw[i].fuzzy)
			r->kw[i].bloom = sb_bloom(r->kw[i].cp, r->kw[i].ncp);
		sb_grams(r->kw[i].s, r->kw[i].len, r->kw[i].grams);
	}
	return r;
fail:
	smartbot_free(r);
	return NULL;
}

int
smartbot_candidate_load(struct sb_candidate *c, struct sb_schedule *sched,
    struct json_object **schedule, const char *match, const char *keywords_json,
    const char *pattern, int normalize, double threshold,
    const char *schedule_json)
{
	struct json_object	*kw = NULL;
	const char		*k[SB_KEYWORDS_MAX];
	char			 err[256];
	long			 off;
	size_t			 i, n = 0;
	int			 m = smartbot_match_find(match);

	c->rule = NULL;
	c->schedule = NULL;
	c->closed_reply = 0;
	*schedule = NULL;
	if (schedule_json != NULL && jsonx_parse(schedule_json,
	    strlen(schedule_json), JSONX_MAX_DEPTH, schedule, err,
	    sizeof err) == 0 && smartbot_schedule_json(*schedule, sched) == 0) {
		c->schedule = sched;
		c->closed_reply = json_object_object_get_ex(*schedule,
		    "outOfHoursReply", NULL);
	}
	if (m == SB_FALLBACK)
		return 0;
	if (m == -1 || jsonx_parse(keywords_json, strlen(keywords_json),
	    JSONX_MAX_DEPTH, &kw, err, sizeof err) == -1)
		return -1;
	for (i = 0; json_object_is_type(kw, json_type_array) &&
	    i < json_object_array_length(kw) && n < SB_KEYWORDS_MAX; i++)
		k[n++] = json_object_get_string(json_object_array_get_idx(kw, i));
	c->rule = smartbot_compile((enum sb_match)m, k, n, pattern, normalize,
	    threshold, err, sizeof err, &off);
	json_object_put(kw);
	return c->rule == NULL ? -1 : 0;
}

struct json_object *
smartbot_render(struct json_object *replies, struct json_object *closed_reply,
    int closed, const struct sb_local *now, const char *name,
    const char *phone, const char **type)
{
	struct json_object	*msg = NULL, *vars, *content = NULL;
	struct campaign_vars	 cv;
	char			 buf[16], missing[80];
	size_t			 n;

	if (closed)
		msg = closed_reply;
	else if (json_object_is_type(replies, json_type_array) &&
	    (n = json_object_array_length(replies)) > 0)
		msg = json_object_array_get_idx(replies,
		    arc4random_uniform((uint32_t)n));
	if (msg == NULL)
		return NULL;
	vars = json_object_new_object();
	snprintf(buf, sizeof buf, "%02d:%02d", now->minute / 60,
	    now->minute % 60);
	jsonx_add_str(vars, "time", buf);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", now->year, now->month,
	    now->day);
	jsonx_add_str(vars, "date", buf);
	cv.recipient = NULL;
	cv.campaign = vars;
	cv.name = name != NULL ? name : "";
	cv.phone = phone;
	if (campaign_msg_render(msg, &cv, type, &content, missing,
	    sizeof missing) == -1)
		content = NULL;
	json_object_put(vars);
	return content;
}

/* The words of s[0..len), once for every fuzzy rule. */
static struct sb_words *
sb_words(const char *s, size_t len)
{
	struct sb_words	*w = xcalloc(1, sizeof *w);
	size_t		 i = 0, off, end, cap = 0;
	int		 ncp = 0;

	w->cp = xreallocarray(NULL, len + 1, sizeof *w->cp);
	while (sb_next_word(s, len, &i, &off, &end)) {
		if (w->n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			w->w = xreallocarray(w->w, cap, sizeof *w->w);
		}
		w->w[w->n].off = off;
		w->w[w->n].end = end;
		w->w[w->n].cp0 = ncp;
		w->w[w->n].ncp = sb_codepoints(s + off, end - off, w->cp + ncp,
		    (int)(len + 1) - ncp);
		w->w[w->n].bloom = sb_bloom(w->cp + ncp, w->w[w->n].ncp);
		ncp += w->w[w->n].ncp;
		w->n++;
	}
	return w;
}

int
smartbot_text(struct sb_text *t, const char *s, size_t len)
{
	int32_t	 i = 0, cut = 0;
	UChar32	 c;

	memset(t, 0, sizeof *t);
	if (memchr(s, '\0', len) != NULL)
		return -1;
	while (i < (int32_t)len) {	/* valid, and cut on a whole character */
		U8_NEXT(s, i, (int32_t)len, c);
		if (c < 0)
			return -1;
		if (i <= SB_TEXT_MAX)
			cut = i;
	}
	t->raw = s;
	t->rawlen = (size_t)cut;
	if ((t->folded = textnorm_fold(s, t->rawlen)) == NULL)
		return -1;
	t->foldedlen = strlen(t->folded);
	t->words[0] = sb_words(t->raw, t->rawlen);
	t->words[1] = sb_words(t->folded, t->foldedlen);
	sb_grams(t->raw, t->rawlen, t->grams[0]);
	sb_grams(t->folded, t->foldedlen, t->grams[1]);
	return 0;
}

static void
sb_words_free(struct sb_words *w)
{
	if (w != NULL) {
		free(w->w);
		free(w->cp);
		free(w);
	}
}

void
smartbot_text_free(struct sb_text *t)
{
	free(t->folded);
	t->folded = NULL;
	sb_words_free(t->words[0]);
	sb_words_free(t->words[1]);
	t->words[0] = t->words[1] = NULL;
}

/* The first place of kw in s from *from on; -1 when none. (memchr and
 * memcmp: texts are short and most keywords are not in them, where
 * memmem's setup for each call cost more than the search.) */
static long
sb_find(const char *s, size_t slen, const struct sb_kw *kw, size_t from)
{
	const char	*p = s + from, *end = s + slen;

	if (from > slen || kw->len > slen - from)
		return -1;
	end -= kw->len - 1;
	while ((p = memchr(p, kw->s[0], (size_t)(end - p))) != NULL) {
		if (memcmp(p, kw->s, kw->len) == 0)
			return (long)(p - s);
		p++;
	}
	return -1;
}

/* Fuzzy: the best window of kw->words words of the text within the
 * threshold, its words joined by one space as the keyword's are. */
static int
sb_fuzzy(const struct sb_rule *r, const struct sb_kw *kw,
    const struct sb_words *tw, struct sb_hit *hit)
{
	static const UChar32	 space = ' ';
	UChar32			 b[SB_FUZZY_CHARS];
	const UChar32		*win;
	uint64_t		 bloom;
	size_t			 i, w, last;
	int			 nb, limit, d, found = 0, max;
	double			 score;

	for (i = 0; i + (size_t)kw->words <= tw->n; i++) {
		last = i + (size_t)kw->words - 1;
		/* what cannot be within the threshold, before any copy: a
		 * length too far off, characters of the keyword missing */
		nb = kw->words - 1;
		bloom = kw->words > 1 ? sb_bloom(&space, 1) : 0;
		for (w = i; w <= last; w++) {
			nb += tw->w[w].ncp;
			bloom |= tw->w[w].bloom;
		}
		max = kw->ncp > nb ? kw->ncp : nb;
		limit = (int)((1.0 - r->threshold) * max + 1e-9);
		if (nb > SB_FUZZY_CHARS || nb - kw->ncp > limit ||
		    kw->ncp - nb > limit ||
		    __builtin_popcountll(kw->bloom & ~bloom) > limit)
			continue;
		if (kw->words == 1)	/* most keywords: no copy */
			win = tw->cp + tw->w[i].cp0;
		else {
			for (nb = 0, w = i; w <= last; w++) {
				if (w > i)
					b[nb++] = ' ';
				memcpy(b + nb, tw->cp + tw->w[w].cp0, (size_t)
				    tw->w[w].ncp * sizeof *b);
				nb += tw->w[w].ncp;
			}
			win = b;
		}
		d = sb_distance(kw->cp, kw->ncp, win, nb, limit);
		score = 1.0 - (double)d / (double)max;
		if (d <= limit && (!found || score > hit->score)) {
			found = 1;
			hit->score = score;
			hit->off = tw->w[i].off;
			hit->len = tw->w[last].end - hit->off;
		}
	}
	return found;
}

/* Whether keyword kw matches s[0..slen) as the rule's match says. */
static int
sb_match_kw(const struct sb_rule *r, const struct sb_kw *kw, const char *s,
    size_t slen, const struct sb_words *tw, struct sb_hit *hit)
{
	long	at;
	size_t	from = 0;

	switch (r->match) {
	case SB_EXACT:
		at = slen == kw->len && memcmp(s, kw->s, slen) == 0 ? 0 : -1;
		break;
	case SB_CONTAINS:
		at = sb_find(s, slen, kw, 0);
		break;
	case SB_STARTS_WITH:
		at = slen >= kw->len && memcmp(s, kw->s, kw->len) == 0 ? 0 : -1;
		break;
	case SB_ENDS_WITH:
		at = slen >= kw->len && memcmp(s + slen - kw->len, kw->s,
		    kw->len) == 0 ? (long)(slen - kw->len) : -1;
		break;
	case SB_WORD:
	case SB_FUZZY:
		while ((at = sb_find(s, slen, kw, from)) != -1 &&
		    !sb_bounded(s, slen, (size_t)at, kw->len))
			from = (size_t)at + 1;
		if (at == -1 && r->match == SB_FUZZY && kw->fuzzy)
			return sb_fuzzy(r, kw, tw, hit);
		break;
	default:
		return 0;
	}
	if (at == -1)
		return 0;
	hit->off = (size_t)at;
	hit->len = kw->len;
	hit->score = 1.0;
	return 1;
}

int
smartbot_match(const struct sb_rule *r, const struct sb_text *t,
    struct sb_hit *hit)
{
	const char	*s = r->normalize ? t->folded : t->raw;
	size_t		 slen = r->normalize ? t->foldedlen : t->rawlen, i;
	PCRE2_SIZE	*ov;
	const unsigned long long *g;
	int		 rc;

	memset(hit, 0, sizeof *hit);
	hit->folded = r->normalize;
	if (r->match == SB_REGEX) {
		rc = pcre2_match(r->re, (PCRE2_SPTR)s, slen, 0, 0, r->md,
		    r->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc < 0)
			return -1;
		ov = pcre2_get_ovector_pointer(r->md);
		hit->keyword = -1;
		hit->off = ov[0];
		hit->len = ov[1] > ov[0] ? ov[1] - ov[0] : 0;
		hit->score = 1.0;
		return 1;
	}
	g = t->grams[r->normalize != 0];
	for (i = 0; i < r->nkw; i++) {
		const unsigned long long *k = r->kw[i].grams;

		/* not a substring: only fuzzy may still match it */
		if (r->match != SB_FUZZY && ((k[0] & ~g[0]) | (k[1] & ~g[1]) |
		    (k[2] & ~g[2]) | (k[3] & ~g[3])) != 0)
			continue;
		if (sb_match_kw(r, &r->kw[i], s, slen,
		    t->words[r->normalize != 0], hit)) {
			hit->keyword = (int)i;
			return 1;
		}
	}
	return 0;
}

int
smartbot_local(const char *tz, long long utc_ms, struct sb_local *out)
{
	UChar		 id[64], canon[64];
	UErrorCode	 err = U_ZERO_ERROR;
	UCalendar	*cal;
	UBool		 sys = 0;
	int		 dow;

	if (strlen(tz) >= sizeof id / sizeof id[0])
		return -1;
	u_uastrcpy(id, tz);
	/* an unknown zone is GMT to ucal_open: ask first */
	ucal_getCanonicalTimeZoneID(id, -1, canon, 64, &sys, &err);
	if (U_FAILURE(err) || !sys)
		return -1;
	cal = ucal_open(id, -1, "en_US_POSIX", UCAL_GREGORIAN, &err);
	if (U_FAILURE(err))
		return -1;
	ucal_setMillis(cal, (UDate)utc_ms, &err);
	out->year = ucal_get(cal, UCAL_YEAR, &err);
	out->month = ucal_get(cal, UCAL_MONTH, &err) + 1;
	out->day = ucal_get(cal, UCAL_DATE, &err);
	dow = ucal_get(cal, UCAL_DAY_OF_WEEK, &err);	/* 1 Sunday */
	out->weekday = (dow + 5) % 7;
	out->minute = ucal_get(cal, UCAL_HOUR_OF_DAY, &err) * 60 +
	    ucal_get(cal, UCAL_MINUTE, &err);
	ucal_close(cal);
	return U_FAILURE(err) ? -1 : 0;
}

int
smartbot_open(const struct sb_schedule *s, const struct sb_local *t)
{
	unsigned	today = 1u << t->weekday;
	unsigned	yesterday = 1u << ((t->weekday + 6) % 7);

	if (s->from == s->to)
		return (s->days & today) != 0;
	if (s->from < s->to)
		return (s->days & today) && t->minute >= s->from &&
		    t->minute < s->to;
	/* past midnight: the evening of a day, or the morning after it */
	return ((s->days & today) && t->minute >= s->from) ||
	    ((s->days & yesterday) && t->minute < s->to);
}

/* "HH:MM" (00:00..24:00) in minutes, or -1. */
static int
sb_hhmm(const char *s)
{
	int	h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' ||
	    strspn(s, "0123456789") != 2 || strspn(s + 3, "0123456789") != 2)
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	return m > 59 || h > 24 || (h == 24 && m > 0) ? -1 : h * 60 + m;
}

int
smartbot_schedule_json(struct json_object *o, struct sb_schedule *out)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri",
	    "sat", "sun" };
	struct json_object	*a, *v, *f, *t;
	size_t			 i, d;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "days", &a) ||
	    !json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) == 0 ||
	    !json_object_object_get_ex(o, "from", &f) ||
	    !json_object_is_type(f, json_type_string) ||
	    !json_object_object_get_ex(o, "to", &t) ||
	    !json_object_is_type(t, json_type_string))
		return -1;
	out->days = 0;
	for (i = 0; i < json_object_array_length(a); i++) {
		v = json_object_array_get_idx(a, i);
		for (d = 0; d < 7; d++)
			if (json_object_is_type(v, json_type_string) &&
			    strcmp(json_object_get_string(v), days[d]) == 0)
				break;
		if (d == 7)
			return -1;
		out->days |= 1u << d;
	}
	out->from = sb_hhmm(json_object_get_string(f));
	out->to = sb_hhmm(json_object_get_string(t));
	if (out->from == -1 || out->to == -1 || out->from == 1440)
		return -1;
	if (out->from == 0 && out->to == 1440)
		out->to = 0;	/* the whole day */
	return 0;
}

int
smartbot_decide(struct sb_candidate *c, size_t n, const struct sb_text *t,
    const struct sb_local *now, int group)
{
	size_t	i, j;
	long	fallback = -1;
	int	rc, open;

	for (i = 0; i < n; i++)
		c[i].outcome = SB_NOT_REACHED;
	for (i = 0; i < n; i++) {
		open = c[i].schedule == NULL || smartbot_open(c[i].schedule, now);
		if (!c[i].enabled)
			c[i].outcome = SB_DISABLED;
		else if (!c[i].this_instance)
			c[i].outcome = SB_OTHER_INSTANCE;
		else if (group && !c[i].allow_groups)
			c[i].outcome = SB_NO_GROUPS;
		else if (c[i].rule == NULL) {
			/* a fallback: the first that may answer, if need be */
			c[i].outcome = SB_NO_MATCH;
			if (fallback == -1 && !c[i].cooling &&
			    (open || c[i].closed_reply))
				fallback = (long)i;
		} else if ((rc = smartbot_match(c[i].rule, t,
		    &c[i].hit)) == -1)
			c[i].outcome = SB_FAILED;
		else if (rc == 0)
			c[i].outcome = SB_NO_MATCH;
		else {
			c[i].outcome = c[i].cooling ? SB_COOLDOWN : open ?
			    SB_ANSWERS : c[i].closed_reply ? SB_ANSWERS_CLOSED :
			    SB_CLOSED;
			for (j = 0; j < n; j++)
				if (c[j].rule == NULL &&
				    c[j].outcome == SB_NO_MATCH)
					c[j].outcome = SB_FALLBACK_UNUSED;
			return c[i].outcome == SB_ANSWERS ||
			    c[i].outcome == SB_ANSWERS_CLOSED ? (int)i : -1;
		}
	}
	if (fallback == -1)
		return -1;
	c[fallback].outcome = c[fallback].schedule == NULL ||
	    smartbot_open(c[fallback].schedule, now) ? SB_ANSWERS :
	    SB_ANSWERS_CLOSED;
	return (int)fallback;
}
