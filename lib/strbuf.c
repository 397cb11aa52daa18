#include "strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* Room for n more bytes and the NUL; grows by doubling. */
static void
strbuf_grow(struct strbuf *sb, size_t n)
{
	size_t	need, cap;

	if (n > SIZE_MAX - sb->len - 1)
		fatal("strbuf: %zu + %zu bytes overflow", sb->len, n);
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return;
	cap = sb->cap < 64 ? 64 : sb->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	sb->data = xreallocarray(sb->data, cap, 1);
	sb->cap = cap;
}

void
strbuf_add(struct strbuf *sb, const char *data, size_t len)
{
	strbuf_grow(sb, len);
	if (len > 0)
		memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
}

void
strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	strbuf_grow(sb, 0);
	va_start(ap, fmt);
	n = vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("strbuf: bad format \"%s\"", fmt);
	if ((size_t)n >= sb->cap - sb->len) {
		strbuf_grow(sb, (size_t)n);
		va_start(ap, fmt);
		n = vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
		if (n < 0 || (size_t)n >= sb->cap - sb->len)
			fatal("strbuf: format \"%s\" changed length", fmt);
	}
	sb->len += (size_t)n;
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->data != NULL)
		sb->data[0] = '\0';
}

char *
strbuf_detach(struct strbuf *sb)
{
	char	*s = sb->data;

	if (s == NULL)
		s = xstrdup("");
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void
strbuf_free(struct strbuf *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
}
