#include "router.h"

#include <stdio.h>
#include <string.h>

/*
 * Matches one pattern against path, filling m's parameters. Both start with
 * '/'; a trailing '/' on the path is not accepted (one canonical URL).
 * 0 when it does not match, else how specific the match is: a bit for each
 * literal segment, the leftmost weighing most, so that /messages/send-text
 * wins over /messages/{id} (as in most routers).
 */
static unsigned
route_match_pattern(const char *pattern, const char *path,
    struct route_match *m)
{
	const char	*p = pattern, *s = path;
	unsigned	 score = 1u << 31, bit = 1u << 30;

	m->nparams = 0;
	while (*p != '\0' && *s != '\0') {
		if (*p == '/' && bit > 1) {
			bit >>= 1;
			if (p[1] != '{')
				score |= bit;
		}
		if (*p == '{') {
			const char	*close = strchr(p, '}');
			size_t		 len = strcspn(s, "/");

			if (close == NULL || len == 0 || len >= ROUTE_PARAM_LEN ||
			    m->nparams == ROUTE_PARAMS_MAX)
				return 0;
			m->params[m->nparams].name = p + 1;
			m->params[m->nparams].namelen = (size_t)(close - p - 1);
			memcpy(m->params[m->nparams].value, s, len);
			m->params[m->nparams].value[len] = '\0';
			m->nparams++;
			p = close + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0' ? score : 0;
}

enum route_result
route_find(const struct route *table, size_t n, const char *method,
    const char *path, struct route_match *m, char *allow, size_t allowlen)
{
	struct route_match	 tmp;
	size_t			 i, used = 0;
	unsigned		 best = 0, score;
	int			 found = 0;

	if (allowlen > 0)
		allow[0] = '\0';
	/* the path is the resource of its most specific patterns alone: a
	 * more specific match starts the answer (and Allow) afresh */
	for (i = 0; i < n; i++) {
		if ((score = route_match_pattern(table[i].pattern, path,
		    &tmp)) == 0 || score < best)
			continue;
		if (score > best) {
			best = score;
			found = 0;
			used = 0;
			if (allowlen > 0)
				allow[0] = '\0';
		}
		if (found)
			continue;
		/* HEAD is served wherever GET is (RFC 9110 9.3.2); nginx
		 * sends the headers only */
		if (strcmp(table[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 &&
		    strcmp(table[i].method, "GET") == 0)) {
			*m = tmp;
			m->route = &table[i];
			found = 1;
			continue;
		}
		if (allowlen > used) {
			int w = snprintf(allow + used, allowlen - used, "%s%s%s",
			    used > 0 ? ", " : "", table[i].method,
			    strcmp(table[i].method, "GET") == 0 ? ", HEAD" : "");

			if (w > 0)
				used += (size_t)w;
		}
	}
	if (found)
		return ROUTE_FOUND;
	return best > 0 ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}

const char *
route_param(const struct route_match *m, const char *name)
{
	int	i;

	for (i = 0; i < m->nparams; i++) {
		if (strlen(name) == m->params[i].namelen &&
		    strncmp(m->params[i].name, name, m->params[i].namelen) == 0)
			return m->params[i].value;
	}
	return NULL;
}
