"""Inbound events are isolated: a tenant that posts correctly signed but
poisonous webhooks (wrong types, impossible timestamps, NUL, an object where
an array belongs) never stops another tenant's inbound messages and
receipts, never crashes the engine, and its events end parked as dead with
their error, not retried forever."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from fakes.graph import FakeGraph, sign  # noqa: E402
from harness import Client, Events, Stack, Tap, signup, wait_for  # noqa: E402

t = Tap()
fake = FakeGraph(quiet=True).start()
s = Stack(t, WAQTOR_CLOUD_API_BASE=fake.url, WAQTOR_CLOUD_API_VERSION="v21.0",
          WAQTOR_INBOUND_MAX_ATTEMPTS=3, WAQTOR_DB_LOCK_TIMEOUT_MS=500, WAQTOR_RATE_FREE=100000,
          WAQTOR_WEBHOOK_RATE=600, WAQTOR_RETENTION_SWEEP_MS=300)
v = {}


def hook(iid):
    return "/api/v1/providers/cloud/%s/webhook" % iid


def post_signed(iid, body, secret):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return s.request("POST", hook(iid), body=raw, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, secret)})


def payload(msg=None, contacts=None, statuses=None):
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "1"}}
    if contacts is not None:
        value["contacts"] = contacts
    if msg is not None:
        value["messages"] = [msg]
    if statuses is not None:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}]}


def text_msg(wamid, text="hi", ts="1749416383", sender="16505551234"):
    return {"from": sender, "id": wamid, "timestamp": ts, "type": "text", "text": {"body": text}}


# Each a signed body that breaks the contract in one way.
POISON = {
    "timestamp x": payload(text_msg("wamid.p1", ts="x")),
    "timestamp of 20 digits": payload(text_msg("wamid.p2", ts="99999999999999999999")),
    "contacts an object": payload(text_msg("wamid.p4"), contacts={}),
    "messages an object": {"object": "x", "entry": [{"changes": [{"value": {"messages": {}}}]}]},
    "entry a string": {"object": "x", "entry": "nope"},
    "from not a phone": payload(text_msg("wamid.p5", sender="abc")),
    "text body a number": payload({"from": "1650", "id": "wamid.p6", "type": "text", "text": {"body": 5}}),
    "status errors a string": payload(statuses=[{"id": "wamid.x", "status": "failed", "errors": "bad"}]),
    "id over-long": payload(text_msg("w" * 5000)),
}
# \u0000 in a text: refused by the API's JSON layer before it is stored
NUL_BODY = b'{"object":"x","entry":[{"changes":[{"value":{"messages":[{"from":"1650","id":"wamid.nul",' \
           b'"type":"text","text":{"body":"a\\u0000b"}}]}}]}]}'


@t.case("two tenants with cloud instances")
def _():
    s.up()
    evil, b = signup(s, "mallory@evil.test", tenant="Evil")
    v["evil_tenant"] = b["tenant"]["id"]
    v["evil_key"] = evil.post("/api/v1/api-keys", {"name": "k"}).json()["key"]
    v["evil"] = Client(s, key=v["evil_key"], origin=False)
    r = v["evil"].post("/api/v1/instances", {"name": "evil", "provider": "cloud", "config": {
        "phoneNumberId": "1000000001", "accessToken": "tok-" + "e" * 20, "appSecret": "evil-secret",
        "verifyToken": "v"}})
    t.eq(r.status, 201, "the attacker has a cloud instance with its own app secret")
    v["evil_iid"] = r.json()["id"]

    good, b = signup(s, "ops@good.test", tenant="Good")
    v["good_tenant"] = b["tenant"]["id"]
    key = good.post("/api/v1/api-keys", {"name": "k"}).json()["key"]
    v["good"] = Client(s, key=key, origin=False)
    r = v["good"].post("/api/v1/instances", {"name": "good", "provider": "cloud", "config": {
        "phoneNumberId": "1065403522", "accessToken": "tok-" + "a" * 20, "appSecret": "app-secret-1",
        "verifyToken": "verify"}})
    v["good_iid"] = r.json()["id"]
    fake.add_number(phoneNumberId="1065403522", accessToken="tok-" + "a" * 20, appSecret="app-secret-1",
                    webhookUrl="http://127.0.0.1:%d%s" % (s.port, hook(v["good_iid"])), statusDelayMs=20)
    t.ok(wait_for(lambda: v["good"].get("/api/v1/instances/%s/state" % v["good_iid"]).json()
                  .get("status") == "ready", 15), "the victim's instance is ready")
    v["engine_pid"] = s.pid("waqtor-engine")


@t.case("poisonous webhooks are accepted by the API and stored")
def _():
    for name, body in POISON.items():
        r = post_signed(v["evil_iid"], body, "evil-secret")
        t.eq(r.status, 200, "a signed body with %s is stored (the engine judges it)" % name)
    r = post_signed(v["evil_iid"], NUL_BODY, "evil-secret")
    t.eq((r.status, r.json()["error"]["code"]), (400, "invalid_json"), "a \\u0000 in a string is 400 at the API")
    t.eq(s.psql("SELECT count(*) FROM inbound_events WHERE instance_id = '%s'" % v["evil_iid"]),
         str(len(POISON)), "the NUL body stored nothing")


@t.case("the other tenant's messages and receipts still flow")
def _():
    ev = Events(s, "waqtor:%s:*" % v["good_tenant"])
    try:
        wamid, _ = fake.inbound("1065403522", {"from": "16505559876", "name": "Sara", "text": "still here"})
        t.ok(wait_for(lambda: ev.of("message.received", providerId=wamid), 20),
             "the victim's inbound message arrives after the poison", s.logs())
        r = v["good"].post("/api/v1/messages/send-text", {"instanceId": v["good_iid"], "to": "+16505551234",
                                                          "text": "reply"})
        mid = r.json()["messageId"]
        t.ok(wait_for(lambda: v["good"].get("/api/v1/messages/" + mid).json().get("status") == "read", 20),
             "and its receipts move its message to read")
    finally:
        ev.close()
    t.eq(s.pid("waqtor-engine"), v["engine_pid"], "the engine never crashed")


@t.case("each poisonous event is parked as dead with its error, once")
def _():
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM inbound_events WHERE instance_id = '%s' AND "
                                 "dead_at IS NOT NULL" % v["evil_iid"]) == str(len(POISON)), 15),
         "every poisonous event is dead",
         s.psql("SELECT id, attempts, dead_at, last_error FROM inbound_events"))
    rows = s.psql("SELECT attempts, processed_at IS NULL, last_error FROM inbound_events WHERE "
                  "instance_id = '%s' ORDER BY id" % v["evil_iid"]).splitlines()
    t.ok(all(r.startswith("1|t|malformed payload: ") for r in rows),
         "after one attempt each (malformed is final), unprocessed, with the reason", rows)
    errs = [r.split("|", 2)[2] for r in rows]
    for want in ("timestamp is not a Unix time", "contacts is an object, not an array",
                 "messages is an object, not an array", "entry is a string, not an array",
                 "from is not a phone number", "body is a number, not a string",
                 "errors is a string, not an array", "id is longer than"):
        t.ok(any(want in e for e in errs), "the error names the field: %s" % want, errs)
    t.ok(any("entry[0].changes[0].value.contacts" in e for e in errs), "with its path in the payload", errs)
    log = open(s.path("log", "waqtor-engine.log")).read()
    t.ok("parked as dead" in log, "the engine logs why it parked them")


@t.case("a good event from the same tenant after the poison is processed")
def _():
    r = post_signed(v["evil_iid"], payload(text_msg("wamid.fine", text="ok")), "evil-secret")
    t.eq(r.status, 200, "stored")
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE provider_id = 'wamid.fine'") == "1", 15),
         "and becomes a message")


@t.case("the tenant sees its dead events, with the reason, and can retry one")
def _():
    evil, good = v["evil"], v["good"]
    r = evil.get("/api/v1/inbound-events?status=dead")
    t.eq(r.status, 200, "list the dead events")
    dead = r.json()["events"]
    t.eq(len(dead), len(POISON), "all of them, newest first")
    t.ok(all(e["status"] == "dead" and e["error"].startswith("malformed payload") and e["deadAt"] and
             e["instanceId"] == v["evil_iid"] for e in dead), "each with its error and time", dead[:2])
    t.eq(good.get("/api/v1/inbound-events?status=dead").json()["events"], [],
         "another tenant sees none of them")
    one = dead[0]["id"]
    t.eq(good.get("/api/v1/inbound-events/" + one).status, 404, "nor any one by id")
    r = evil.get("/api/v1/inbound-events/" + one)
    t.ok(r.status == 200 and r.json()["payload"]["object"] and r.json()["status"] == "dead",
         "one event with its payload", r.body[:300])
    page = evil.get("/api/v1/inbound-events?status=dead&limit=4").json()
    more = evil.get("/api/v1/inbound-events?status=dead&limit=4&cursor=" + page["nextCursor"]).json()
    t.ok(len(page["events"]) == 4 and more["events"] and int(more["events"][0]["id"]) < int(page["events"][-1]["id"]),
         "paged by cursor")
    for q in ("status=bogus", "instanceId=nope", "cursor=x", "limit=0"):
        t.eq(evil.get("/api/v1/inbound-events?" + q).status, 400, "a bad filter is 400 (%s)" % q)
    t.eq(evil.get("/api/v1/inbound-events/12x").status, 404, "a malformed id is 404")
    r = evil.post("/api/v1/inbound-events/%s/retry" % one)
    t.ok(r.status == 202 and r.json()["status"] == "pending" and r.json()["attempts"] == 0,
         "a dead event is queued again", r.body)
    t.ok(wait_for(lambda: evil.get("/api/v1/inbound-events/" + one).json().get("status") == "dead", 10),
         "and, still malformed, parked again")
    fine = s.psql("SELECT id FROM inbound_events WHERE processed_at IS NOT NULL AND instance_id = '%s' LIMIT 1"
                  % v["evil_iid"])
    t.eq(evil.post("/api/v1/inbound-events/%s/retry" % fine).status, 409, "a processed one cannot be retried")
    t.eq(good.post("/api/v1/inbound-events/%s/retry" % one).status, 404, "nor another tenant's")
    out = s.ctl("inbound", "list")
    t.ok(out.returncode == 0 and len(out.stdout.splitlines()) == len(POISON) and
         "malformed payload" in out.stdout and v["evil_tenant"] in out.stdout,
         "waqtorctl inbound list shows the dead events of every tenant", out.stdout + out.stderr)


@t.case("a replayed body is stored once; a flood is cut by the instance's limit")
def _():
    body = json.dumps(payload(text_msg("wamid.replayed"))).encode()
    answers = [post_signed(v["evil_iid"], body, "evil-secret") for _ in range(20)]
    t.ok(all(a.status == 200 for a in answers), "every replay is answered 200 (Meta must not retry)")
    t.eq([a.json()["duplicate"] for a in answers[:2]], [False, True], "the first is new, the rest duplicates")
    t.eq(s.psql("SELECT count(*) FROM inbound_events WHERE body LIKE '%wamid.replayed%'"), "1", "stored once")
    r = v["evil"].post("/api/v1/instances", {"name": "flood", "provider": "cloud", "config": {
        "phoneNumberId": "1000000002", "accessToken": "tok-" + "f" * 20, "appSecret": "flood-secret",
        "verifyToken": "v"}})
    flood = r.json()["id"]
    codes = [post_signed(flood, payload(text_msg("wamid.f%d" % i)), "flood-secret") for i in range(160)]
    limited = [c for c in codes if c.status == 429]
    t.ok(limited and all(c.status in (200, 429) for c in codes), "past its burst an instance gets 429",
         sorted({c.status for c in codes}))
    t.ok(limited and int(limited[0].header("Retry-After")) >= 1, "with Retry-After")
    stored = int(s.psql("SELECT count(*) FROM inbound_events WHERE instance_id = '%s'" % flood))
    t.eq(stored, len(codes) - len(limited), "only what was accepted is stored")
    t.eq(post_signed(v["good_iid"], payload(text_msg("wamid.other-instance")), "app-secret-1").status, 200,
         "another instance is not limited by it")


@t.case("processed and dead events past their retention are deleted")
def _():
    s.psql("UPDATE inbound_events SET processed_at = now() - interval '100 hours' WHERE instance_id = '%s' "
           "AND processed_at IS NOT NULL" % v["evil_iid"])
    s.psql("UPDATE inbound_events SET dead_at = now() - interval '100 hours' WHERE id = (SELECT min(id) FROM "
           "inbound_events WHERE dead_at IS NOT NULL)")
    before = int(s.psql("SELECT count(*) FROM inbound_events"))
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM inbound_events WHERE processed_at < now() - interval "
                                 "'72 hours' OR dead_at < now() - interval '72 hours'") == "0", 10),
         "the old ones are gone")
    t.ok(int(s.psql("SELECT count(*) FROM inbound_events")) < before and
         int(s.psql("SELECT count(*) FROM inbound_events WHERE dead_at IS NOT NULL")) == len(POISON) - 1,
         "the recent dead ones are kept")


@t.case("a lock held on messages: the engine's wait is bounded, the event retried, the error logged")
def _():
    import subprocess
    from harness import pg_bindir
    holder = subprocess.Popen([os.path.join(pg_bindir(s.path("pg", "data")), "psql"), "-X", "-q", "-tA", "-h",
                               s.path("pg", "sock"), "-U", "waqtor", "-d", "waqtor"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        holder.stdin.write("BEGIN;\nLOCK TABLE messages IN ACCESS EXCLUSIVE MODE;\nSELECT 'locked';\n")
        holder.stdin.flush()
        t.eq(holder.stdout.readline().strip(), "locked", "a session holds an exclusive lock on messages")
        r = post_signed(v["evil_iid"], payload(text_msg("wamid.locked", text="secret-words-42")), "evil-secret")
        t.eq(r.status, 200, "an event arrives meanwhile")
        row = wait_for(lambda: s.psql("SELECT attempts, last_error FROM inbound_events WHERE body LIKE "
                                      "'%%wamid.locked%%' AND attempts > 0"), 15)
        t.ok(row and row.startswith("1|database: canceling statement due to lock timeout"),
             "the insert gave up after the lock timeout and the event waits for its retry", row)
    finally:
        holder.stdin.write("COMMIT;\n")
        holder.stdin.close()
        holder.wait(timeout=10)
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE provider_id = 'wamid.locked'") == "1", 20),
         "once the lock is gone the retry stores it")
    log = open(s.path("log", "waqtor-engine.log")).read()
    t.ok('SQLSTATE 55P03' in log and 'in \\"INSERT INTO messages' in log,
         "the engine logs PostgreSQL's error with its SQLSTATE and statement", log[-1500:])
    t.ok("secret-words-42" not in log, "but never a parameter")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
    fake.stop()
t.done()
