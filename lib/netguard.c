#include "netguard.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An address as 16 bytes, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d). */
static int
ng_parse(const char *s, unsigned char a[16])
{
	struct in_addr	v4;

	if (inet_pton(AF_INET, s, &v4) == 1) {
		memset(a, 0, 10);
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &v4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, s, a) == 1 ? 0 : -1;
}

/* Whether a is in net/bits (both 16 bytes; bits of the 128). */
static int
ng_in(const unsigned char a[16], const unsigned char net[16], int bits)
{
	int	full = bits / 8, rest = bits % 8;

	if (memcmp(a, net, (size_t)full) != 0)
		return 0;
	return rest == 0 || ((a[full] ^ net[full]) & (0xff << (8 - rest))) == 0;
}

/* "addr/bits" (bits optional) into net and bits; -1 when not a CIDR. */
static int
ng_cidr(const char *s, size_t len, unsigned char net[16], int *bits)
{
	char	buf[64], *slash, *end;
	long	b;
	int	v4;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	v4 = strchr(buf, ':') == NULL;
	if (ng_parse(buf, net) == -1)
		return -1;
	b = v4 ? 32 : 128;
	if (slash != NULL) {
		b = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || b < 0 || b > (v4 ? 32 :
		    128))
			return -1;
	}
	*bits = (int)(v4 ? b + 96 : b);
	return 0;
}

/* The ranges that are not the public internet (RFC 6890 and friends). */
static const char *const ng_private[] = {
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
	"169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
	"192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
	"::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
	"2001::/23", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10",
	"ff00::/8",
};

static int
ng_listed(const unsigned char a[16], const char *list)
{
	unsigned char	net[16];
	const char	*p = list, *comma;
	int		bits;

	while (*p != '\0') {
		comma = strchr(p, ',');
		if (ng_cidr(p, comma != NULL ? (size_t)(comma - p) : strlen(p),
		    net, &bits) == 0 && ng_in(a, net, bits))
			return 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

int
netguard_allowed(const char *s, const char *allow)
{
	unsigned char	a[16], net[16];
	size_t		i;
	int		bits;

	if (ng_parse(s, a) == -1)
		return -1;
	if (allow != NULL && ng_listed(a, allow))
		return 1;
	for (i = 0; i < sizeof ng_private / sizeof ng_private[0]; i++) {
		if (ng_cidr(ng_private[i], strlen(ng_private[i]), net,
		    &bits) == 0 && ng_in(a, net, bits))
			return 0;
	}
	return 1;
}

int
netguard_cidrs_valid(const char *allow)
{
	unsigned char	net[16];
	const char	*p = allow, *comma;
	int		bits;

	while (*p != '\0') {
		comma = strchr(p, ',');
		if (ng_cidr(p, comma != NULL ? (size_t)(comma - p) : strlen(p),
		    net, &bits) == -1)
			return 0;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 1;
}
