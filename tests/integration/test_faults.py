"""Faults: a worker killed with -9 is replaced; health follows Redis and
PostgreSQL going down and coming back, with no worker crash; the daemons
survive both restarts; SIGTERM drains an in-flight request."""
import json
import os
import signal
import socket
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import (FCGI_STDIN, Events, Stack, Tap, fcgi_begin, fcgi_read_stdout,  # noqa: E402
                     fcgi_record, holds, wait_for)

t = Tap()
s = Stack(t)


def health_is(code, **fields):
    def probe():
        r = s.health()
        return r is not None and r.status == code and \
            all(r.json().get(k) == v for k, v in fields.items())
    return probe


def heartbeat_seen(timeout=10):
    """True when an engine heartbeat reaches a Redis subscriber."""
    ev = Events(s, "waqtor:system:system")
    try:
        return bool(wait_for(lambda: ev.of("engine.heartbeat"), timeout))
    finally:
        ev.close()


def pushd_health():
    return s.unix_get(s.path("run", "pushd.sock"), "/healthz").json()


def redis_run_id():
    """Redis's run_id: a new one on every start of the server."""
    for line in s.redis("INFO", "server").splitlines():
        if line.startswith("run_id:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError("no run_id in INFO server")


def sockets(pid):
    """The socket inodes a process has open (from /proc/<pid>/fd)."""
    out = set()
    d = "/proc/%d/fd" % pid
    for fd in os.listdir(d):
        try:
            link = os.readlink(os.path.join(d, fd))
        except OSError:
            continue  # closed meanwhile
        if link.startswith("socket:"):
            out.add(link)
    return out


@t.case("the stack and its API workers")
def start():
    global master, workers
    s.up()
    master = s.pid("waqtor-api")
    t.ok(master is not None, "the API master runs")
    workers = s.children(master)
    t.eq(len(workers), 2, "the master runs WAQTOR_API_WORKERS workers")


@t.case("kill -9 of a worker")
def kill_worker():
    global workers
    os.kill(workers[0], signal.SIGKILL)  # a worker is no daemon of Stack.kill; os.kill raises if it is gone
    codes = [s.get("/api/v1/health").status for _ in range(40)]
    t.eq(set(codes), {200}, "requests keep succeeding while a worker is replaced")
    new = wait_for(lambda: len(s.children(master)) == 2 and workers[0] not in s.children(master) and
                   s.children(master), 10)
    t.ok(new and workers[0] not in new and workers[1] in new, "the dead worker is replaced", new)
    t.eq(s.pid("waqtor-api"), master, "the master survives")
    workers = s.children(master)


@t.case("Redis down and back")
def redis_outage():
    before = (s.pid("redis"), redis_run_id())
    s.kill("redis")
    t.ok(wait_for(health_is(503, status="unavailable", redis="down", postgres="ok")),
         "health is 503 naming redis while Redis is down", s.health() and s.health().body)
    r = s.get("/api/v1/health")
    t.eq(r.header("Content-Type"), "application/json", "the 503 is JSON")
    s.up()
    after = (s.pid("redis"), redis_run_id())
    t.ok(after[0] is not None and after[0] != before[0] and after[1] != before[1],
         "Redis was restarted (another pid and run_id)", (before, after))
    t.ok(wait_for(health_is(200, status="ok")), "health is 200 again when Redis returns")
    t.eq(s.children(master), workers, "no worker crashed during the Redis outage")
    t.ok(heartbeat_seen(), "the engine publishes again after the Redis restart")
    t.ok(wait_for(lambda: pushd_health().get("redis") == "ok", 15),
         "pushd resubscribes after the Redis restart")


@t.case("PostgreSQL down and back")
def postgres_outage():
    started = s.pg_started_at()
    s.pg_ctl("-m", "immediate", "stop")
    t.ok(wait_for(health_is(503, status="unavailable", postgres="down", redis="ok")),
         "health is 503 naming postgres while PostgreSQL is down")
    s.up()
    t.ok(s.pg_started_at() != started, "PostgreSQL was restarted (another postmaster start time)")
    t.ok(wait_for(health_is(200, status="ok")), "health is 200 again when PostgreSQL returns")
    t.eq(s.children(master), workers, "no worker crashed during the PostgreSQL outage")
    t.ok(heartbeat_seen(), "the engine heartbeat goes on after the PostgreSQL restart")
    for name in ("waqtor-engine", "waqtor-pushd", "waqtor-api"):
        t.ok(s.pid(name), "%s survived both restarts" % name)


@t.case("SIGTERM drains an in-flight request")
def drain():
    before = {w: sockets(w) for w in workers}
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(20)
    sock.connect(s.path("run", "api.sock"))
    sock.sendall(fcgi_begin({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/health",
                             "CONTENT_LENGTH": "10", "CONTENT_TYPE": "application/json"}))
    sock.sendall(fcgi_record(FCGI_STDIN, b"{\"a\":"))  # the worker now waits for the rest
    # Accepted: a worker holds a socket it did not have before (the only one it
    # opens while idle); it then reads the body with SIGTERM blocked.
    busy = wait_for(lambda: [w for w in workers if sockets(w) - before[w]], 10, 0.01)
    t.ok(busy and len(busy) == 1, "a worker has accepted the request", busy)
    s.kill("waqtor-api", signal.SIGTERM)
    t.ok(wait_for(lambda: "stopping: draining" in open(s.path("log", "waqtor-api.log")).read(), 10),
         "the master logs that it drains")
    # The idle worker exits at once: every worker has had its SIGTERM.
    t.ok(wait_for(lambda: s.children(master) == busy, 10), "the idle worker exits",
         (s.children(master), busy))
    t.ok(holds(lambda: s.pid("waqtor-api") == master, 0.5), "the master waits for the request in flight")
    other = socket.socket(socket.AF_UNIX)
    try:
        other.connect(s.path("run", "api.sock"))
        other.sendall(fcgi_begin({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/health"}) +
                      fcgi_record(FCGI_STDIN, b""))
        other.settimeout(5)
        refused = fcgi_read_stdout(other) == b""
    except OSError:
        refused = True
    finally:
        other.close()
    t.ok(refused, "no new request is taken after SIGTERM")
    sock.sendall(fcgi_record(FCGI_STDIN, b"12345") + fcgi_record(FCGI_STDIN, b""))
    out = fcgi_read_stdout(sock).decode()
    sock.close()
    head, _, body = out.partition("\r\n\r\n")
    t.ok(head.startswith("Status: 200"), "the in-flight request completes", out)
    t.ok(json.loads(body)["status"] == "ok", "with its whole answer", out)
    t.ok(wait_for(lambda: s.pid("waqtor-api") is None, 15), "then the master exits")
    with open(s.path("log", "waqtor-api.log")) as f:
        logs = f.read()
    t.ok("stopping: draining" in logs and "level=info proc=api" in logs and "stopped" in logs,
         "shutdown is logged", logs[-800:])
    t.ok(not os.path.exists(s.path("run", "api.sock")), "the socket is removed")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
