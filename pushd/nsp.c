#include "nsp.h"

#include <string.h>

const struct nsp nsp_table[NSP__COUNT] = {
	[NSP_STATUS] =		{ "/status",	    "status",	     1, NULL, NULL,
				  NULL },
	[NSP_CAMPAIGNS] =	{ "/campaigns",	    "campaigns",     0,
				  "campaign.progress", "campaignId", NULL },
	[NSP_SMARTBOT] =	{ "/smartbot",	    "smartbot",	     0, NULL, NULL,
				  NULL },
	[NSP_NOTIFICATIONS] =	{ "/notifications", "notifications", 0, NULL, NULL,
				  "userId" },
};

int
nsp_find(const char *name)
{
	int	i;

	for (i = 0; i < NSP__COUNT; i++) {
		if (strcmp(nsp_table[i].name, name) == 0)
			return i;
	}
	return -1;
}

int
nsp_find_ns(const char *ns, size_t len)
{
	int	i;

	for (i = 0; i < NSP__COUNT; i++) {
		if (strlen(nsp_table[i].ns) == len &&
		    memcmp(nsp_table[i].ns, ns, len) == 0)
			return i;
	}
	return -1;
}
