/*
 * The Cloud API's spec (lib/provider_spec.h): a phone number id, the Graph
 * API token, the app secret that signs webhooks and the verify token of
 * the webhook handshake (the three secrets), the send rate (Meta's
 * default throughput is 80 messages per second), and the number's
 * messaging tier: campaigns reach at most dailyRecipientCap new numbers in
 * any 24 hours (Meta's tiers: 250, 1,000, 10,000, 100,000).
 */
#include "provider_spec.h"

static const struct provider_field config[] = {
	{ "phoneNumberId", PF_DIGITS, 1, 1, 32, 0 },
	{ "accessToken", PF_STRING, 1, 1, 1024, 1 },
	{ "appSecret", PF_STRING, 1, 1, 256, 1 },
	{ "verifyToken", PF_STRING, 1, 1, 256, 1 },
	{ "ratePerSecond", PF_INT, 0, 1, 1000, 0 },
	{ "dailyRecipientCap", PF_INT, 0, 1, 10000000, 0 },
};
_Static_assert(sizeof config / sizeof config[0] <= PROVIDER_FIELDS_MAX,
    "more config fields than PROVIDER_FIELDS_MAX");

const struct provider_spec provider_spec_cloud = {
	.name = "cloud",
	.flags = PROVIDER_META_WEBHOOK,
	.default_rate = 80,
	.config = config,
	.nconfig = sizeof config / sizeof config[0],
};
