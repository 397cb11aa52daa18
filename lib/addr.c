#include "addr.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
addr_parse(const char *spec, struct addr *a, char *err, size_t errlen)
{
	struct in_addr	 in4;
	struct in6_addr	 in6;
	const char	*colon, *host;
	size_t		 hostlen;
	char		*end;
	long		 port;

	memset(a, 0, sizeof *a);
	if (strchr(spec, '/') != NULL) {
		if (strlen(spec) >= sizeof a->host) {
			snprintf(err, errlen, "unix socket path longer than "
			    "%zu bytes", sizeof a->host - 1);
			return -1;
		}
		a->is_unix = 1;
		snprintf(a->host, sizeof a->host, "%s", spec);
		return 0;
	}

	if ((colon = strrchr(spec, ':')) == NULL) {
		snprintf(err, errlen, "expected a socket path or host:port, "
		    "got \"%s\"", spec);
		return -1;
	}
	host = spec;
	hostlen = (size_t)(colon - spec);
	if (hostlen >= 2 && host[0] == '[' && host[hostlen - 1] == ']') {
		host++;
		hostlen -= 2;
	} else if (memchr(host, ':', hostlen) != NULL) {
		snprintf(err, errlen, "write an IPv6 address in brackets: "
		    "[::1]:port");
		return -1;
	}
	if (hostlen >= sizeof a->host) {
		snprintf(err, errlen, "host name too long");
		return -1;
	}
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || port < 1 ||
	    port > 65535) {
		snprintf(err, errlen, "bad port in \"%s\"", spec);
		return -1;
	}
	memcpy(a->host, host, hostlen);
	a->port = (int)port;

	/*
	 * Only IP literals: lws 4.1 would also take an interface name, and
	 * binds an IPv4 address on every interface unless IPv6 is off.
	 */
	if (strcmp(a->host, "localhost") == 0)
		snprintf(a->host, sizeof a->host, "127.0.0.1");
	if (a->host[0] == '\0' || inet_pton(AF_INET, a->host, &in4) == 1)
		return 0;
	if (inet_pton(AF_INET6, a->host, &in6) == 1) {
		a->is_ipv6 = 1;
		return 0;
	}
	snprintf(err, errlen, "\"%s\" is not an IP address", a->host);
	return -1;
}

void
addr_format(const struct addr *a, char *out, size_t outlen)
{
	if (a->is_unix)
		snprintf(out, outlen, "unix:%s", a->host);
	else if (a->is_ipv6)
		snprintf(out, outlen, "[%s]:%d", a->host, a->port);
	else
		snprintf(out, outlen, "%s:%d", a->host[0] ? a->host : "*",
		    a->port);
}

int
addr_reclaim(const struct addr *a, char *err, size_t errlen)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd, rc = -1;

	if (!a->is_unix)
		return 0;
	if (lstat(a->host, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", a->host, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", a->host);
		return -1;
	}

	/* Non-blocking, so a live listener with a full backlog is not a hang. */
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, a->host, strlen(a->host));
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0 ||
	    errno == EAGAIN || errno == EINPROGRESS) {
		snprintf(err, errlen, "another process is listening on %s",
		    a->host);
		goto out;
	}
	if (errno != ECONNREFUSED) {
		snprintf(err, errlen, "%s: %s", a->host, strerror(errno));
		goto out;
	}
	if (unlink(a->host) == -1 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove stale %s: %s", a->host,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

void
addr_claim(struct addr *a)
{
	struct stat	st;

	if (a->is_unix && lstat(a->host, &st) == 0 && S_ISSOCK(st.st_mode)) {
		a->dev = st.st_dev;
		a->ino = st.st_ino;
	}
}

void
addr_release(struct addr *a)
{
	struct stat	st;

	/* A successor may already have bound the path: leave its file alone. */
	if (a->is_unix && a->ino != 0 && lstat(a->host, &st) == 0 &&
	    st.st_dev == a->dev && st.st_ino == a->ino)
		(void)unlink(a->host);
	a->ino = 0;
}
