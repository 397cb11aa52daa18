#include "provider_spec.h"

#include <string.h>

static const struct provider_spec *const specs[] = {
	&provider_spec_sandbox, &provider_spec_cloud,
};

const char *const provider_names[] = { "sandbox", "cloud", NULL };

const struct provider_spec *
provider_spec_find(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		if (strcmp(specs[i]->name, name) == 0)
			return specs[i];
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
