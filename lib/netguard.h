/*
 * Where webhooks may go: an address in a non-public range (loopback,
 * private, carrier-grade NAT, link-local (169.254.169.254 included),
 * multicast, unique-local, unspecified, documentation and reserved ones,
 * and each of those as an IPv4-mapped IPv6 address) is refused unless it
 * is in the operator's WAQTOR_WEBHOOK_ALLOW_CIDRS. The API checks literal
 * addresses when an endpoint is saved; the engine checks the address it
 * actually connects to, so DNS rebinding cannot get around it.
 */
#ifndef WAQTOR_NETGUARD_H
#define WAQTOR_NETGUARD_H

#include <stddef.h>

/* 1 when the numeric address s (IPv4 or IPv6) may be connected to under
 * allow (a comma-separated CIDR list, "" for none); 0 when refused; -1
 * when s is not an address. */
int	netguard_allowed(const char *s, const char *allow);
/* 1 when allow is a valid comma-separated list of CIDRs (or ""). */
int	netguard_cidrs_valid(const char *allow);

#endif
