"""Contention: while a lock is held on messages, a send that gives up
waiting is 503 service_unavailable with Retry-After (never 500), the engine
backs off from PostgreSQL instead of waiting once per statement, reports its
loop lag in the heartbeat, and once the lock goes everything accepted is
sent. (How long the loop stalls is measured by bench/engine-stall.py.)"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Events, Stack, Tap, pg_bindir, signup, wait_for  # noqa: E402

t = Tap()
s = Stack(t, WAQTOR_DB_LOCK_TIMEOUT_MS=300, WAQTOR_HEARTBEAT_MS=200, WAQTOR_RATE_FREE=10 ** 6)
v = {}


def status(mid):
    return v["api"].get("/api/v1/messages/" + mid).json().get("status")


def send(text):
    return v["api"].post("/api/v1/messages/send-text", {"instanceId": v["inst"], "to": "+966501234567",
                                                        "text": text})


@t.case("a tenant with a ready sandbox instance")
def _():
    s.up()
    owner, _ = signup(s, "lock@contention.test", tenant="Contention")
    v["api"] = api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "k"}).json()["key"], origin=False)
    v["inst"] = inst = api.post("/api/v1/instances", {"name": "sb", "provider": "sandbox"}).json()["id"]
    state = lambda: api.get("/api/v1/instances/%s/state" % inst).json().get("status")  # noqa: E731
    t.ok(wait_for(lambda: state() == "qr", 10), "it shows a pairing code")
    api.post("/api/v1/instances/%s/sandbox/pair" % inst)
    t.ok(wait_for(lambda: state() == "ready", 10), "it is ready")


@t.case("a lock held on messages")
def _():
    ev = Events(s, "waqtor:system:system")
    before = [send("before %d" % i).json()["messageId"] for i in range(5)]
    psql = os.path.join(pg_bindir(s.path("pg", "data")), "psql")
    holder = subprocess.Popen([psql, "-X", "-q", "-tA", "-h", s.path("pg", "sock"), "-U", "waqtor", "-d", "waqtor"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    holder.stdin.write("BEGIN;\nLOCK TABLE messages IN ACCESS EXCLUSIVE MODE;\nSELECT 'locked';\n")
    holder.stdin.flush()
    t.eq(holder.stdout.readline().strip(), "locked", "the lock is held")
    r = send("during")
    t.eq((r.status, r.json()["error"]["code"], r.header("Retry-After")), (503, "service_unavailable", "1"),
         "a send that gives up waiting for the lock is 503 with Retry-After, not 500")
    log = s.path("log", "waqtor-engine.log")
    t.ok(wait_for(lambda: "postgres: busy: the engine waits" in open(log).read(), 10),
         "the engine backs off from PostgreSQL after a lock timeout")
    holder.stdin.write("COMMIT;\n")
    holder.stdin.close()
    holder.wait(timeout=10)
    t.ok(wait_for(lambda: all(status(m) in ("sent", "delivered", "read") for m in before), 20),
         "after the lock, every message accepted before it is sent", [status(m) for m in before])
    r = send("after")
    t.eq(r.status, 202, "and sends are accepted again")
    t.ok(wait_for(lambda: status(r.json()["messageId"]) in ("sent", "delivered", "read"), 20), "and sent")
    lags = [e["data"].get("loopLagMaxMs") for e in ev.of("engine.heartbeat")]
    t.ok(lags and all(isinstance(x, int) and x >= 0 for x in lags), "the heartbeat reports the loop's lag", lags)
    ev.close()


t.run(lambda: s.logs())
s.destroy()
t.done()
