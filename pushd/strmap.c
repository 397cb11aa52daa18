#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define STRMAP_MIN	64

struct strmap_entry {
	struct strmap_entry	*next;
	void			*value;
	char			 key[];
};

/* FNV-1a */
static size_t
strmap_hash(const char *key)
{
	size_t	h = 14695981039346656037ULL;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return h;
}

void
strmap_init(struct strmap *m)
{
	m->nbuckets = STRMAP_MIN;
	m->buckets = xcalloc(m->nbuckets, sizeof *m->buckets);
	m->count = 0;
}

void
strmap_clear(struct strmap *m)
{
	struct strmap_entry	*e, *next;
	size_t			 i;

	for (i = 0; i < m->nbuckets; i++) {
		for (e = m->buckets[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(m->buckets);
	m->buckets = NULL;
	m->nbuckets = m->count = 0;
}

static struct strmap_entry **
strmap_find(const struct strmap *m, const char *key)
{
	struct strmap_entry	**ep;

	ep = &m->buckets[strmap_hash(key) & (m->nbuckets - 1)];
	for (; *ep != NULL; ep = &(*ep)->next) {
		if (strcmp((*ep)->key, key) == 0)
			break;
	}
	return ep;
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_entry	*e = *strmap_find(m, key);

	return e != NULL ? e->value : NULL;
}

static void
strmap_grow(struct strmap *m)
{
	struct strmap_entry	**old = m->buckets, *e, *next;
	size_t			  i, n = m->nbuckets, b;

	m->nbuckets = n * 2;
	m->buckets = xcalloc(m->nbuckets, sizeof *m->buckets);
	for (i = 0; i < n; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->next;
			b = strmap_hash(e->key) & (m->nbuckets - 1);
			e->next = m->buckets[b];
			m->buckets[b] = e;
		}
	}
	free(old);
}

void *
strmap_put(struct strmap *m, const char *key, void *value)
{
	struct strmap_entry	**ep = strmap_find(m, key), *e;
	size_t			  len = strlen(key);
	void			 *old;

	if (*ep != NULL) {
		old = (*ep)->value;
		(*ep)->value = value;
		return old;
	}
	e = xmalloc(sizeof *e + len + 1);
	memcpy(e->key, key, len + 1);
	e->value = value;
	e->next = NULL;
	*ep = e;
	if (++m->count > m->nbuckets)
		strmap_grow(m);
	return NULL;
}

void *
strmap_del(struct strmap *m, const char *key)
{
	struct strmap_entry	**ep = strmap_find(m, key), *e = *ep;
	void			 *v;

	if (e == NULL)
		return NULL;
	*ep = e->next;
	v = e->value;
	free(e);
	m->count--;
	return v;
}

void
strmap_each(const struct strmap *m, void (*fn)(const char *, void *, void *),
    void *arg)
{
	struct strmap_entry	*e;
	size_t			 i;

	for (i = 0; i < m->nbuckets; i++) {
		for (e = m->buckets[i]; e != NULL; e = e->next)
			fn(e->key, e->value, arg);
	}
}
