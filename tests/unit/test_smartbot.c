/* smartbot: rule matching (the table) and weekly schedules. */
#include "smartbot.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

enum { AS_WRITTEN = 0, FOLDED = 1 };

static const struct mcase {
	enum sb_match	 match;
	int		 normalize;
	double		 threshold;
	const char	*keywords;	/* '|' between them; the pattern */
	const char	*text;
	int		 want;		/* 1, 0, -1 (the regex's limit) */
	const char	*span;		/* what matched, when want is 1 */
} cases[] = {
	/* exact: the whole text, folded */
	{ SB_EXACT, FOLDED, 0, "hello", "Hello!", 1, "hello" },
	{ SB_EXACT, FOLDED, 0, "hello", "hello there", 0, NULL },
	{ SB_EXACT, FOLDED, 0, "ok", "  OK!!  ", 1, "ok" },
	{ SB_EXACT, FOLDED, 0, "مرحبا", "مَرْحَبًا", 1, "مرحبا" },	/* harakat */
	{ SB_EXACT, FOLDED, 0, "مرحبا", "مرحـــبا", 1, "مرحبا" },	/* tatweel */
	{ SB_EXACT, FOLDED, 0, "أهلا", "اهلا", 1, "اهلا" },		/* alef forms */
	{ SB_EXACT, FOLDED, 0, "أهلا", "إهلا", 1, "اهلا" },
	{ SB_EXACT, FOLDED, 0, "اهلا", "آهلا", 1, "اهلا" },
	{ SB_EXACT, FOLDED, 0, "اهلا", "ٱهلا", 1, "اهلا" },
	{ SB_EXACT, FOLDED, 0, "yes|نعم|ايوه", "نعم", 1, "نعم" },
	{ SB_EXACT, AS_WRITTEN, 0, "hello", "Hello", 0, NULL },
	{ SB_EXACT, AS_WRITTEN, 0, "Hello", "Hello", 1, "Hello" },
	/* contains */
	{ SB_CONTAINS, FOLDED, 0, "price", "What's the PRICE?", 1, "price" },
	{ SB_CONTAINS, FOLDED, 0, "سعر", "كم السعر؟", 1, "سعر" },
	{ SB_CONTAINS, FOLDED, 0, "مدرسة", "المدرسه قريبة", 1, "مدرسه" },
	{ SB_CONTAINS, FOLDED, 0, "على", "علي الباب", 1, "علي" },
	{ SB_CONTAINS, FOLDED, 0, "مسؤول", "اريد المسوول", 1, "مسوول" },
	{ SB_CONTAINS, FOLDED, 0, "رئيس", "الرييس", 1, "رييس" },
	{ SB_CONTAINS, FOLDED, 0, "كتاب", "کتاب", 1, "كتاب" },	/* Persian kaf */
	{ SB_CONTAINS, FOLDED, 0, "يك", "یک", 1, "يك" },		/* Persian yeh */
	{ SB_CONTAINS, FOLDED, 0, "شُكْرًا", "شكرا لك", 1, "شكرا" },
	{ SB_CONTAINS, FOLDED, 0, "123", "order ١٢٣", 1, "123" },
	{ SB_CONTAINS, FOLDED, 0, "45", "رقم ۴۵", 1, "45" },
	{ SB_CONTAINS, FOLDED, 0, "cafe", "Café au lait", 1, "cafe" },
	{ SB_CONTAINS, FOLDED, 0, "café", "CAFE", 1, "cafe" },
	{ SB_CONTAINS, FOLDED, 0, "Straße", "STRASSE", 1, "strasse" },
	{ SB_CONTAINS, FOLDED, 0, "stop", "ＳＴＯＰ", 1, "stop" },	/* fullwidth */
	{ SB_CONTAINS, AS_WRITTEN, 0, "crème", "creme", 0, NULL },
	{ SB_CONTAINS, FOLDED, 0, "hat", "what", 1, "hat" },		/* a substring */
	{ SB_CONTAINS, FOLDED, 0, "ok", "👍👍", 0, NULL },
	/* starts / ends */
	{ SB_STARTS_WITH, FOLDED, 0, "order", "Order #55 please", 1, "order" },
	{ SB_STARTS_WITH, FOLDED, 0, "order", "my order", 0, NULL },
	{ SB_STARTS_WITH, FOLDED, 0, "السلام", "السلام عليكم ورحمة الله", 1,
	  "السلام" },
	{ SB_ENDS_WITH, FOLDED, 0, "thanks", "ok, thanks!!", 1, "thanks" },
	{ SB_ENDS_WITH, FOLDED, 0, "thanks", "thanks a lot", 0, NULL },
	{ SB_ENDS_WITH, FOLDED, 0, "شكرا", "ok شُكْرًا", 1, "شكرا" },
	/* whole words */
	{ SB_WORD, FOLDED, 0, "hat", "what", 0, NULL },
	{ SB_WORD, FOLDED, 0, "hat", "my hat is red", 1, "hat" },
	{ SB_WORD, FOLDED, 0, "hi", "hi👋", 1, "hi" },		/* emoji: a boundary */
	{ SB_WORD, FOLDED, 0, "hi", "hiking", 0, NULL },
	{ SB_WORD, FOLDED, 0, "price list", "send the Price-List now", 1,
	  "price list" },
	{ SB_WORD, FOLDED, 0, "سعر", "السعر", 0, NULL },		/* al- is part of it */
	{ SB_WORD, FOLDED, 0, "سعر", "ما سعر هذا", 1, "سعر" },
	{ SB_WORD, FOLDED, 0, "order", "ORDER123", 0, NULL },
	{ SB_WORD, FOLDED, 0, "123", "رقم ١٢٣ من فضلك", 1, "123" },
	{ SB_WORD, FOLDED, 0, "مرحبا", "hello مرحبا", 1, "مرحبا" },	/* mixed */
	{ SB_WORD, FOLDED, 0, "hello", "مرحبا hello!", 1, "hello" },
	{ SB_WORD, FOLDED, 0, "hat", "what hat", 1, "hat" },	/* the second one */
	/* fuzzy: words, 4+ characters, the rule's threshold */
	{ SB_FUZZY, FOLDED, 0.8, "hello", "helo", 1, "helo" },
	{ SB_FUZZY, FOLDED, 0.8, "hello", "hallo there", 1, "hallo" },
	{ SB_FUZZY, FOLDED, 0.8, "hello", "help", 0, NULL },
	{ SB_FUZZY, FOLDED, 0.8, "hi", "ho", 0, NULL },		/* too short */
	{ SB_FUZZY, FOLDED, 0.8, "hi", "oh hi", 1, "hi" },	/* exact still */
	{ SB_FUZZY, FOLDED, 0.8, "stop", "stpo", 0, NULL },
	{ SB_FUZZY, FOLDED, 0.8, "cancel", "cancle", 0, NULL },
	{ SB_FUZZY, FOLDED, 0.6, "cancel", "pls cancle", 1, "cancle" },
	{ SB_FUZZY, FOLDED, 0.8, "مرحبا", "مرحبة", 1, "مرحبه" },
	{ SB_FUZZY, FOLDED, 0.8, "شكرا", "شكر", 0, NULL },
	{ SB_FUZZY, FOLDED, 0.7, "شكرا", "شكر", 1, "شكر" },
	{ SB_FUZZY, FOLDED, 0.8, "thank you", "thank yu", 1, "thank yu" },
	{ SB_FUZZY, FOLDED, 0.8, "thank you", "thank", 0, NULL },
	{ SB_FUZZY, FOLDED, 0.8, "price", "prices please", 1, "prices" },
	{ SB_FUZZY, FOLDED, 0.8, "book", "cook", 0, NULL },
	{ SB_FUZZY, FOLDED, 0.8, "order", "the ordr", 1, "ordr" },
	/* regex: PCRE2 on the folded text */
	{ SB_REGEX, FOLDED, 0, "^order\\s+(\\d+)$", "Order 123", 1, "order 123" },
	{ SB_REGEX, FOLDED, 0, "^order\\s+(\\d+)$", "order ١٢٣", 1, "order 123" },
	{ SB_REGEX, FOLDED, 0, "\\p{Arabic}+", "hello مرحبا", 1, "مرحبا" },
	{ SB_REGEX, FOLDED, 0, "colou?r", "What COLOR?", 1, "color" },
	{ SB_REGEX, AS_WRITTEN, 0, "colou?r", "COLOR", 0, NULL },
	{ SB_REGEX, AS_WRITTEN, 0, "^\\d{4}$", "12345", 0, NULL },
	{ SB_REGEX, FOLDED, 0, "\\bhi\\b", "oh HI there", 1, "hi" },
};

static int
split(const char *s, char *buf, size_t len, const char **out, size_t max)
{
	size_t	n = 0;
	char	*p, *save = NULL;

	snprintf(buf, len, "%s", s);
	for (p = strtok_r(buf, "|", &save); p != NULL && n < max;
	    p = strtok_r(NULL, "|", &save))
		out[n++] = p;
	return (int)n;
}

static void
matching(void)
{
	char		 name[256], buf[512], err[256];
	const char	*kw[8];
	struct sb_rule	*r;
	struct sb_text	 t;
	struct sb_hit	 hit;
	size_t		 i;
	long		 off;
	int		 n, rc;

	for (i = 0; i < nitems(cases); i++) {
		const struct mcase *c = &cases[i];

		snprintf(name, sizeof name, "%s %s%s %s -> %d",
		    smartbot_matches[c->match], c->keywords,
		    c->normalize ? "" : " (as written)", c->text, c->want);
		n = split(c->keywords, buf, sizeof buf, kw, nitems(kw));
		r = smartbot_compile(c->match, kw, (size_t)n, c->match ==
		    SB_REGEX ? c->keywords : NULL, c->normalize, c->threshold,
		    err, sizeof err, &off);
		if (!ok(r != NULL, name)) {
			printf("#   %s\n", err);
			continue;
		}
		if (smartbot_text(&t, c->text, strlen(c->text)) == -1) {
			ok(0, name);
			smartbot_free(r);
			continue;
		}
		rc = smartbot_match(r, &t, &hit);
		if (!ok(rc == c->want && (rc != 1 || (strlen(c->span) ==
		    hit.len && memcmp((hit.folded ? t.folded : t.raw) +
		    hit.off, c->span, hit.len) == 0)), name))
			printf("#   got %d, span \"%.*s\", folded \"%s\"\n", rc,
			    (int)hit.len, (hit.folded ? t.folded : t.raw) +
			    hit.off, t.folded);
		smartbot_text_free(&t);
		smartbot_free(r);
	}
}

static void
specifics(void)
{
	const char	*kw[SB_KEYWORDS_MAX + 1];
	char		 err[256], big[SB_PATTERN_MAX + 2], *bomb;
	struct sb_rule	*r;
	struct sb_text	 t;
	struct sb_hit	 hit;
	long		 off;
	size_t		 i;

	kw[0] = "yes";
	kw[1] = "نعم";
	r = smartbot_compile(SB_EXACT, kw, 2, NULL, 1, 0, err, sizeof err, &off);
	smartbot_text(&t, "نَعَم", strlen("نَعَم"));
	ok(smartbot_match(r, &t, &hit) == 1 && hit.keyword == 1,
	    "the hit names the keyword that matched");
	smartbot_text_free(&t);
	smartbot_free(r);

	/* what a rule is refused for */
	r = smartbot_compile(SB_REGEX, NULL, 0, "order (\\d+", 1, 0, err,
	    sizeof err, &off);
	ok(r == NULL && off == 10 && strstr(err, "missing closing "
	    "parenthesis") != NULL, "a bad pattern: PCRE2's message and offset");
	printf("#   %s at %ld\n", err, off);
	r = smartbot_compile(SB_REGEX, NULL, 0, "[a-", 1, 0, err, sizeof err,
	    &off);
	ok(r == NULL && off >= 0, "an unterminated class");
	r = smartbot_compile(SB_REGEX, NULL, 0, "", 1, 0, err, sizeof err, &off);
	ok(r == NULL && off == -1, "an empty pattern");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	r = smartbot_compile(SB_REGEX, NULL, 0, big, 1, 0, err, sizeof err, &off);
	ok(r == NULL, "a pattern over SB_PATTERN_MAX bytes");
	r = smartbot_compile(SB_REGEX, NULL, 0, NULL, 1, 0, err, sizeof err,
	    &off);
	ok(r == NULL, "a regex rule without a pattern");
	r = smartbot_compile(SB_CONTAINS, kw, 0, NULL, 1, 0, err, sizeof err,
	    &off);
	ok(r == NULL, "no keywords");
	for (i = 0; i < nitems(kw); i++)
		kw[i] = "word";
	r = smartbot_compile(SB_CONTAINS, kw, nitems(kw), NULL, 1, 0, err,
	    sizeof err, &off);
	ok(r == NULL, "more than SB_KEYWORDS_MAX keywords");
	kw[0] = "";
	r = smartbot_compile(SB_CONTAINS, kw, 1, NULL, 1, 0, err, sizeof err,
	    &off);
	ok(r == NULL && strstr(err, "keyword 1") != NULL, "an empty keyword");
	kw[0] = "ok";
	kw[1] = "!!! ...";
	r = smartbot_compile(SB_CONTAINS, kw, 2, NULL, 1, 0, err, sizeof err,
	    &off);
	ok(r == NULL && strstr(err, "keyword 2 has no letters") != NULL,
	    "a keyword that folds to nothing");
	kw[0] = "\xff\xfe";
	r = smartbot_compile(SB_CONTAINS, kw, 1, NULL, 1, 0, err, sizeof err,
	    &off);
	ok(r == NULL, "a keyword that is not UTF-8");
	kw[0] = "hello";
	ok(smartbot_compile(SB_FUZZY, kw, 1, NULL, 1, 0, err, sizeof err,
	    &off) == NULL && smartbot_compile(SB_FUZZY, kw, 1, NULL, 1, 1.5,
	    err, sizeof err, &off) == NULL, "a fuzzy threshold outside (0, 1]");

	/* a word longer than any fuzzy keyword (fuzz_smartbot found its
	 * overflow): compared by length alone */
	kw[0] = "hello";
	r = smartbot_compile(SB_FUZZY, kw, 1, NULL, 1, 0.01, err, sizeof err,
	    &off);
	memset(big, 'h', 200);
	big[200] = '\0';
	smartbot_text(&t, big, strlen(big));
	ok(r != NULL && smartbot_match(r, &t, &hit) == 0,
	    "a 200-letter word is no fuzzy match of a 5-letter keyword");
	smartbot_text_free(&t);
	smartbot_free(r);

	/* texts */
	ok(smartbot_text(&t, "a\xc3", 2) == -1, "a text that is not UTF-8");
	ok(smartbot_text(&t, "a\0b", 3) == -1, "a text with NUL");

	/* regex bombs end at the match limit, as a failed match (on the
	 * text as written: folding would drop the final !) */
	bomb = malloc(5002);
	memset(bomb, 'a', 5000);
	bomb[5000] = '!';
	bomb[5001] = '\0';
	smartbot_text(&t, bomb, strlen(bomb));
	r = smartbot_compile(SB_REGEX, NULL, 0, "(a+)+$", 0, 0, err,
	    sizeof err, &off);
	ok(r != NULL && smartbot_match(r, &t, &hit) == -1,
	    "(a+)+$ on 5,000 a and a !: the match limit, not a stall");
	smartbot_free(r);
	r = smartbot_compile(SB_REGEX, NULL, 0, "^(\\w+\\s?)*$", 0, 0, err,
	    sizeof err, &off);
	ok(r != NULL && smartbot_match(r, &t, &hit) == -1,
	    "^(\\w+\\s?)*$ likewise");
	smartbot_free(r);
	smartbot_text_free(&t);
	free(bomb);
}

static const struct tcase {
	const char	*tz;
	long long	 ms;
	struct sb_local	 want;
} times[] = {
	{ "Asia/Riyadh", 1796191200000LL, { 2026, 12, 2, 2, 9 * 60 } },
	{ "UTC", 1796191200000LL, { 2026, 12, 2, 2, 6 * 60 } },
	/* Berlin springs forward at 01:00 UTC on 29 March 2026 */
	{ "Europe/Berlin", 1774744200000LL, { 2026, 3, 29, 6, 90 } },
	{ "Europe/Berlin", 1774747800000LL, { 2026, 3, 29, 6, 210 } },
	/* New York falls back at 06:00 UTC on 1 November: 01:30 twice */
	{ "America/New_York", 1793511000000LL, { 2026, 11, 1, 6, 90 } },
	{ "America/New_York", 1793514600000LL, { 2026, 11, 1, 6, 90 } },
	/* a new year, a day ahead of UTC */
	{ "Asia/Kolkata", 1798747200000LL, { 2027, 1, 1, 4, 90 } },
};

static void
schedules(void)
{
	/* Monday to Friday, 9 to 5 */
	static const struct sb_schedule office = { 0x1f, 9 * 60, 17 * 60 };
	/* Friday nights, 22:00 to 06:00 */
	static const struct sb_schedule night = { 1u << 4, 22 * 60, 6 * 60 };
	static const struct sb_schedule sunday = { 1u << 6, 0, 0 };
	static const struct sb_schedule late = { 0x7f, 20 * 60, 1440 };
	static const struct {
		const struct sb_schedule *s;
		int		 weekday, minute, want;
		const char	*name;
	} opens[] = {
		{ &office, 2, 8 * 60 + 59, 0, "Wednesday 08:59 is before 9" },
		{ &office, 2, 9 * 60, 1, "Wednesday 09:00 is open" },
		{ &office, 2, 16 * 60 + 59, 1, "Wednesday 16:59 is open" },
		{ &office, 2, 17 * 60, 0, "Wednesday 17:00 is closed" },
		{ &office, 5, 10 * 60, 0, "Saturday 10:00 is closed" },
		{ &night, 4, 23 * 60, 1, "Friday 23:00 is open" },
		{ &night, 5, 5 * 60 + 59, 1, "Saturday 05:59 still is" },
		{ &night, 5, 6 * 60, 0, "Saturday 06:00 is not" },
		{ &night, 4, 5 * 60, 0, "Friday 05:00 is Thursday's night" },
		{ &night, 3, 23 * 60, 0, "Thursday 23:00 is closed" },
		{ &night, 5, 23 * 60, 0, "Saturday 23:00 is closed" },
		{ &sunday, 6, 0, 1, "a whole Sunday: 00:00" },
		{ &sunday, 6, 1439, 1, "a whole Sunday: 23:59" },
		{ &sunday, 0, 0, 0, "and not Monday" },
		{ &late, 1, 1439, 1, "20:00-24:00 at 23:59" },
		{ &late, 1, 1199, 0, "20:00-24:00 at 19:59" },
	};
	struct sb_local	 l;
	char		 name[128];
	size_t		 i;

	for (i = 0; i < nitems(times); i++) {
		snprintf(name, sizeof name, "%s at %lld is %04d-%02d-%02d "
		    "%02d:%02d (day %d)", times[i].tz, times[i].ms,
		    times[i].want.year, times[i].want.month, times[i].want.day,
		    times[i].want.minute / 60, times[i].want.minute % 60,
		    times[i].want.weekday);
		ok(smartbot_local(times[i].tz, times[i].ms, &l) == 0 &&
		    memcmp(&l, &times[i].want, sizeof l) == 0, name);
	}
	ok(smartbot_local("Mars/Olympus", 0, &l) == -1, "an unknown zone");
	ok(smartbot_local("", 0, &l) == -1, "an empty zone");
	for (i = 0; i < nitems(opens); i++) {
		l.weekday = opens[i].weekday;
		l.minute = opens[i].minute;
		is_int(smartbot_open(opens[i].s, &l), opens[i].want,
		    opens[i].name);
	}
	/* New York's schedule 01:00-02:00 is open at both 01:30s */
	{
		const struct sb_schedule one = { 0x7f, 60, 120 };

		smartbot_local("America/New_York", 1793511000000LL, &l);
		i = (size_t)smartbot_open(&one, &l);
		smartbot_local("America/New_York", 1793514600000LL, &l);
		ok(i == 1 && smartbot_open(&one, &l) == 1,
		    "a local hour that happens twice is open twice");
	}
}

static struct sb_rule *
rule(enum sb_match m, const char *kw)
{
	char	err[128];
	long	off;

	return smartbot_compile(m, &kw, 1, NULL, 1, 0.8, err, sizeof err, &off);
}

static void
deciding(void)
{
	static const struct sb_schedule office = { 0x1f, 9 * 60, 17 * 60 };
	struct sb_rule		*price = rule(SB_WORD, "price");
	struct sb_rule		*hi = rule(SB_WORD, "hi");
	struct sb_rule		*any = rule(SB_CONTAINS, "e");
	struct sb_candidate	 c[4];
	struct sb_local		 open = { 2026, 12, 2, 2, 10 * 60 };
	struct sb_local		 night = { 2026, 12, 2, 2, 22 * 60 };
	struct sb_text		 t;

	smartbot_text(&t, "the PRICE?", strlen("the PRICE?"));
	memset(c, 0, sizeof c);
	c[0] = (struct sb_candidate){ .rule = NULL, .enabled = 1,
	    .this_instance = 1 };					/* fallback */
	c[1] = (struct sb_candidate){ .rule = hi, .enabled = 1,
	    .this_instance = 1 };
	c[2] = (struct sb_candidate){ .rule = price, .enabled = 1,
	    .this_instance = 1, .schedule = &office };
	c[3] = (struct sb_candidate){ .rule = any, .enabled = 1,
	    .this_instance = 1 };
	is_int(smartbot_decide(c, 4, &t, &open, 0), 2,
	    "the first matching rule answers, not a later one");
	ok(c[0].outcome == SB_FALLBACK_UNUSED && c[1].outcome == SB_NO_MATCH &&
	    c[3].outcome == SB_NOT_REACHED, "and each outcome says why");
	is_int(smartbot_decide(c, 4, &t, &night, 0), -1,
	    "closed, without an out-of-hours reply: nothing answers");
	is_int(c[2].outcome, SB_CLOSED, "(out_of_hours)");
	c[2].closed_reply = 1;
	ok(smartbot_decide(c, 4, &t, &night, 0) == 2 &&
	    c[2].outcome == SB_ANSWERS_CLOSED, "with one, it answers with it");
	c[2].cooling = 1;
	ok(smartbot_decide(c, 4, &t, &open, 0) == -1 &&
	    c[2].outcome == SB_COOLDOWN && c[3].outcome == SB_NOT_REACHED,
	    "its cooldown: silence, not the next rule");
	c[2].cooling = 0;
	c[2].enabled = 0;
	ok(smartbot_decide(c, 4, &t, &open, 0) == 3 &&
	    c[2].outcome == SB_DISABLED, "a disabled rule is passed over");
	c[2].enabled = 1;
	c[2].this_instance = 0;
	ok(smartbot_decide(c, 4, &t, &open, 0) == 3 &&
	    c[2].outcome == SB_OTHER_INSTANCE, "so is one for other instances");
	ok(smartbot_decide(c, 4, &t, &open, 1) == -1 &&
	    c[3].outcome == SB_NO_GROUPS && c[0].outcome == SB_NO_GROUPS,
	    "in a group, only rules that allow groups");
	c[0].allow_groups = 1;
	ok(smartbot_decide(c, 4, &t, &open, 1) == 0 && c[0].outcome ==
	    SB_ANSWERS, "a fallback answers when no rule matched");
	smartbot_text_free(&t);
	smartbot_free(price);
	smartbot_free(hi);
	smartbot_free(any);
}

int
main(void)
{
	matching();
	specifics();
	schedules();
	deciding();
	return tap_done();
}
