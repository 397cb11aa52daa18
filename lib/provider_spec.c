#include "provider_spec.h"

#include <string.h>

/* every provider, once: each has provider_spec_<name> */
#define PROVIDERS(X)	X(sandbox) X(cloud)
#define SPEC(name)	&provider_spec_##name,
#define NAME(name)	#name,

const struct provider_spec *const provider_specs[] = { PROVIDERS(SPEC) NULL };
const char *const provider_names[] = { PROVIDERS(NAME) NULL };

const struct provider_spec *
provider_spec_find(const char *name)
{
	const struct provider_spec *const *p;

	for (p = provider_specs; *p != NULL; p++) {
		if (strcmp((*p)->name, name) == 0)
			return *p;
	}
	return NULL;
}

const struct provider_field *
provider_spec_field(const struct provider_spec *p, const char *name)
{
	size_t	i;

	for (i = 0; i < p->nconfig; i++) {
		if (strcmp(p->config[i].name, name) == 0)
			return &p->config[i];
	}
	return NULL;
}

int
provider_is_simulated(const char *name)
{
	const struct provider_spec *p = provider_spec_find(name);

	return p != NULL && (p->flags & PROVIDER_SIMULATED);
}

int
provider_spec_is_secret(const struct provider_spec *p, const char *field)
{
	const struct provider_field *f = provider_spec_field(p, field);

	return f != NULL && f->secret;
}
