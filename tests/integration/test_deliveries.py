"""Outbound webhook deliveries on a real stack, to a real receiver that
verifies every one with the Standard Webhooks spec's own Python library
(standardwebhooks, from PyPI), not our code: the filter, the headers,
secret rotation, retries (5xx, 429 with Retry-After, timeouts, connection
refused), no retry on other 4xx or redirects (not followed), 410 disabling
the endpoint, giving up with a notification; a receiver that was down gets
everything; kill -9 of the engine loses nothing; a dead endpoint holds back
neither messaging nor other endpoints; the SSRF guard on the address
connected to; the delivery log, redeliver, replay, the test event; another
tenant reaching none of it; bad input refused."""
import glob
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Events, Stack, Tap, free_port, signup, wait_for  # noqa: E402

BUILD = os.environ.get("WAQTOR_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path[:0] = glob.glob(os.path.join(BUILD, "venv", "lib", "python3*", "site-packages"))
try:
    from standardwebhooks.webhooks import Webhook, WebhookVerificationError
except ImportError:
    Webhook = None

t = Tap()
if Webhook is None:
    t.bail("standardwebhooks is not installed in the build's venv (./waqtor test installs it from "
           "tests/schema/requirements.txt)")
s = Stack(t, WAQTOR_API_WORKERS=1, WAQTOR_RATE_FREE=10000000, WAQTOR_WEBHOOK_ALLOW_CIDRS="127.0.0.1/32",
          WAQTOR_WEBHOOK_ALLOW_HTTP="true", WAQTOR_WEBHOOK_RETRY_SCHEDULE="1,1,2,2,2,2,2",
          WAQTOR_WEBHOOK_TIMEOUT_MS=1500, WAQTOR_WEBHOOK_CONCURRENCY=4)


class Receiver:
    """An HTTP receiver on 0.0.0.0 (so that 127.0.0.2 would reach it were it
    not refused); what it answers depends on the path's first part."""

    def __init__(self, port=None):
        self.got = []
        self.lock = threading.Lock()
        self.counts = {}
        rec = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with rec.lock:
                    rec.got.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    n = rec.counts[self.path] = rec.counts.get(self.path, 0) + 1
                code, extra, text = rec.answer(self.path, n)
                if code is None:
                    time.sleep(30)  # accepts, never answers
                    return
                self.send_response(code)
                for k, v in extra.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that gave up (a timeout) is no error here

        self.server = Server(("0.0.0.0", port or free_port()), H)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path, n):
        kind = path.strip("/").split("/")[0]
        if kind == "fail":  # /fail/<times>/...: 500 that many times
            return (500, {}, b"down") if n <= int(path.split("/")[2]) else (200, {}, b"ok")
        if kind == "busy":
            return (429, {"Retry-After": "3"}, b"slow down") if n == 1 else (200, {}, b"ok")
        table = {"gone": (410, {}, b"gone"), "bad": (400, {}, b"no"), "always500": (500, {}, b"\xff\xfe binary"),
                 "redirect": (302, {"Location": "http://127.0.0.1:%d/target" % self.port}, b""),
                 "dead": (None, {}, b""), "slowish": (200, {}, b"ok")}
        if kind == "slowish":
            time.sleep(0.3)
        return table.get(kind, (200, {}, b"ok"))

    def to(self, path):
        with self.lock:
            return [g for g in self.got if g[0] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def hook(path, port=None, **kw):
    r = api.post("/api/v1/webhooks", dict({"url": "http://127.0.0.1:%d%s" % (port or rx.port, path)}, **kw))
    assert r.status == 201, r.body
    return r.json()["id"], r.json()["secret"]


def send(n, to="+966500000001"):
    ids = []
    for i in range(n):
        r = api.post("/api/v1/messages/send-text", {"instanceId": sb, "to": to, "text": "m%d" % i})
        assert r.status == 202, r.body
        ids.append(r.json()["messageId"])
    return ids


def logged_ids(msgs):
    """The ids of the message.sent events of these messages in the log."""
    return set(s.psql("SELECT string_agg(id, ' ') FROM events WHERE type = 'message.sent' AND "
                      "data->>'messageId' = ANY('{%s}')" % ",".join(msgs)).split())


def deliveries(wid, **q):
    r = api.get("/api/v1/webhooks/%s/deliveries?%s" % (wid, "&".join("%s=%s" % kv for kv in q.items())))
    assert r.status == 200, r.body
    return r.json()["deliveries"]


def verify(secret, headers, body):
    return Webhook(secret).verify(body, {k: headers[k] for k in ("webhook-id", "webhook-timestamp",
                                                                 "webhook-signature")})


@t.case("deliveries: signed, verified by the spec's library, the events the filter takes")
def signed():
    global api, sb, tenant, rx, sio
    rx = Receiver()
    s.up()
    owner, _ = signup(s, "deliver@acme.test")
    api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "k"}).json()["key"], origin=False)
    tenant = s.psql("SELECT id FROM tenants WHERE name = 'Acme'")
    sio = Events(s, "waqtor:%s:*" % tenant)
    wid, secret = hook("/ok/a", events=["message.*"], headers={"X-Token": "receiver-1"})
    sb = api.post("/api/v1/instances", {"name": "sb", "provider": "sandbox"}).json()["id"]
    api.post("/api/v1/instances/%s/sandbox/pair" % sb)
    t.ok(wait_for(lambda: sio.of("session.status", status="ready")), "the sandbox is ready")
    msgs = send(2)
    t.ok(wait_for(lambda: len(rx.to("/ok/a")) >= 6), "the receiver got the messages' events",
         len(rx.to("/ok/a")))
    got = rx.to("/ok/a")
    payloads = [verify(secret, h, b) for _, h, b in got]
    t.ok(all(p["type"].startswith("message.") for p in payloads), "only what the filter takes (no session.*)")
    t.ok(all(h["webhook-id"] == json.loads(b)["id"] and h["x-waqtor-event"] == json.loads(b)["type"] and
             h["x-token"] == "receiver-1" and h["content-type"] == "application/json" for _, h, b in got),
         "webhook-id is the event id; X-WaQtor-Event, the custom header")
    try:
        verify("whsec_" + "A" * 43 + "=", got[0][1], got[0][2])
        t.ok(False, "a wrong secret does not verify")
    except WebhookVerificationError:
        t.ok(True, "a wrong secret does not verify")
    logged = {e["id"]: e for e in api.get("/api/v1/events?limit=1000").json()["events"]}
    t.ok(all(logged.get(p["id"]) == p for p in payloads), "each delivery is the event log's envelope")
    t.ok({p["data"]["messageId"] for p in payloads} == set(msgs), "of the messages sent")
    d = deliveries(wid)
    t.ok(len(d) == len(got) and all(x["status"] == "delivered" and x["attempts"] == 1 and
                                    x["log"][0]["code"] == 200 and x["log"][0]["body"] == "ok" and
                                    isinstance(x["log"][0]["latencyMs"], int) for x in d),
         "the delivery log: delivered at the first attempt, with the answer", d[:1])
    ids = [x["eventId"] for x in d]
    t.eq(ids, sorted(ids, reverse=True), "newest first")
    page = deliveries(wid, limit=2)
    t.eq([x["eventId"] for x in page + deliveries(wid, limit=100, cursor=page[-1]["eventId"])], ids,
         "pages by cursor")
    api.delete("/api/v1/webhooks/" + wid)


@t.case("rotation: the old and the new secret both verify during the overlap")
def rotation():
    wid, old = hook("/ok/rot", events=["message.sent"])
    new = api.post("/api/v1/webhooks/%s/rotate-secret" % wid).json()["secret"]
    send(1)
    t.ok(wait_for(lambda: rx.to("/ok/rot")), "a delivery after the rotation")
    _, h, b = rx.to("/ok/rot")[0]
    t.ok(len(h["webhook-signature"].split(" ")) == 2, "two signatures", h["webhook-signature"])
    t.ok(verify(new, h, b) and verify(old, h, b), "each secret verifies it")
    s.psql("UPDATE webhook_endpoints SET previous_until = now() WHERE id = '%s'" % wid)
    send(1, to="+966500000002")
    t.ok(wait_for(lambda: any("966500000002" in b.decode() for _, _, b in rx.to("/ok/rot"))), "after the overlap")
    _, h, b = [g for g in rx.to("/ok/rot") if b"966500000002" in g[2]][0]
    t.ok(" " not in h["webhook-signature"] and verify(new, h, b), "only the new secret signs")
    api.delete("/api/v1/webhooks/" + wid)


def one(wid):
    d = deliveries(wid)
    return d[0] if len(d) == 1 else None


@t.case("outcomes: 5xx and 429 retried (Retry-After honoured), 4xx and redirects not, 410 disables")
def outcomes():
    ids = {k: hook("/%s/x" % k if k != "fail" else "/fail/2/x", events=["session.stats"])[0]
           for k in ("fail", "busy", "bad", "redirect", "gone")}
    for k, wid in ids.items():
        t.eq(api.post("/api/v1/webhooks/%s/test" % wid).status, 202, "a test event to /%s" % k)
    t.ok(wait_for(lambda: all(one(w) and one(w)["status"] in ("delivered", "failed") for w in ids.values()), 30),
         "every delivery is settled")
    f = one(ids["fail"])
    t.ok(f["status"] == "delivered" and f["attempts"] == 3 and [x["code"] for x in f["log"]] == [500, 500, 200],
         "500, 500, then delivered at the third attempt", f)
    b = one(ids["busy"])
    t.ok(b["status"] == "delivered" and [x["code"] for x in b["log"]] == [429, 200], "429, then delivered", b)
    gap = s.psql("SELECT EXTRACT(epoch FROM (log->1->>'at')::timestamptz - (log->0->>'at')::timestamptz) FROM "
                 "webhook_deliveries WHERE endpoint_id = '%s'" % ids["busy"])
    t.ok(float(gap) >= 2.5, "the retry waited for Retry-After (3 s), not the 1 s schedule", gap)
    for k in ("bad", "redirect"):
        d = one(ids[k])
        t.ok(d["status"] == "failed" and d["attempts"] == 1, "/%s: failed at once, no retry" % k, d)
    t.ok("redirects are not followed" in one(ids["redirect"])["log"][0]["error"] and not rx.to("/target"),
         "the redirect was not followed")
    g = api.get("/api/v1/webhooks/" + ids["gone"]).json()
    t.ok(g["enabled"] is False and "410" in g["disabledReason"], "410 Gone disables the endpoint", g)
    t.ok(wait_for(lambda: sio.notes("webhook.endpoint.disabled", webhookId=ids["gone"])),
         "and its admins are told (notification.new)")
    t.eq(api.post("/api/v1/webhooks/%s/test" % ids["gone"]).status, 409, "a disabled endpoint takes no test")
    for wid in ids.values():
        api.delete("/api/v1/webhooks/" + wid)


@t.case("outcomes: timeouts and refused connections retried, then given up with one notification")
def give_up():
    dead_port = free_port()
    refused, _ = hook("/x", port=dead_port, events=["session.stats"])
    bad, _ = hook("/always500/x", events=["session.stats"])
    slow, _ = hook("/dead/x", events=["session.stats"])
    for wid in (refused, bad, slow):
        api.post("/api/v1/webhooks/%s/test" % wid)
        api.post("/api/v1/webhooks/%s/test" % wid)
    t.ok(wait_for(lambda: all(len(deliveries(w)) == 2 and all(d["status"] == "failed" for d in deliveries(w))
                              for w in (refused, bad, slow)), 60), "each fails for good after the schedule")
    d = deliveries(slow)[0]
    t.ok(d["attempts"] == 8 and all(x["code"] is None and "timed out" in x["error"] for x in d["log"]),
         "a dead endpoint: 8 attempts, each a timeout", (d["attempts"], [x["error"] for x in d["log"]]))
    d = deliveries(refused)[0]
    t.ok(d["attempts"] == 8 and all(x["code"] is None and x["error"] for x in d["log"]),
         "connection refused: the same", d["log"][:1])
    d = deliveries(bad)[0]
    t.ok(d["log"][0]["code"] == 500 and d["log"][0]["body"] == "(not text)", "a binary answer is not logged raw",
         d["log"][0])
    notes = [e for e in sio.notes("webhook.delivery.failed") if e["data"]["data"]["webhookId"] in (refused, bad, slow)]
    t.ok(sorted(e["data"]["data"]["webhookId"] for e in notes) == sorted([refused, bad, slow]),
         "one notification per endpoint though two deliveries failed", [e["data"] for e in notes])
    t.ok(all(api.get("/api/v1/webhooks/" + w).json()["enabled"] for w in (refused, bad, slow)),
         "not disabled yet: that takes days of failures")
    s.psql("UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = '%s'" % bad)
    api.post("/api/v1/webhooks/%s/test" % bad)
    t.ok(wait_for(lambda: api.get("/api/v1/webhooks/" + bad).json()["enabled"] is False, 15),
         "after 5 days of nothing but failures it is disabled")
    t.ok("5 days" in api.get("/api/v1/webhooks/" + bad).json()["disabledReason"], "saying why")
    r = api.patch("/api/v1/webhooks/" + bad, {"enabled": True})
    t.ok(r.json()["enabled"] and r.json()["disabledReason"] is None and
         s.psql("SELECT failing_since IS NULL FROM webhook_endpoints WHERE id = '%s'" % bad) == "t",
         "enabling it again starts afresh")
    for wid in (refused, bad, slow):
        api.delete("/api/v1/webhooks/" + wid)


@t.case("a receiver that was down gets everything once it is back")
def down_then_up():
    port = free_port()
    wid, secret = hook("/back", port=port, events=["message.sent"])
    msgs = send(5)
    t.ok(wait_for(lambda: len(deliveries(wid)) >= 15 and all(d["attempts"] >= 1 for d in deliveries(wid))),
         "deliveries are tried while it is down")
    back = Receiver(port)
    try:
        t.ok(wait_for(lambda: all(d["status"] == "delivered" for d in deliveries(wid)), 30),
             "once it is up, every one is delivered")
        got = {verify(secret, h, b)["data"]["messageId"] for _, h, b in back.to("/back")}
        t.eq(got, set(msgs), "none lost")
    finally:
        back.close()
    api.delete("/api/v1/webhooks/" + wid)


@t.case("kill -9 of the engine with deliveries queued and in flight: none lost")
def killed():
    wid, secret = hook("/slowish/k", events=["message.sent"])
    msgs = send(20)
    t.ok(wait_for(lambda: len(rx.to("/slowish/k")) >= 4), "deliveries are under way")
    s.kill("waqtor-engine")
    queued = s.psql("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = '%s' AND status <> "
                    "'delivered'" % wid)
    t.ok(int(queued) > 0, "some were not delivered when it died (%s)" % queued)
    s.up()
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = '%s' AND status "
                                 "<> 'delivered'" % wid) == "0", 60), "after the restart all are delivered")
    got = [verify(secret, h, b) for _, h, b in rx.to("/slowish/k")]
    ids = [p["id"] for p in got]
    logged = logged_ids(msgs)
    t.ok(set(ids) == logged and {p["data"]["messageId"] for p in got} == set(msgs),
         "every event of the log was received, none lost (%d)" % len(logged), (len(set(ids)), len(logged)))
    t.ok(len(ids) - len(set(ids)) <= 8, "duplicates only for those in flight or just answered (a few)",
         len(ids) - len(set(ids)))
    api.delete("/api/v1/webhooks/" + wid)


@t.case("a dead endpoint holds back neither messaging nor another endpoint")
def isolation():
    dead, _ = hook("/dead/iso", events=["message.sent"])
    live, secret = hook("/ok/iso", events=["message.sent"])
    peak = [0]
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            n = int(s.psql("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = '%s' AND status = "
                           "'sending' AND next_at > now()" % dead))
            peak[0] = max(peak[0], n)
            time.sleep(0.2)
    w = threading.Thread(target=watch, daemon=True)
    w.start()
    msgs = send(300)
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE id = ANY('{%s}') AND status = 'read'" %
                                 ",".join(msgs)) == "300", 60), "all 300 messages were sent and read")
    t.ok(wait_for(lambda: {h["webhook-id"] for _, h, _ in rx.to("/ok/iso")} == logged_ids(msgs), 60),
         "the live endpoint got every one of their events (%d)" % len(logged_ids(msgs)))
    stop.set()
    w.join()
    t.ok(1 <= peak[0] <= 4, "the dead one never held more than its 4 slots (%d)" % peak[0])
    for wid in (dead, live):
        api.delete("/api/v1/webhooks/" + wid)


@t.case("SSRF: the address actually connected to must be public")
def ssrf():
    targets = ["http://127.0.0.2:%d/x" % rx.port, "http://[::1]:%d/x" % rx.port, "http://10.1.2.3/x",
               "http://169.254.169.254/latest/meta-data", "http://[::ffff:127.0.0.2]:%d/x" % rx.port]
    try:
        name = socket.gethostname()
        addr = socket.gethostbyname(name)
        if addr.startswith("127.") and addr != "127.0.0.1":
            targets.append("http://%s:%d/x" % (name, rx.port))  # a name that resolves to loopback
    except OSError:
        pass
    ids = []
    for url in targets:
        wid = s.psql("INSERT INTO webhook_endpoints (tenant_id, url, secret) VALUES ('%s', '%s', '%s') "
                     "RETURNING id" % (tenant, url, "whsec_" + "A" * 43 + "=")).splitlines()[0]
        ids.append(wid)
        api.post("/api/v1/webhooks/%s/test" % wid)
    t.ok(wait_for(lambda: all(one(w) and one(w)["attempts"] >= 1 for w in ids), 15), "each was tried")
    for url, wid in zip(targets, ids):
        e = one(wid)["log"][0]["error"]
        t.ok("not a public address" in e, "%s: refused (%s)" % (url, e))
    t.ok(not rx.to("/x"), "and nothing reached the receiver")
    for wid in ids:
        api.delete("/api/v1/webhooks/" + wid)


@t.case("the test event, redeliver, replay")
def tools():
    wid, secret = hook("/ok/tools", events=["message.sent"])
    r = api.post("/api/v1/webhooks/%s/test" % wid)
    t.ok(r.status == 202 and r.json()["event"]["type"] == "webhook.test", "a test event", r.body)
    t.ok(wait_for(lambda: rx.to("/ok/tools")), "is delivered")
    p = verify(secret, rx.to("/ok/tools")[0][1], rx.to("/ok/tools")[0][2])
    t.ok(p["type"] == "webhook.test" and p["id"] == r.json()["event"]["id"], "signed, with its id")
    r = api.post("/api/v1/webhooks/%s/deliveries/%s/redeliver" % (wid, p["id"]))
    t.ok(r.status == 202 and r.json()["status"] == "pending" and r.json()["attempts"] == 0, "redeliver", r.body)
    t.ok(wait_for(lambda: len(rx.to("/ok/tools")) == 2), "sent again")
    t.eq(rx.to("/ok/tools")[1][1]["webhook-id"], p["id"], "with the same webhook-id")
    since = s.psql("SELECT api_time(now() - interval '1 hour')")
    r = api.post("/api/v1/webhooks/%s/replay" % wid, {"since": since})
    t.ok(r.status == 202 and r.json()["queued"] == 0, "replay of failed ones: none failed", r.body)
    before = len(rx.to("/ok/tools"))
    sent = s.psql("SELECT count(*) FROM events WHERE tenant_id = '%s' AND type = 'message.sent'" % tenant)
    r = api.post("/api/v1/webhooks/%s/replay" % wid, {"since": since, "status": "all"})
    t.ok(r.status == 202 and r.json()["queued"] == int(sent) + 1,
         "replay of all: every message.sent of the hour (it was created after them) and the test", r.body)
    t.ok(wait_for(lambda: len(rx.to("/ok/tools")) == before + int(sent) + 1, 60), "all sent")
    t.ok(s.psql("SELECT count(*) FROM audit_log WHERE action = 'webhook.replayed'") == "2", "replays are audited")
    api.delete("/api/v1/webhooks/" + wid)


@t.case("another tenant reaches none of it; bad input is refused and changes nothing")
def tenants_and_input():
    wid, _ = hook("/ok/mine", events=["message.sent"])
    api.post("/api/v1/webhooks/%s/test" % wid)
    t.ok(wait_for(lambda: one(wid) and one(wid)["status"] == "delivered"), "a delivery of Acme's")
    eid = one(wid)["eventId"]
    other, _ = signup(s, "deliver@other.test", tenant="Other")
    for method, path, body in [("GET", "/deliveries", None), ("POST", "/deliveries/%s/redeliver" % eid, None),
                               ("POST", "/replay", {"since": "2026-01-01T00:00:00Z"}), ("POST", "/test", None)]:
        r = other.call(method, "/api/v1/webhooks/%s%s" % (wid, path), body=body)
        t.eq(r.status, 404, "another tenant: %s %s is 404" % (method, path))
    t.eq([e for e in other.get("/api/v1/events").json()["events"] if e["tenantId"] == tenant], [],
         "nor Acme's events in its log")
    queued = s.psql("SELECT count(*) FROM webhook_deliveries")
    for q in ["status=nope", "cursor=evt_x", "limit=0", "limit=101"]:
        t.eq(api.get("/api/v1/webhooks/%s/deliveries?%s" % (wid, q)).status, 400, "deliveries?%s: 400" % q)
    for eid_bad in ["x", "evt_" + "0" * 32]:
        t.eq(api.post("/api/v1/webhooks/%s/deliveries/%s/redeliver" % (wid, eid_bad)).status, 404,
             "redeliver of %s: 404" % eid_bad)
    for body, field in [({}, "since"), ({"since": "yesterday"}, "since"), ({"since": "2026-02-30T00:00:00Z"}, "since"),
                        ({"since": "2026-01-01T00:00:00Z", "until": "2026-13-01T00:00:00Z"}, "until"),
                        ({"since": "2026-01-01T00:00:00Z", "status": "bogus"}, "status"),
                        ({"since": "2026-01-01T00:00:00Z", "extra": 1}, "extra"),
                        ({"since": 5}, "since")]:
        r = api.post("/api/v1/webhooks/%s/replay" % wid, body)
        t.ok(r.status == 400 and field in json.dumps(r.json()["error"].get("details")),
             "replay %s: 400 naming %s" % (json.dumps(body), field), r.body)
    t.eq(api.post("/api/v1/webhooks/%s/replay" % wid, {"since": "2026-01-01T00:00:00\u0000Z"}).status, 400,
         "a NUL: 400")
    t.eq(api.post("/api/v1/webhooks/%s/replay" % wid, raw=b"{", headers={"Content-Type": "application/json"}).status,
         400, "malformed JSON: 400")
    t.eq(s.psql("SELECT count(*) FROM webhook_deliveries"), queued, "nothing was queued by any of it")
    t.eq(api.post("/api/v1/webhooks/%s/test" % "00000000-0000-0000-0000-000000000000").status, 404,
         "test of an unknown endpoint: 404")
    api.delete("/api/v1/webhooks/" + wid)


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
