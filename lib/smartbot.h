/*
 * SmartBot rules: whether a rule's keywords or pattern match an inbound
 * text, and whether a weekly schedule is open at a time in a time zone.
 * Pure: the API compiles a rule to check it (a bad regex gives PCRE2's
 * message and offset) and to explain a test; the engine keeps the
 * compiled rules of each tenant and matches every inbound text.
 *
 * Texts are compared folded (lib/textnorm.h: case, accents, Arabic forms,
 * punctuation) unless a rule asks for the text as written. Words are runs
 * of letters, digits and marks; anything else (space, punctuation, emoji)
 * is a boundary. A regex (PCRE2, UTF and Unicode properties, caseless
 * when folded, JIT) runs on the folded text, or the text as written,
 * within a match limit: a pattern that backtracks without end fails that
 * match (-1), it never holds the caller up.
 */
#ifndef WAQTOR_SMARTBOT_H
#define WAQTOR_SMARTBOT_H

#include <stddef.h>

#include <json-c/json.h>

enum sb_match {
	SB_EXACT,		/* the whole text is a keyword */
	SB_CONTAINS,		/* a keyword anywhere */
	SB_STARTS_WITH,
	SB_ENDS_WITH,
	SB_WORD,		/* a keyword as whole words */
	SB_REGEX,		/* the pattern */
	SB_FUZZY,		/* words close to a keyword (similarity) */
	SB_FALLBACK,		/* no keywords: answers when no rule matched */
};

/* "exact", "contains", ..., "fallback" in enum order, NULL-terminated. */
extern const char *const smartbot_matches[];
/* The match named name, or -1. */
int		 smartbot_match_find(const char *name);

#define SB_KEYWORDS_MAX		50
#define SB_KEYWORD_MAX		200	/* bytes */
#define SB_PATTERN_MAX		1000	/* bytes */
#define SB_TEXT_MAX		8192	/* bytes of a text that are matched */
#define SB_FUZZY_MIN		4	/* characters a fuzzy keyword needs */
#define SB_MATCH_LIMIT		100000	/* PCRE2 match limit of one match */

struct sb_rule;

/* A text prepared once for every rule: as written and folded, and the
 * words of each (for fuzzy matching). */
struct sb_words;
struct sb_text {
	const char	*raw;
	size_t		 rawlen;
	char		*folded;
	size_t		 foldedlen;
	struct sb_words	*words[2];	/* of raw, of folded */
	unsigned long long grams[2][4];	/* their pairs of bytes (a filter) */
};

/* What matched: the keyword (its index; -1 for a regex), the span in the
 * text matched (folded, or as written), and for fuzzy the similarity. */
struct sb_hit {
	int		 keyword;
	size_t		 off, len;
	double		 score;
	int		 folded;
};

/*
 * Compiles a rule: n keywords (for every match but regex; each 1 to
 * SB_KEYWORD_MAX bytes, nothing left once folded is refused) or a pattern
 * (regex). normalize 0 matches the text as written. threshold (fuzzy) is
 * the least similarity, in (0, 1]. NULL with why in err, and for a bad
 * pattern *offset the byte where PCRE2 stopped (else -1).
 */
struct sb_rule	*smartbot_compile(enum sb_match, const char *const *keywords,
		    size_t n, const char *pattern, int normalize,
		    double threshold, char *err, size_t errlen, long *offset);
void		 smartbot_free(struct sb_rule *);

/* 0, or -1 when s is not valid UTF-8 (or holds NUL). Free with
 * smartbot_text_free. Only the first SB_TEXT_MAX bytes are kept. */
int		 smartbot_text(struct sb_text *, const char *s, size_t len);
void		 smartbot_text_free(struct sb_text *);

/* 1 and *hit when the rule matches, 0 when not, -1 when its regex ran out
 * of its match limit (or failed otherwise). */
int		 smartbot_match(const struct sb_rule *, const struct sb_text *,
		    struct sb_hit *hit);

/* A time in a time zone. */
struct sb_local {
	int	year, month, day;	/* 1-based month and day */
	int	weekday;		/* 0 Monday .. 6 Sunday */
	int	minute;			/* of the day, 0..1439 */
};

/* *out for utc_ms in the IANA time zone tz; -1 when ICU does not know tz. */
int		 smartbot_local(const char *tz, long long utc_ms,
		    struct sb_local *out);

/*
 * A weekly schedule: days (bit 0 Monday .. bit 6 Sunday) and the minutes
 * from..to of each (to 1440 is midnight). from > to runs past midnight:
 * 22:00-06:00 on Friday is open from Friday 22:00 to Saturday 06:00.
 * from == to is the whole day.
 */
struct sb_schedule {
	unsigned	days;
	int		from, to;
};

int		 smartbot_open(const struct sb_schedule *, const struct sb_local *);
/* A rule's schedule as stored, {"days":["mon",...],"from":"09:00",
 * "to":"17:00"} (days mon..sun, 1 to 7 of them; times 00:00..24:00, from
 * before 24:00): 0 and *out, or -1. Other keys are left alone. */
int		 smartbot_schedule_json(struct json_object *,
		    struct sb_schedule *out);

/*
 * Which of a tenant's rules answers a text: the rules in priority order,
 * as the engine and the API's test see them. The first rule that may run
 * here (enabled, for this instance, groups allowed) and matches decides:
 * it answers, with its out-of-hours reply when its schedule is closed;
 * when it cannot answer (its cooldown for this chat, closed without an
 * out-of-hours reply) nothing answers. A fallback rule (rule NULL)
 * answers when no rule matched. Deterministic.
 */
enum sb_outcome {
	SB_NOT_REACHED,		/* a rule before it decided */
	SB_NO_MATCH,
	SB_ANSWERS,
	SB_ANSWERS_CLOSED,	/* with its out-of-hours reply */
	SB_DISABLED,
	SB_OTHER_INSTANCE,
	SB_NO_GROUPS,
	SB_CLOSED,		/* matched; out of its hours, no reply for that */
	SB_COOLDOWN,		/* matched; answered this chat lately */
	SB_FAILED,		/* its regex ran out of its match limit */
	SB_FALLBACK_UNUSED,	/* a fallback, and a rule matched */
};

/* "not_reached", "no_match", ... in enum order. */
extern const char *const smartbot_outcomes[];

struct sb_candidate {
	const struct sb_rule		*rule;		/* NULL: a fallback */
	const struct sb_schedule	*schedule;	/* NULL: always open */
	int				 enabled;
	int				 this_instance;	/* may run here */
	int				 allow_groups;
	int				 cooling;	/* its cooldown runs */
	int				 closed_reply;	/* has an out-of-hours one */
	/* out */
	enum sb_outcome			 outcome;
	struct sb_hit			 hit;
};

/* The index of the rule that answers, or -1; every outcome set. */
int		 smartbot_decide(struct sb_candidate *, size_t n,
		    const struct sb_text *, const struct sb_local *, int group);

/*
 * A rule as stored (match by name, keywords and schedule as JSON text, the
 * schedule NULL for none) into c's rule, schedule and closed_reply, with
 * *sched and *schedule (the parsed schedule, to free, which holds its
 * outOfHoursReply) as their storage; -1 when a rule that is no fallback
 * does not compile (it must then not run). The caller sets the rest.
 */
int		 smartbot_candidate_load(struct sb_candidate *c,
		    struct sb_schedule *sched, struct json_object **schedule,
		    const char *match, const char *keywords_json,
		    const char *pattern, int normalize, double threshold,
		    const char *schedule_json);
/*
 * A rule's reply for one sender, rendered (lib/campaign_msg.h, with
 * {{name}}, {{phone}} and {{time}}/{{date}} of now): one of replies (an
 * array) at random, or closed_reply when closed; a new object and *type,
 * or NULL when there is none or it cannot be rendered.
 */
struct json_object *smartbot_render(struct json_object *replies,
		    struct json_object *closed_reply, int closed,
		    const struct sb_local *now, const char *name,
		    const char *phone, const char **type);

#endif
