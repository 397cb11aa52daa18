/* The sandbox's spec (lib/provider_spec.h): the simulated network's knobs,
 * and the messaging tier campaigns keep to (as the Cloud API's). */
#include "provider_spec.h"

static const struct provider_field config[] = {
	{ "autoPairSeconds", PF_INT, 0, 0, 3600, 0 },
	{ "deliveryLatencyMs", PF_INT, 0, 0, 600000, 0 },
	{ "readLatencyMs", PF_INT, 0, 0, 600000, 0 },
	{ "dailyRecipientCap", PF_INT, 0, 1, 10000000, 0 },
};
_Static_assert(sizeof config / sizeof config[0] <= PROVIDER_FIELDS_MAX,
    "more config fields than PROVIDER_FIELDS_MAX");

const struct provider_spec provider_spec_sandbox = {
	.name = "sandbox",
	.flags = PROVIDER_SIMULATED,
	.default_rate = 1000,
	.config = config,
	.nconfig = sizeof config / sizeof config[0],
};
