/* Endpoint handlers, grouped by resource (h_<resource>.c). */
#ifndef WAQTOR_HANDLERS_H
#define WAQTOR_HANDLERS_H

#include "http.h"

/* h_system.c */
void h_health(struct req *r);
void h_version(struct req *r);

#endif
