#include "template.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xmalloc.h"

struct template_name {
	const char	*name;
	size_t		 len;
};

static int
template_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/*
 * When p starts a placeholder, its name into *name and *len and the
 * placeholder's length ("{{ x }}" is 7); otherwise 0.
 */
static size_t
template_placeholder(const char *p, const char **name, size_t *len)
{
	size_t	i = 2, start;

	if (p[0] != '{' || p[1] != '{')
		return 0;
	while (p[i] == ' ')
		i++;
	start = i;
	while (template_name_char((unsigned char)p[i]) &&
	    i - start < TEMPLATE_NAME_MAX + 1)
		i++;
	if (i == start || i - start > TEMPLATE_NAME_MAX)
		return 0;
	*name = p + start;
	*len = i - start;
	while (p[i] == ' ')
		i++;
	if (p[i] != '}' || p[i + 1] != '}')
		return 0;
	return i + 2;
}

char *
template_render(const char *tpl, template_lookup *lookup, void *arg,
    size_t out_max, char *missing, size_t missing_len)
{
	struct strbuf	 out = STRBUF_INIT;
	const char	*p = tpl, *name, *value, *lit;
	size_t		 n, len, vlen;
	char		*s = NULL;

	if (missing != NULL && missing_len > 0)
		missing[0] = '\0';
	while (*p != '\0') {
		if ((n = template_placeholder(p, &name, &len)) == 0) {
			/* literal text up to the next '{' that may start one */
			lit = strchr(p + 1, '{');
			vlen = lit != NULL ? (size_t)(lit - p) : strlen(p);
			value = p;
			p += vlen;
		} else {
			if ((value = lookup(arg, name, len)) == NULL) {
				if (missing != NULL && missing_len > 0) {
					len = len < missing_len - 1 ?
					    len : missing_len - 1;
					memcpy(missing, name, len);
					missing[len] = '\0';
				}
				goto out;
			}
			vlen = strlen(value);
			p += n;
		}
		if (vlen > out_max - out.len)
			goto out;	/* too long: missing stays "" */
		strbuf_add(&out, value, vlen);
	}
	s = strbuf_detach(&out);
out:
	strbuf_free(&out);
	return s;
}

int
template_names(const char *tpl,
    void (*cb)(void *arg, const char *name, size_t len), void *arg)
{
	struct template_name	*seen = NULL;
	const char		*p, *name;
	size_t			 n, len, nseen = 0, cap = 0, i;

	for (p = tpl; *p != '\0'; p += n) {
		if ((n = template_placeholder(p, &name, &len)) == 0) {
			n = 1;
			continue;
		}
		for (i = 0; i < nseen; i++) {
			if (seen[i].len == len &&
			    memcmp(seen[i].name, name, len) == 0)
				break;
		}
		if (i < nseen)
			continue;
		if (nseen == INT_MAX)
			break;
		if (nseen == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			seen = xreallocarray(seen, cap, sizeof *seen);
		}
		seen[nseen].name = name;
		seen[nseen++].len = len;
		if (cb != NULL)
			cb(arg, name, len);
	}
	free(seen);
	return (int)nseen;
}
