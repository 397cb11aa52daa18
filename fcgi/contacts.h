/*
 * What contacts, imports, opt-outs and campaigns share: phones normalised
 * with the tenant's default country code, and contact attributes (the
 * variables of message templates).
 */
#ifndef WAQTOR_CONTACTS_H
#define WAQTOR_CONTACTS_H

#include <json-c/json.h>

#include "http.h"
#include "phone.h"

#define CONTACT_ATTRS_MAX	50	/* keys per contact */
#define CONTACT_ATTR_VALUE_MAX	1000	/* characters of a string value */

/* The tenant's default country code into cc ("" when none); -1 answered. */
int contacts_default_cc(struct req *r, char cc[PHONE_CC_MAX + 1])
    __attribute__((warn_unused_result));
/* Normalises in (lib/phone.h) into out; -1 answered 400 naming field. */
int contacts_phone(struct req *r, const char *field, const char *in,
    const char *cc, char out[PHONE_LEN]) __attribute__((warn_unused_result));
/* NULL when attrs is a valid attributes object: at most CONTACT_ATTRS_MAX
 * keys named like template variables, each a string, number or boolean
 * (or null, when nulls is set: a merge patch removes those); else why. */
const char *contacts_attrs_invalid(struct json_object *attrs, int nulls);
/* The list the path's {id} names, when it is the tenant's, into id; -1
 * answered 404. */
int contacts_list_exists(struct req *r, const char **id)
    __attribute__((warn_unused_result));
/* 1 when name[0..len) may name an attribute (a template variable). */
int contacts_attr_name_ok(const char *name, size_t len);

#endif
