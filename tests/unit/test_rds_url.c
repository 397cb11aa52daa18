/* Redis URL parsing: TCP, unix sockets, credentials, database, errors. */
#include "rds.h"
#include "tap.h"

int
main(void)
{
	struct rds_addr	a;
	char		err[128];

	ok(rds_parse_url("redis://cache", &a, err, sizeof err) == 0 &&
	    a.port == 6379 && a.db == 0 && a.password[0] == '\0', "host only");
	is_str(a.host, "cache", "host");
	ok(rds_parse_url("redis://:p%40ss%20w@10.0.0.1:6380/3", &a, err,
	    sizeof err) == 0, "password, port and db");
	is_str(a.password, "p@ss w", "password percent-decoded");
	is_str(a.host, "10.0.0.1", "host after credentials");
	ok(a.port == 6380 && a.db == 3, "port and db");
	ok(rds_parse_url("redis://user:pw@h", &a, err, sizeof err) == 0, "user:pw");
	is_str(a.password, "pw", "the password part is used");
	ok(rds_parse_url("unix:///var/run/r.sock", &a, err, sizeof err) == 0 &&
	    a.port == 0, "unix socket");
	is_str(a.host, "/var/run/r.sock", "socket path");
	ok(rds_parse_url("unix://relative", &a, err, sizeof err) == -1,
	    "relative socket path refused");
	ok(rds_parse_url("http://h", &a, err, sizeof err) == -1, "other scheme");
	ok(rds_parse_url("redis://h:0", &a, err, sizeof err) == -1, "port 0");
	ok(rds_parse_url("redis://h:99999", &a, err, sizeof err) == -1, "port too big");
	ok(rds_parse_url("redis://h:12x", &a, err, sizeof err) == -1, "port not a number");
	ok(rds_parse_url("redis://h/x", &a, err, sizeof err) == -1, "db not a number");
	ok(rds_parse_url("redis://:%zz@h", &a, err, sizeof err) == -1, "bad escape");
	ok(rds_parse_url("redis://:%0@h", &a, err, sizeof err) == -1, "cut escape");
	ok(rds_parse_url("redis://:%00@h", &a, err, sizeof err) == -1, "NUL escape");
	ok(rds_parse_url("redis://", &a, err, sizeof err) == -1, "no host");
	return tap_done();
}
