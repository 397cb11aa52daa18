/*
 * libFuzzer target: SmartBot rules (lib/smartbot.h) against what people
 * type. The first byte picks the match, the folding and the threshold;
 * the rest is "keyword-or-pattern NUL text". A compiled rule must match
 * within the text (its span inside it) and within its limits, however
 * the text or the pattern is made.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smartbot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double thresholds[] = { 0.5, 0.8, 1.0, 0.01 };
	const char	*kw, *text;
	char		*buf, err[256];
	struct sb_rule	*r;
	struct sb_text	 t;
	struct sb_hit	 hit;
	enum sb_match	 m;
	size_t		 klen;
	long		 off;
	int		 rc;

	if (size < 2)
		return 0;
	m = (enum sb_match)((data[0] & 7) % SB_FALLBACK);
	buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	kw = buf;
	klen = strlen(kw);
	text = klen + 1 < size - 1 ? buf + klen + 1 : "";
	r = smartbot_compile(m, &kw, 1, m == SB_REGEX ? kw : NULL,
	    (data[0] >> 3) & 1, thresholds[(data[0] >> 4) & 3], err,
	    sizeof err, &off);
	if (r == NULL) {
		if (m == SB_REGEX && off > (long)klen)
			abort();	/* the offset is in the pattern */
		free(buf);
		return 0;
	}
	if (smartbot_text(&t, text, strlen(text)) == 0) {
		rc = smartbot_match(r, &t, &hit);
		if (rc == 1 && hit.off + hit.len > (hit.folded ? t.foldedlen :
		    t.rawlen))
			abort();
		if (rc == 1 && m == SB_FUZZY && !(hit.score > 0 &&
		    hit.score <= 1))
			abort();
		smartbot_text_free(&t);
	}
	smartbot_free(r);
	free(buf);
	return 0;
}
