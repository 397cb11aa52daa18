/*
 * What the API and the engine both know of each WhatsApp provider, one
 * spec per provider in engine/providers/<name>_spec.c: its name, its config
 * fields (types, bounds, which are required and which are secrets, never
 * echoed back), its default send rate and what it offers. The engine's
 * struct provider (engine/engine.h) adds the code that speaks the
 * provider's wire format; an instance whose provider has no spec is
 * refused by the API and never started by the engine.
 */
#ifndef WAQTOR_PROVIDER_SPEC_H
#define WAQTOR_PROVIDER_SPEC_H

#include <stddef.h>

enum pfield_type {
	PF_INT,		/* min..max */
	PF_STRING,	/* min..max characters, no control characters */
	PF_DIGITS,	/* a string of min..max decimal digits */
};

struct provider_field {
	const char		*name;
	enum pfield_type	 type;
	int			 required;
	long			 min;
	long			 max;
	int			 secret;	/* write-only */
};

#define PROVIDER_SIMULATED	0x1	/* the sandbox's pair/inbound controls */
#define PROVIDER_META_WEBHOOK	0x2	/* Meta's signed webhooks reach
					   /api/v1/providers/<name>/{id}/webhook */

struct provider_spec {
	const char			*name;
	int				 flags;
	int				 default_rate;	/* messages per second */
	const struct provider_field	*config;
	size_t				 nconfig;
};

extern const struct provider_spec	provider_spec_sandbox;
extern const struct provider_spec	provider_spec_cloud;

/* Every provider's spec, and its name (the API's enum), NULL-terminated. */
extern const struct provider_spec *const	provider_specs[];
extern const char *const			provider_names[];

/* The most config fields a provider has. */
#define PROVIDER_FIELDS_MAX	16

/* The spec of the provider called name, or NULL. */
const struct provider_spec *provider_spec_find(const char *name);
/* The config field called name, or NULL. */
const struct provider_field *provider_spec_field(const struct provider_spec *,
    const char *name);
/* 1 when the provider called name is simulated (the API's "sandbox"). */
int provider_is_simulated(const char *name);
/* 1 when field is a secret of this provider. */
int provider_spec_is_secret(const struct provider_spec *, const char *field);

#endif
