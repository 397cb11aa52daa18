#!/usr/bin/env python3
"""Campaign benchmark (issue 10): recipients dispatched per second, unpaced,
on 1 and on 20 Cloud API instances against the fake Graph API (every state
change durable: each recipient queued, its message sent, in PostgreSQL),
with the engines' CPU and RSS (WAQTOR_ENGINES=2, its default: one per
core); the time to create a 100,000-recipient campaign and to import a
100,000-row CSV; the engine's RSS during a 1,000,000-recipient campaign. References: the goal of >= 5,000 recipients/s
on these 2 cores; the original WaQtor sends one message every 2 s (0.5/s);
Evolution API and WAHA have no campaign engine.
Writes bench/results/campaigns-<date>.md.  Usage: bench/campaigns.py [--quick]
"""
import datetime
import os
import resource
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from fakes.graph import FakeGraph  # noqa: E402
from harness import Client, Stack, signup, wait_for  # noqa: E402
from messages import cpu_seconds, machine, rss_kb  # noqa: E402  (bench/messages.py)

QUICK = "--quick" in sys.argv
TOKEN = "bench-token-" + "x" * 20
SECRET = "bench-app-secret"
TEMPLATE = {"template": {"name": "promo", "language": "en_US", "components": [
    {"type": "body", "parameters": [{"type": "text", "text": "{{code}}"}]}]}}


NUMBERS = iter(range(800000000, 900000000))
ENGINES = ("waqtor-engine", "waqtor-engine-2")


def engines(s):
    return [p for p in (s.pid(n) for n in ENGINES) if p is not None]


def instances(api, fake, s, n, label):
    ids = []
    for i in range(n):
        pnid = str(next(NUMBERS))
        iid = api.post("/api/v1/instances", {"name": "%s-%d" % (label, i), "provider": "cloud", "config": {
            "phoneNumberId": pnid, "accessToken": TOKEN, "appSecret": SECRET, "verifyToken": "v",
            "ratePerSecond": 1000}}).json()["id"]
        fake.add_number(phoneNumberId=pnid, accessToken=TOKEN, appSecret=SECRET, ratePerSecond=100000,
                        statuses=[], webhookUrl="http://127.0.0.1:%d/api/v1/providers/cloud/%s/webhook" %
                        (s.port, iid))
        ids.append(iid)
    for iid in ids:
        wait_for(lambda: api.get("/api/v1/instances/%s/state" % iid).json().get("status") == "ready", 30)
    return ids


def sandboxes(api, n, label):
    """Sandbox instances, paired, whose receipts come after the run: the
    engine and PostgreSQL alone, without the fake's HTTP server."""
    ids = [api.post("/api/v1/instances", {"name": "%s-%d" % (label, i), "provider": "sandbox", "config": {
        "deliveryLatencyMs": 600000, "readLatencyMs": 600000}}).json()["id"] for i in range(n)]
    for iid in ids:
        api.post("/api/v1/instances/%s/sandbox/pair" % iid)
    for iid in ids:
        wait_for(lambda: api.get("/api/v1/instances/%s/state" % iid).json().get("status") == "ready", 30)
    return ids


def split(s, ids):
    """How many of ids each engine owns, once their leases have settled
    (engines share instances by count, and a new one moves some over)."""
    q = ("SELECT string_agg(n::text, ' ' ORDER BY n) FROM (SELECT count(*) AS n FROM instances WHERE id IN ('%s') "
         "AND lease_until > now() GROUP BY owner_engine) x" % "','".join(ids))
    def settled():
        n = [int(x) for x in s.psql(q).split()]
        return sum(n) == len(ids) and (len(ids) < 2 or len(n) == len(engines(s)) and n[-1] - n[0] <= 1)
    wait_for(settled, 30, 0.5)
    time.sleep(1)
    return s.psql(q)


def dispatch(s, api, fake, n_instances, per_instance, label, sandbox=False):
    ids = sandboxes(api, n_instances, label) if sandbox else instances(api, fake, s, n_instances, label)
    owned = split(s, ids)
    camps = []
    for k, iid in enumerate(ids):
        rec = ["+9%02d%03d%07d" % (n_instances, k, i) for i in range(per_instance)]
        r = api.post("/api/v1/campaigns", {"name": "%s-%d" % (label, k), "instanceId": iid, "recipients": rec,
                                           "message": TEMPLATE, "variables": {"code": "X1"}},
                     timeout=120)
        camps.append(r.json()["id"])
    total = n_instances * per_instance
    pids = engines(s)
    cpu0, t0 = sum(cpu_seconds(p) for p in pids), time.time()
    own0 = resource.getrusage(resource.RUSAGE_SELF)
    peak = [max(rss_kb(p) for p in pids)]
    for cid in camps:
        api.post("/api/v1/campaigns/%s/start" % cid)

    def sent():
        return int(s.psql("SELECT COALESCE(sum(n), 0) FROM campaign_counts WHERE status IN ('sent', 'delivered', "
                          "'read', 'failed') AND campaign_id IN ('%s')" % "','".join(camps)))
    while sent() < total and time.time() - t0 < 600:
        peak.append(max(rss_kb(p) for p in pids))
        time.sleep(0.2)
    secs = time.time() - t0
    cpu = sum(cpu_seconds(p) for p in pids) - cpu0
    own = resource.getrusage(resource.RUSAGE_SELF)
    fake_cpu = own.ru_utime + own.ru_stime - own0.ru_utime - own0.ru_stime
    done = sent()
    return {"split": owned, "fake_us": fake_cpu / max(done, 1) * 1e6,
            "label": label, "provider": "sandbox" if sandbox else "cloud (fake Graph API)",
            "instances": n_instances, "recipients": total, "done": done, "secs": secs,
            "rate": done / secs, "cpu": cpu, "cpu_us": cpu / max(done, 1) * 1e6, "rss": max(peak)}


def stack(fake):
    """A stack of its own for each measurement, so that none inherits
    another's tables, or its instances' leases (engines share instances by
    count), and an API key of a business-plan tenant."""
    s = Stack(None, WAQTOR_CLOUD_API_BASE=fake.url, WAQTOR_CLOUD_API_VERSION="v21.0",
              WAQTOR_RATE_FREE=100000000, WAQTOR_RATE_PRO=100000000, WAQTOR_CAMPAIGN_PAIR_SECS=0,
              WAQTOR_ENGINES=2)
    s.up()
    owner, _ = signup(s, "bench@campaigns.test")
    api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "b"}).json()["key"], origin=False)
    code = s.ctl("accesscode", "create", "--plan", "business", "--days", "30").stdout.strip()
    owner.post("/api/v1/subscription/redeem", {"code": code})
    return s, api


def main():
    date = datetime.date.today().strftime("%Y%m%d")
    fake = FakeGraph(quiet=True).start()
    rows = []
    s = None
    try:
        # each in a stack, and with a fake Graph API, of its own
        for args in ((1, 10000 if QUICK else 50000, "one", False), (20, 500 if QUICK else 2500, "twenty", False),
                     (20, 500 if QUICK else 2500, "sandboxes", True)):
            own = FakeGraph(quiet=True).start()
            s, api = stack(own)
            rows.append(dispatch(s, api, own, *args[:3], sandbox=args[3]))
            s.destroy()
            own.stop()

        s, api = stack(fake)
        ids = instances(api, fake, s, 1, "create")
        n = 20000 if QUICK else 100000

        rec = ["+96650%07d" % i for i in range(n)]
        t0 = time.time()
        r = api.post("/api/v1/campaigns", {"name": "create", "instanceId": ids[0], "recipients": rec,
                                           "message": TEMPLATE, "variables": {"code": "X1"}}, timeout=300)
        create_secs = time.time() - t0
        assert r.status == 201, r.body[:300]

        lst = api.post("/api/v1/contact-lists", {"name": "bench"}).json()["id"]
        csv = ("phone,name,code\n" + "".join("+96651%07d,Customer %d,C%d\n" % (i, i, i) for i in range(n))).encode()
        t0 = time.time()
        r = api.call("POST", "/api/v1/contact-lists/%s/import" % lst, raw=csv,
                     headers={"Content-Type": "text/csv"}, timeout=300)
        import_secs = time.time() - t0
        assert r.status == 200, r.body[:300]

        # a million recipients from a contact list: the engine's memory
        big = 100000 if QUICK else 1000000
        lst2 = api.post("/api/v1/contact-lists", {"name": "million"}).json()["id"]
        csv = ("phone\n" + "".join("+9670%08d\n" % i for i in range(big))).encode()
        r = api.call("POST", "/api/v1/contact-lists/%s/import" % lst2, raw=csv,
                     headers={"Content-Type": "text/csv"}, timeout=900)
        assert r.status == 200, r.body[:300]
        [iid] = instances(api, fake, s, 1, "million")
        split(s, [iid])
        [engine] = [p for p in engines(s) if str(p) == s.psql(
            "SELECT pid FROM engines WHERE id = (SELECT owner_engine FROM instances WHERE id = '%s')" % iid)]
        idle_rss = rss_kb(engine)
        t0 = time.time()
        r = api.post("/api/v1/campaigns", {"name": "million", "instanceId": iid, "contactListId": lst2,
                                           "message": {"template": {"name": "promo", "language": "en_US"}}},
                     timeout=900)
        million_create = time.time() - t0
        cid = r.json()["id"]
        api.post("/api/v1/campaigns/%s/start" % cid)
        peak, t0 = idle_rss, time.time()
        while time.time() - t0 < (20 if QUICK else 60):
            peak = max(peak, rss_kb(engine))
            time.sleep(0.2)
        gone = int(s.psql("SELECT COALESCE(sum(n), 0) FROM campaign_counts WHERE campaign_id = '%s' AND status "
                          "NOT IN ('pending')" % cid))
        t0 = time.time()
        r = api.post("/api/v1/campaigns/%s/cancel" % cid, timeout=600)
        cancel_secs = time.time() - t0
        assert r.status == 200, r.body[:300]
    finally:
        if s is not None:
            s.destroy()
        fake.stop()

    out = os.path.join(ROOT, "bench", "results", "campaigns-%s%s.md" % (date, "-quick" if QUICK else ""))
    with open(out, "w") as f:
        f.write("# Campaigns benchmark, %s\n\n" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
        f.write("Machine: %s. PostgreSQL, Redis, nginx and the daemons on this machine, with the fake Graph "
                "API (tests/fakes/graph.py) in the benchmark's process; two engines (WAQTOR_ENGINES=2), which share "
                "the instances. `bench/campaigns.py%s`.\n\n" %
                (machine(), " --quick" if QUICK else ""))
        f.write("## Dispatch at 1,000/s per number (every recipient queued and its message sent, durably)\n\n")
        f.write("| provider | instances (per engine) | recipients | seconds | recipients/s | engines' CPU µs per "
                "recipient | peak RSS of an engine | fake Graph API CPU µs per request |\n"
                "|---|---|---|---|---|---|---|---|\n")
        for r in rows:
            f.write("| %s | %d (%s) | %d | %.1f | **%.0f** | %.0f | %.1f MB | %s |\n" % (
                r["provider"], r["instances"], r["split"].replace(" ", "+"), r["done"], r["secs"], r["rate"],
                r["cpu_us"], r["rss"] / 1024,
                "%.0f" % r["fake_us"] if r["provider"] != "sandbox" else "(%.0f: no requests)" % r["fake_us"]))
        f.write("\nThe fake Graph API is Python (a thread per connection) in this process and shares the 2 cores: "
                "the last column is its CPU per request (this process's CPU during the run). On 20 numbers it "
                "keeps one core busy, which bounds the Cloud API rows; the sandbox row is the same durable path "
                "(outbox, PostgreSQL, receipts, events) with the provider in the engine, and measures what the "
                "engine and PostgreSQL can do.\n")
        f.write("\nReferences: goal >= 5,000 recipients/s aggregate on these 2 cores; the original WaQtor "
                "(whatsapp-web.js) sends one message every 2 s (0.5/s) per session; Evolution API and WAHA "
                "have no campaign engine.\n\n")
        f.write("## Creation and import\n\n| what | rows | seconds |\n|---|---|---|\n")
        f.write("| `POST /api/v1/campaigns` with a recipients array | %d | %.1f |\n" % (n, create_secs))
        f.write("| `POST /api/v1/contact-lists/{id}/import` (CSV, streamed) | %d | %.1f |\n" % (n, import_secs))
        f.write("| `POST /api/v1/campaigns` from a contact list | %d | %.1f |\n" % (big, million_create))
        f.write("| `POST /api/v1/campaigns/{id}/cancel` (its pending recipients skipped) | %d | %.1f |\n\n" %
                (big - gone, cancel_secs))
        f.write("## Memory during a %d-recipient campaign\n\n" % big)
        f.write("Engine RSS before the campaign %.1f MB, peak over %d s of sending (%d recipients out) "
                "%.1f MB.\n" % (idle_rss / 1024, 20 if QUICK else 60, gone, peak / 1024))
    print(open(out).read())


if __name__ == "__main__":
    main()
