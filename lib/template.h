/*
 * Message templates: text with {{variable}} placeholders, as campaigns and
 * SmartBot replies use them. A name is 1 to 64 letters, digits, '_', '.'
 * or '-', with optional spaces inside the braces ({{ first_name }}).
 * Anything else between braces, or a "{{" never closed, is literal text.
 */
#ifndef WAQTOR_TEMPLATE_H
#define WAQTOR_TEMPLATE_H

#include <stddef.h>

#define TEMPLATE_NAME_MAX	64

/* The value of variable name[0..len), or NULL when it has none. */
typedef const char *template_lookup(void *arg, const char *name, size_t len);

/*
 * Renders tpl into a new string (free it), or NULL when a placeholder has
 * no value: its name is then copied into missing (NUL-terminated, at most
 * missing_len bytes). out_max bounds the result's length in bytes: over
 * it, NULL with missing set to "" (the caller says "too long").
 */
char *template_render(const char *tpl, template_lookup *, void *arg,
    size_t out_max, char *missing, size_t missing_len);
/* Calls cb once for each distinct placeholder name in tpl, in order of
 * first appearance; returns how many there are. */
int template_names(const char *tpl,
    void (*cb)(void *arg, const char *name, size_t len), void *arg);

#endif
