"""Faults: a worker killed with -9 is replaced; health follows Redis and
PostgreSQL going down and coming back, with no worker crash; the daemons
survive both restarts; SIGTERM drains an in-flight request."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import (FCGI_STDIN, Stack, Tap, fcgi_begin, fcgi_read_stdout,  # noqa: E402
                     fcgi_record, wait_for)

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
    p = subprocess.Popen(["redis-cli", "-s", s.path("run", "redis.sock"), "subscribe",
                          "waqtor:system:system"], stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = p.stdout.readline()
            if '"type":"engine.heartbeat"' in line:
                return True
        return False
    finally:
        p.kill()
        p.wait()


def pushd_health():
    return s.unix_get(s.path("run", "pushd.sock"), "/healthz").json()


try:
    s.up()
    master = s.pid("waqtor-api")
    workers = s.children(master)
    t.eq(len(workers), 2, "the master runs WAQTOR_API_WORKERS workers")

    # --- kill -9 of a worker --------------------------------------------
    os.kill(workers[0], signal.SIGKILL)
    codes = [s.get("/api/v1/health").status for _ in range(40)]
    t.eq(set(codes), {200}, "requests keep succeeding while a worker is replaced")
    new = wait_for(lambda: len(s.children(master)) == 2 and s.children(master), 10)
    t.ok(new and workers[0] not in new and workers[1] in new, "the dead worker is replaced", new)
    t.eq(s.pid("waqtor-api"), master, "the master survives")
    workers = s.children(master)

    # --- Redis down and back ---------------------------------------------
    redis_pid = s.pid("redis")
    os.kill(redis_pid, signal.SIGKILL)
    t.ok(wait_for(health_is(503, status="unavailable", redis="down", postgres="ok")),
         "health is 503 naming redis while Redis is down", s.health() and s.health().body)
    r = s.get("/api/v1/health")
    t.eq(r.header("Content-Type"), "application/json", "the 503 is JSON")
    s.up()
    t.ok(wait_for(health_is(200, status="ok")), "health is 200 again when Redis returns")
    t.eq(s.children(master), workers, "no worker crashed during the Redis outage")
    t.ok(heartbeat_seen(), "the engine publishes again after the Redis restart")
    t.ok(wait_for(lambda: pushd_health().get("redis") == "ok", 15),
         "pushd resubscribes after the Redis restart")

    # --- PostgreSQL down and back ----------------------------------------
    pgdata = s.path("pg", "data")
    subprocess.run(s.as_service() + ["pg_ctl", "-D", pgdata, "-m", "immediate", "stop"],
                   check=True, stdout=subprocess.DEVNULL)
    t.ok(wait_for(health_is(503, status="unavailable", postgres="down", redis="ok")),
         "health is 503 naming postgres while PostgreSQL is down")
    s.up()
    t.ok(wait_for(health_is(200, status="ok")), "health is 200 again when PostgreSQL returns")
    t.eq(s.children(master), workers, "no worker crashed during the PostgreSQL outage")
    t.ok(heartbeat_seen(), "the engine heartbeat goes on after the PostgreSQL restart")
    for name in ("waqtor-engine", "waqtor-pushd", "waqtor-api"):
        t.ok(s.pid(name), "%s survived both restarts" % name)

    # --- SIGTERM drains an in-flight request -----------------------------
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(20)
    sock.connect(s.path("run", "api.sock"))
    sock.sendall(fcgi_begin({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/health",
                             "CONTENT_LENGTH": "10", "CONTENT_TYPE": "application/json"}))
    sock.sendall(fcgi_record(FCGI_STDIN, b"{\"a\":"))  # the worker now waits for the rest
    time.sleep(0.5)
    os.kill(master, signal.SIGTERM)
    time.sleep(0.5)
    t.ok(s.pid("waqtor-api") == master, "the master waits for the request in flight")
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
    logs = open(s.path("log", "waqtor-api.log")).read()
    t.ok("stopping: draining" in logs and "level=info proc=api" in logs and "stopped" in logs,
         "shutdown is logged", logs[-800:])
    t.ok(not os.path.exists(s.path("run", "api.sock")), "the socket is removed")
except Exception as e:
    t.ok(False, "unexpected error", "%r\n%s" % (e, s.logs()))
finally:
    s.destroy()
t.done()
