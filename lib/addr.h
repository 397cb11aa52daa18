/*
 * A daemon's listen address (WAQTOR_PUSHD_SOCKET, WAQTOR_METRICS). A value
 * containing a '/' is a unix socket path; anything else is "host:port",
 * ":port" (every interface) or "[v6-address]:port"; the host is an IP
 * address ("localhost" stands for 127.0.0.1).
 *
 * For unix sockets the daemon owns the socket file: addr_reclaim() removes a
 * stale one left by a crash (but refuses a live one), addr_claim() notes the
 * file it bound and addr_release() removes that file, and only that file.
 */
#ifndef WAQTOR_ADDR_H
#define WAQTOR_ADDR_H

#include <stddef.h>
#include <sys/types.h>

#define ADDR_HOST_MAX	108	/* sizeof sun_path on Linux, with the NUL */

struct addr {
	int	 is_unix;
	int	 is_ipv6;		/* host is an IPv6 address */
	char	 host[ADDR_HOST_MAX];	/* the socket path, or "" for any */
	int	 port;			/* 0 for a unix socket */
	dev_t	 dev;			/* the socket file we bound, if any */
	ino_t	 ino;
};

/* Parses spec into a; -1 with a reason in err when it is not an address. */
int addr_parse(const char *spec, struct addr *a, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* "unix:<path>" or "host:port", for log lines. */
void addr_format(const struct addr *a, char *out, size_t outlen);
/*
 * Before binding a unix socket: removes the file when nobody listens on it.
 * -1 with a reason when another process listens there or the path is not a
 * socket. Does nothing for TCP.
 */
int addr_reclaim(const struct addr *a, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* After binding: remembers which socket file is ours. */
void addr_claim(struct addr *a);
/* Removes the socket file if it is still the one addr_claim() saw. */
void addr_release(struct addr *a);

#endif
