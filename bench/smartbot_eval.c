/*
 * SmartBot rule evaluation, per message: the text folded (ICU) and the
 * tenant's rules tried in order (lib/smartbot.h), as the engine does for
 * each inbound text. Rule sets of N rules of mixed types (exact, contains,
 * starts/ends with, word, fuzzy, regex; Latin and Arabic keywords), and
 * texts that match early, late or not at all (the worst case: every rule
 * tried). Prints one JSON line per rule count.
 *   bench/smartbot_eval N...  (built by bench/smartbot.py)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smartbot.h"

static const char *const words[] = { "price", "delivery", "order",
	"refund", "hours", "location", "discount", "warranty", "سعر", "توصيل",
	"طلب", "استرجاع", "موقع", "خصم", "ضمان", "مواعيد" };
#define NWORDS	(sizeof words / sizeof words[0])

static const char *const texts[] = {
	"What's the price of the blue one?",
	"مرحبا، كم سعر التوصيل إلى الرياض؟",
	"I want a refund for order 12345 please",
	"hello there, just saying hi 👋",
	"أُرِيدُ اِسْتِرْجَاعَ الطلبِ رقم ١٢٣٤٥",
	"Where is your location? Are you open on Friday evening?",
	"thanks a lot, have a great day",
	"ok",
};
#define NTEXTS	(sizeof texts / sizeof texts[0])

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	int	a;

	for (a = 1; a < argc; a++) {
		size_t			 n = (size_t)atol(argv[a]), i, k, iters;
		struct sb_candidate	*c = calloc(n, sizeof *c);
		struct sb_local		 when = { 2026, 12, 2, 2, 600 };
		struct sb_text		 t;
		char			 kw[3][64], pat[160], err[256];
		const char		*kws[3];
		long			 off;
		double			 t0, secs;
		int			 answered = 0;

		for (i = 0; i < n; i++) {
			enum sb_match m = (enum sb_match)(i % 7);

			/* keywords that mostly do not occur: the rules a
			 * real text passes by before one matches */
			for (k = 0; k < 3; k++)
				snprintf(kw[k], sizeof kw[k], "%s%zu",
				    words[(i + k) % NWORDS], i);
			if (i == n - 1)		/* the last one: a plain word */
				snprintf(kw[0], sizeof kw[0], "%s", "location");
			kws[0] = kw[0];
			kws[1] = kw[1];
			kws[2] = kw[2];
			snprintf(pat, sizeof pat, "\\b(%s|%s)\\s+\\d{2,}\\b",
			    kw[0], kw[1]);
			c[i].rule = smartbot_compile(m, kws, 3, m == SB_REGEX ?
			    pat : NULL, 1, 0.8, err, sizeof err, &off);
			if (c[i].rule == NULL) {
				fprintf(stderr, "rule %zu: %s\n", i, err);
				return 1;
			}
			c[i].enabled = 1;
			c[i].this_instance = 1;
		}
		iters = n >= 1000 ? 2000 : 200000;
		t0 = now_s();
		for (k = 0; k < iters; k++) {
			const char *s = texts[k % NTEXTS];

			if (smartbot_text(&t, s, strlen(s)) == -1)
				return 1;
			answered += smartbot_decide(c, n, &t, &when, 0) >= 0;
			smartbot_text_free(&t);
		}
		secs = now_s() - t0;
		printf("{\"rules\": %zu, \"messages\": %zu, \"us_per_message\": "
		    "%.2f, \"answered\": %d}\n", n, iters, secs / (double)iters *
		    1e6, answered);
		for (i = 0; i < n; i++)
			smartbot_free((struct sb_rule *)c[i].rule);
		free(c);
	}
	return 0;
}
