"""Prometheus metrics: the API, each engine and pushd answer GET /metrics
on their own operator sockets (never through the public nginx server) in
the text format, read here by prometheus_client's own parser; the
counters move with the traffic this test makes."""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import BUILD, Client, Stack, Tap, UnixHTTPConnection, signup, wait_for  # noqa: E402

sys.path[:0] = glob.glob(os.path.join(BUILD, "venv", "lib", "python3*", "site-packages"))
t = Tap()
try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    t.bail("prometheus_client is not installed in the build's venv (./waqtor test installs it from "
           "tests/schema/requirements.txt)")

s = Stack(t, WAQTOR_ENGINES=2, WAQTOR_RATE_FREE=100000)
v = {}


def scrape(sock, path="/metrics"):
    c = UnixHTTPConnection(s.path("run", sock))
    c.request("GET", path)
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    return r.status, r.getheader("Content-Type"), body


def families(sock):
    status, ctype, body = scrape(sock)
    assert status == 200, (status, body[:200])
    return {f.name: f for f in text_string_to_metric_families(body)}, ctype


def value(fams, family, sample, **labels):
    """The value of a sample (name as exposed, e.g. x_total) with these labels."""
    for smp in fams[family].samples if family in fams else []:
        if smp.name == sample and all(smp.labels.get(k) == x for k, x in labels.items()):
            return smp.value
    return 0


@t.case("every daemon serves its metrics on its own socket")
def _():
    s.up()
    for sock in ("waqtor-api.prom", "waqtor-engine.prom", "waqtor-engine-2.prom", "pushd.sock"):
        status, ctype, body = scrape(sock)
        t.ok(status == 200 and ctype.startswith("text/plain; version=0.0.4") and "# TYPE" in body,
             "%s: 200 in the text format" % sock, (status, ctype, body[:200]))
        t.ok(list(text_string_to_metric_families(body)), "%s: prometheus_client parses it" % sock)
    t.eq(scrape("waqtor-api.prom", "/other")[0], 404, "another path: 404")
    r = Client(s).get("/metrics")
    t.ok(b"# TYPE" not in r.body, "not through the public server (the dashboard's page)", r.status)
    r = Client(s).get("/api/metrics")
    t.ok(r.status == 404 and b"waqtor_api" not in r.body, "nor under /api", r.status)


@t.case("the API counts requests by route, method and status, with their durations")
def _():
    owner, b = signup(s, "m@metrics.test")
    v["api"] = api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "k"}).json()["key"])
    before, _ = families("waqtor-api.prom")
    for _ in range(5):
        api.get("/api/v1/me")
    api.get("/api/v1/instances/nope")
    api.get("/api/v1/no/such/route")
    after, _ = families("waqtor-api.prom")
    me = dict(route="/api/v1/me", method="GET", status="200")
    t.eq(value(after, "waqtor_api_requests", "waqtor_api_requests_total", **me) -
         value(before, "waqtor_api_requests", "waqtor_api_requests_total", **me), 5.0, "5 GET /api/v1/me, 200")
    t.ok(value(after, "waqtor_api_requests", "waqtor_api_requests_total", route="/api/v1/instances/{id}",
               status="404") >= 1, "a 404 under its route's pattern, not its id")
    t.ok(value(after, "waqtor_api_requests", "waqtor_api_requests_total", route="unmatched", method="other",
               status="404") >= 1, "an unknown path: route unmatched, method other")
    t.ok(value(after, "waqtor_api_request_duration_seconds", "waqtor_api_request_duration_seconds_count",
               route="/api/v1/me", method="GET") >= 5 and
         value(after, "waqtor_api_request_duration_seconds", "waqtor_api_request_duration_seconds_bucket",
               route="/api/v1/me", method="GET", le="+Inf") >= 5, "and its duration histogram")
    master = open(s.path("run", "waqtor-api.pid")).read().strip()
    # the metrics server is the master's first child, the workers come after
    kids = open("/proc/%s/task/%s/children" % (master, master)).read().split()
    t.eq(value(after, "waqtor_api_workers", "waqtor_api_workers"), float(len(kids) - 1), "the workers running",
         after.get("waqtor_api_workers"))
    restarts = value(after, "waqtor_api_worker_restarts", "waqtor_api_worker_restarts_total")
    os.kill(int(kids[-1]), 9)
    t.ok(wait_for(lambda: value(families("waqtor-api.prom")[0], "waqtor_api_worker_restarts",
                                "waqtor_api_worker_restarts_total") == restarts + 1), "a killed worker is a restart")


@t.case("the engines count sends, webhooks and inbound events, and show their outbox and leases")
def _():
    api = v["api"]
    sb = api.post("/api/v1/instances", {"name": "sb", "provider": "sandbox", "config": {"autoPairSeconds": 0}}).json()
    t.ok(wait_for(lambda: api.get("/api/v1/instances/" + sb["id"]).json()["status"] == "ready"), "ready")

    def total(sample, family, **labels):
        return sum(value(families(sock)[0], family, sample, **labels)
                   for sock in ("waqtor-engine.prom", "waqtor-engine-2.prom"))

    sent0 = total("waqtor_engine_sends_total", "waqtor_engine_sends", provider="sandbox", outcome="sent")
    in0 = total("waqtor_engine_inbound_events_total", "waqtor_engine_inbound_events", result="processed")
    for i in range(6):
        api.post("/api/v1/messages/send-text", {"instanceId": sb["id"], "to": "+1650555%04d" % i, "text": "x"})
    api.post("/api/v1/instances/%s/sandbox/inbound" % sb["id"], {"from": "16505550001", "text": "hi"})
    t.ok(wait_for(lambda: total("waqtor_engine_sends_total", "waqtor_engine_sends", provider="sandbox",
                                outcome="sent") - sent0 == 6),
         "6 sandbox sends counted as sent (both engines together)")
    t.ok(wait_for(lambda: total("waqtor_engine_inbound_events_total", "waqtor_engine_inbound_events",
                                result="processed") - in0 >= 1), "the inbound message is processed")
    t.ok(total("waqtor_engine_provider_request_duration_seconds_count",
               "waqtor_engine_provider_request_duration_seconds", provider="sandbox") >= 6,
         "with the provider's latency")
    t.ok(wait_for(lambda: total("waqtor_engine_leases", "waqtor_engine_leases") >= 1, 10),
         "an engine holds the instance's lease")
    fams, _ = families("waqtor-engine.prom")
    t.ok("waqtor_engine_outbox_messages" in fams and "waqtor_webhook_queue_deliveries" in fams and
         value(fams, "waqtor_engine_up_postgres", "waqtor_engine_up_postgres") == 1.0,
         "the outbox by state and the webhook queue, from PostgreSQL", sorted(fams))


@t.case("pushd counts its connections by namespace and the events it delivered")
def _():
    fams, _ = families("pushd.sock")
    t.ok({"waqtor_pushd_sockets", "waqtor_pushd_events_out", "waqtor_pushd_dropped", "waqtor_pushd_coalesced",
          "waqtor_pushd_slow_disconnects", "waqtor_pushd_recovered", "waqtor_pushd_recovery_misses"} <= set(fams),
         "sockets, delivered, dropped, coalesced, slow consumers, recovery", sorted(fams))


@t.case("docs/operations.md lists every metric there is; the Grafana dashboard uses only those")
def _():
    exposed = set()
    for sock in ("waqtor-api.prom", "waqtor-engine.prom", "pushd.sock"):
        for f in families(sock)[0].values():
            exposed.add(f.name + "_total" if f.type == "counter" else f.name)
    docs = os.path.join(os.path.dirname(__file__), "..", "..", "docs")
    listed = set(re.findall(r"^\| `(waqtor_[a-z_]+)`", open(os.path.join(docs, "operations.md")).read(), re.M))
    t.eq(sorted(listed ^ exposed), [], "the tables name exactly the metrics the daemons export")
    dash = json.load(open(os.path.join(docs, "grafana-waqtor.json")))
    used = {re.sub(r"_(bucket|sum|count)$", "", n) for p in dash["panels"] for q in p.get("targets", [])
            for n in re.findall(r"waqtor_[a-z_]+", q["expr"])}
    t.ok(used and used <= exposed, "every metric a panel queries exists", sorted(used - exposed))


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
