#!/usr/bin/env python3
"""Engine event-loop stalls (issue 9): the engine calls PostgreSQL (libpq)
and Redis (hiredis) synchronously on its libuv loop, so a lock wait or a slow
Redis holds every timer (libcurl timeouts, lease renewal, pacing). Each call
is bounded: lock_timeout (WAQTOR_DB_LOCK_TIMEOUT_MS), statement_timeout
(WAQTOR_DB_STATEMENT_TIMEOUT_MS) and hiredis's 2 s command timeout. This
measures the worst stall the engine itself reports (loopLagMaxMs in
engine.heartbeat: how late its 20 ms dispatch timer fired) while messages
are being sent, with nothing in the way and with each obstacle held for 8 s:
a row lock on the instance (lease renewal), an exclusive lock on messages
(outbox claims), Redis paused (CLIENT PAUSE ALL); once with the default lock
timeout, once with 500 ms. Reference: without the bounds, each stall would
last as long as the obstacle (8 s).
Writes bench/results/engine-stall-<date>.md.  Usage: bench/engine-stall.py
"""
import datetime
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from harness import Client, Events, Stack, pg_bindir, signup, wait_for  # noqa: E402

HOLD = 8.0


def worst_lag(ev, since):
    """The worst loopLagMaxMs of the heartbeats published after since."""
    lags = [e["data"].get("loopLagMaxMs", 0) for e in ev.of("engine.heartbeat")
            if datetime.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp() >= since]
    return max(lags) if lags else None


def sender(api, inst, stop, counts):
    while not stop.is_set():
        try:
            r = api.post("/api/v1/messages/send-text", {"instanceId": inst, "to": "+966501234567", "text": "stall"})
            status = r.status
        except OSError as e:
            status = type(e).__name__
        counts[status] = counts.get(status, 0) + 1
        time.sleep(0.05)


def phase(ev, name, start_obstacle):
    t0 = time.time()
    obstacle = start_obstacle()
    time.sleep(HOLD + 1.5)
    if obstacle is not None:
        obstacle.wait(timeout=30)
    time.sleep(1.0)  # one more heartbeat
    return name, worst_lag(ev, t0)


def run(lock_ms):
    s = Stack(WAQTOR_HEARTBEAT_MS=250, WAQTOR_DB_LOCK_TIMEOUT_MS=lock_ms,
              WAQTOR_RATE_FREE=10 ** 7, WAQTOR_RATE_ANON=10 ** 7)
    rows, stop = [], threading.Event()
    try:
        s.up()
        owner, b = signup(s, "stall@bench.test", tenant="Stall")
        key = owner.post("/api/v1/api-keys", {"name": "bench"}).json()["key"]
        api = Client(s, key=key, origin=False)
        inst = api.post("/api/v1/instances", {"name": "s", "provider": "sandbox",
                                              "config": {"autoPairSeconds": 0}}).json()["id"]
        state = lambda: api.get("/api/v1/instances/%s/state" % inst).json().get("status")  # noqa: E731
        wait_for(lambda: state() == "qr", 15)
        api.post("/api/v1/instances/%s/sandbox/pair" % inst)
        if not wait_for(lambda: state() == "ready", 15):
            raise RuntimeError("the sandbox instance did not become ready")
        ev = Events(s, "waqtor:system:*")
        counts = {}
        th = threading.Thread(target=sender, args=(api, inst, stop, counts), daemon=True)
        th.start()
        time.sleep(2)

        def psql_hold(sql):
            def start():
                psql = os.path.join(pg_bindir(s.path("pg", "data")), "psql")
                p = subprocess.Popen([psql, "-X", "-q", "-h", s.path("pg", "sock"), "-U", "waqtor", "-d", "waqtor"],
                                     stdin=subprocess.PIPE, text=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                p.stdin.write("BEGIN;\n%s;\nSELECT pg_sleep(%f);\nCOMMIT;\n" % (sql, HOLD))
                p.stdin.close()
                return p
            return start

        def redis_sleep():
            # every client's commands wait (DEBUG SLEEP is off in Redis 7)
            r = subprocess.run(["redis-cli", "-s", s.path("run", "redis.sock"), "CLIENT", "PAUSE",
                                str(int(HOLD * 1000)), "ALL"], stdout=subprocess.PIPE, text=True)
            if r.stdout.strip() != "OK":
                raise RuntimeError("CLIENT PAUSE: %r" % r.stdout)
            return None

        rows.append(phase(ev, "nothing in the way", lambda: None))
        rows.append(phase(ev, "row lock on the instance (lease renewal waits)",
                          psql_hold("SELECT 1 FROM instances WHERE id = '%s' FOR UPDATE" % inst)))
        rows.append(phase(ev, "exclusive lock on messages (outbox claims wait)",
                          psql_hold("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE")))
        rows.append(phase(ev, "Redis paused (publishes wait)", redis_sleep))
        stop.set()
        th.join(timeout=30)
        worst = max((e["data"].get("loopLagWorstMs", 0) for e in ev.of("engine.heartbeat")), default=None)
        ev.close()
        return rows, worst, counts
    finally:
        stop.set()
        s.destroy()


def main():
    date = datetime.date.today().strftime("%Y%m%d")
    out = ["# Engine event-loop stalls, %s" % datetime.date.today().isoformat(), "",
           "bench/engine-stall.py on %d cores. Each obstacle is held for %.0f s while messages are sent "
           "(sandbox instance, 20/s through the API). The figure is the worst lag the engine reported "
           "(how late its 20 ms dispatch timer fired); without the bounds it would be the obstacle's %.0f s." %
           (os.cpu_count(), HOLD, HOLD), ""]
    for lock_ms in (3000, 500):
        rows, worst, counts = run(lock_ms)
        out += ["## lock_timeout %d ms, statement_timeout 10000 ms, Redis command timeout 2000 ms" % lock_ms, "",
                "| obstacle (%.0f s) | worst loop stall |" % HOLD, "|---|---|"]
        out += ["| %s | %s ms |" % (name, lag if lag is not None else "no heartbeat") for name, lag in rows]
        out += ["", "Worst since the engine started: %s ms. API answers during the run: %s." %
                (worst, ", ".join("%s x%d" % (k, v) for k, v in sorted(counts.items(), key=str))), ""]
    text = "\n".join(out) + "\n"
    path = os.path.join(ROOT, "bench", "results", "engine-stall-%s.md" % date)
    with open(path, "w") as f:
        f.write(text)
    print(text)
    print("written to", path)


if __name__ == "__main__":
    main()
