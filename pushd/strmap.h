/*
 * A string-keyed hash map (chained, doubling): sessions by sid, tenants by
 * id, recovery records by pid. Keys are copied; values are the caller's.
 */
#ifndef WAQTOR_PUSHD_STRMAP_H
#define WAQTOR_PUSHD_STRMAP_H

#include <stddef.h>

struct strmap_entry;

struct strmap {
	struct strmap_entry	**buckets;
	size_t			  nbuckets;
	size_t			  count;
};

void strmap_init(struct strmap *m);
/* Frees the entries, not the values. */
void strmap_clear(struct strmap *m);
void *strmap_get(const struct strmap *m, const char *key);
/* Adds or replaces key; returns the value it replaced, or NULL. */
void *strmap_put(struct strmap *m, const char *key, void *value);
/* Removes key; returns its value, or NULL. */
void *strmap_del(struct strmap *m, const char *key);
/* Calls fn for every value; fn must not change the map. */
void strmap_each(const struct strmap *m, void (*fn)(const char *, void *,
    void *), void *arg);

#endif
