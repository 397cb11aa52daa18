#!/usr/bin/env python3
"""Webhook benchmark (issue 12): deliveries per second from the durable
queue to a local receiver (bench/webhook-receiver.mjs, Node), to one
endpoint and spread over ten, every state change durable in PostgreSQL
(each event and delivery written by waqtor_emit(), each outcome by the
engines); p50/p99 from an event's commit to its arrival at a steady 500
events/s; and sandbox campaign throughput with no webhook endpoint and
with ten dead ones (they accept the connection and never answer) taking
every message event. References: the goal of >= 2,000 deliveries/s on
these 2 cores, and "no effect" of dead endpoints on messaging; Evolution
API and the original WaQtor keep their webhook retries in memory, WAHA
sends them without a durable queue. Writes bench/results/webhooks-<date>.md.
Usage: bench/webhooks.py [--quick]
"""
import datetime
import json
import os
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from harness import Client, Stack, free_port, signup, wait_for  # noqa: E402
from messages import cpu_seconds, machine  # noqa: E402  (bench/messages.py)
import campaigns  # noqa: E402  (bench/campaigns.py: the sandbox campaign run)

QUICK = "--quick" in sys.argv
BURST = 5000 if QUICK else 20000
RECIPIENTS = 10000 if QUICK else 50000
NUMBERS = 20


class Receiver:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(["node", os.path.join(ROOT, "bench", "webhook-receiver.mjs"), str(self.port)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "listening"

    def stats(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/stats" % self.port, timeout=30) as r:
            return json.loads(r.read())

    def close(self):
        self.proc.kill()
        self.proc.wait()


def stack(rx, **env):
    s = Stack(None, WAQTOR_RATE_FREE=100000000, WAQTOR_RATE_PRO=100000000, WAQTOR_CAMPAIGN_PAIR_SECS=0,
              WAQTOR_ENGINES=2, WAQTOR_WEBHOOK_ALLOW_CIDRS="127.0.0.1/32", WAQTOR_WEBHOOK_ALLOW_HTTP="true", **env)
    s.up()
    owner, body = signup(s, "bench@webhooks.test")
    api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "b"}).json()["key"], origin=False)
    code = s.ctl("accesscode", "create", "--plan", "business", "--days", "30").stdout.strip()
    owner.post("/api/v1/subscription/redeem", {"code": code})
    return s, api, body["tenant"]["id"]


def endpoints(api, rx, n, path, events):
    for i in range(n):
        r = api.post("/api/v1/webhooks", {"url": "http://127.0.0.1:%d%s/%d" % (rx.port, path, i), "events": events})
        assert r.status == 201, r.body


def emit(s, tenant, n, batch=1000):
    """n session.stats events of the tenant, batch per transaction, through
    waqtor_emit() (the events and their deliveries, as the engine writes
    them)."""
    for k in range(0, n, batch):
        s.psql("SELECT count(*) FROM waqtor_emit((SELECT json_agg(json_build_object('type', 'session.stats', "
               "'tenantId', '%s', 'data', json_build_object('i', g))) FROM generate_series(%d, %d) g))" %
               (tenant, k, min(k + batch, n) - 1))


def throughput(n_endpoints, concurrency=10):
    rx = Receiver()
    s, api, tenant = stack(rx, WAQTOR_WEBHOOK_CONCURRENCY=concurrency)
    try:
        endpoints(api, rx, n_endpoints, "/live", ["session.stats"])
        pids = campaigns.engines(s)
        want = BURST
        events = BURST // n_endpoints
        cpu0, t0 = sum(cpu_seconds(p) for p in pids), time.time()
        emit(s, tenant, events)
        wait_for(lambda: rx.stats()["count"] >= want, 600, 0.2)
        st = rx.stats()
        last = max(at for _, at in st["arrivals"]) / 1000
        cpu = sum(cpu_seconds(p) for p in pids) - cpu0
        left = s.psql("SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'")
        return {"endpoints": n_endpoints, "concurrency": concurrency, "deliveries": st["count"], "secs": last - t0,
                "rate": st["count"] / (last - t0), "cpu_us": cpu / st["count"] * 1e6, "undelivered": left}
    finally:
        s.destroy()
        rx.close()


def latency():
    rx = Receiver()
    s, api, tenant = stack(rx)
    try:
        endpoints(api, rx, 1, "/live", ["session.stats"])
        n = 2000 if QUICK else 5000
        for k in range(0, n, 10):  # 10 events every 20 ms: 500/s
            t = time.time()
            emit(s, tenant, 10)
            time.sleep(max(0, 0.02 - (time.time() - t)))
        wait_for(lambda: rx.stats()["unique"] >= n, 120, 0.2)
        at = dict(rx.stats()["arrivals"])
        ts = s.psql("SELECT string_agg(id || ' ' || (EXTRACT(epoch FROM ts) * 1000)::text, ',') FROM events")
        lat = sorted(at[i] - float(t) for i, t in (x.split(" ") for x in ts.split(",")) if i in at)
        return {"n": len(lat), "p50": lat[len(lat) // 2], "p99": lat[int(len(lat) * 0.99) - 1], "max": lat[-1]}
    finally:
        s.destroy()
        rx.close()


def messaging(dead, path="/dead"):
    rx = Receiver()
    s, api, _ = stack(rx)
    try:
        endpoints(api, rx, dead, path, ["message.*"])
        r = campaigns.dispatch(s, api, None, NUMBERS, RECIPIENTS // NUMBERS, "dead%d" % dead, sandbox=True)
        r["dead"] = "%d %s" % (dead, "live" if path == "/live" else "dead") if dead else "none"
        r["sending"] = s.psql("SELECT count(*) FROM webhook_deliveries WHERE status = 'sending'")
        return r
    finally:
        s.destroy()
        rx.close()


def main():
    date = datetime.date.today().strftime("%Y%m%d")
    thr = [throughput(1), throughput(1, 50), throughput(10)]
    lat = latency()
    msg = [messaging(0), messaging(10), messaging(10, "/live"), messaging(0), messaging(10), messaging(10, "/live")]
    out = os.path.join(ROOT, "bench", "results", "webhooks-%s.md" % date)
    with open(out, "w") as f:
        f.write("# Webhook benchmark, %s\n\n" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
        f.write("Machine: %s. `bench/webhooks.py%s`; two engines (`WAQTOR_ENGINES=2`), the defaults "
                "(`WAQTOR_WEBHOOK_CONCURRENCY=10` per endpoint, 256 in flight per engine); the receiver is "
                "Node's http module on the same 2 cores.\n\n" % (machine(), " --quick" if QUICK else ""))
        f.write("## Deliveries per second (goal: >= 2,000/s, durable)\n\n"
                "Events written by `waqtor_emit()` in transactions of 1,000 (each with its deliveries), "
                "from the first write to the last arrival.\n\n"
                "| endpoints | in flight per endpoint | deliveries | seconds | deliveries/s | engine CPU µs/delivery "
                "| not delivered |\n|---|---|---|---|---|---|---|\n")
        for r in thr:
            f.write("| %(endpoints)d | %(concurrency)d | %(deliveries)d | %(secs).2f | **%(rate).0f** | %(cpu_us).0f | %(undelivered)s |\n"
                    % r)
        f.write("\n## From commit to arrival, at 500 events/s\n\n| events | p50 ms | p99 ms | max ms |\n"
                "|---|---|---|---|\n| %(n)d | %(p50).1f | %(p99).1f | %(max).1f |\n" % lat)
        f.write("\n## Messaging with dead endpoints (goal: no effect)\n\n"
                "Sandbox campaigns of %d recipients on %d numbers (bench/campaigns.py's sandbox row: the "
                "engines and PostgreSQL at full speed); ten endpoints take every `message.*` event and never "
                "answer (each delivery waits out the 15 s timeout, 10 at a time per endpoint); for comparison, ten "
                "live ones (the same deliveries queued with each event, answered at once). Two runs of "
                "each, alternating.\n\n| endpoints | recipients/s | engine CPU µs/recipient | "
                "deliveries in flight at the end |\n|---|---|---|---|\n" % (RECIPIENTS, NUMBERS))
        for r in msg:
            f.write("| %(dead)s | **%(rate).0f** | %(cpu_us).0f | %(sending)s |\n" % r)
    print(open(out).read())


if __name__ == "__main__":
    main()
