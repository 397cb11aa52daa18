/* netguard: which addresses webhooks may reach. */
#include "netguard.h"
#include "tap.h"

#include <stdio.h>

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

int
main(void)
{
	static const struct {
		const char	*addr, *allow;
		int		 want;
	} cases[] = {
		{ "93.184.216.34", "", 1 },		/* public */
		{ "8.8.8.8", "", 1 },
		{ "2606:4700::1111", "", 1 },
		{ "127.0.0.1", "", 0 },
		{ "127.1.2.3", "", 0 },
		{ "::1", "", 0 },
		{ "0.0.0.0", "", 0 },
		{ "::", "", 0 },
		{ "10.1.2.3", "", 0 },
		{ "172.16.0.1", "", 0 },
		{ "172.31.255.255", "", 0 },
		{ "172.32.0.1", "", 1 },		/* just outside */
		{ "192.168.1.1", "", 0 },
		{ "100.64.0.1", "", 0 },		/* carrier-grade NAT */
		{ "169.254.169.254", "", 0 },		/* cloud metadata */
		{ "224.0.0.1", "", 0 },			/* multicast */
		{ "255.255.255.255", "", 0 },
		{ "fe80::1", "", 0 },			/* link-local */
		{ "fd00::1", "", 0 },			/* unique-local */
		{ "ff02::1", "", 0 },			/* multicast */
		{ "::ffff:127.0.0.1", "", 0 },		/* IPv4-mapped */
		{ "::ffff:169.254.169.254", "", 0 },
		{ "::ffff:8.8.8.8", "", 1 },
		{ "64:ff9b::7f00:1", "", 0 },		/* NAT64 of 127.0.0.1 */
		{ "2002:7f00:1::", "", 0 },		/* 6to4 of 127.0.0.1 */
		{ "127.0.0.1", "127.0.0.1/32", 1 },	/* the operator allows */
		{ "127.0.0.2", "127.0.0.1/32", 0 },
		{ "10.9.8.7", "192.168.0.0/16,10.0.0.0/8", 1 },
		{ "::1", "::1/128", 1 },
		{ "::ffff:127.0.0.1", "127.0.0.0/8", 1 },
		{ "not an address", "", -1 },
		{ "127.0.0.1:80", "", -1 },
		{ "", "", -1 },
	};
	char	name[128];
	size_t	i;

	for (i = 0; i < nitems(cases); i++) {
		snprintf(name, sizeof name, "%s with allow \"%s\": %d",
		    cases[i].addr, cases[i].allow, cases[i].want);
		is_int(netguard_allowed(cases[i].addr, cases[i].allow),
		    cases[i].want, name);
	}
	ok(netguard_cidrs_valid("") && netguard_cidrs_valid("127.0.0.1/32") &&
	    netguard_cidrs_valid("10.0.0.0/8,::1/128,192.168.1.1"),
	    "CIDR lists");
	ok(!netguard_cidrs_valid("10.0.0.0/33") && !netguard_cidrs_valid(
	    "10.0.0.0/") && !netguard_cidrs_valid("x") &&
	    !netguard_cidrs_valid("10.0.0.0/8,,") &&
	    !netguard_cidrs_valid("::1/129"), "not CIDR lists");
	return tap_done();
}
