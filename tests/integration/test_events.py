"""The event log on a real stack: every event of the tenant, written in the
transaction of the change it reports, read back in order through
GET /api/v1/events with the same envelopes and ids as Socket.IO (Redis);
paging by id never skips an event that committed late; filters; another
tenant sees none of it; bad queries are refused; old days are dropped a
partition at a time."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Events, Stack, Tap, pg_bindir, signup, wait_for  # noqa: E402

t = Tap()
s = Stack(t, WAQTOR_API_WORKERS=1, WAQTOR_RATE_FREE=10000000, WAQTOR_RETENTION_SWEEP_MS=500)


def log(**q):
    r = api.get("/api/v1/events?" + "&".join("%s=%s" % kv for kv in q.items()))
    assert r.status == 200, r.body
    return r.json()


def walk(limit, **q):
    """Every event from the start, a page of limit at a time."""
    got, after = [], None
    while True:
        p = log(limit=limit, **(dict(q, after=after) if after else q))
        got += p["events"]
        if not p["hasMore"]:
            return got, p["nextAfter"]
        after = p["nextAfter"]


@t.case("log: the tenant's events in order, as Socket.IO got them")
def in_order():
    global api, owner, sb, tenant, sio
    s.up()
    owner, _ = signup(s, "log@acme.test")
    api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "k"}).json()["key"], origin=False)
    tenant = s.psql("SELECT id FROM tenants WHERE name = 'Acme'")
    sio = Events(s, "waqtor:%s:*" % tenant)
    sb = api.post("/api/v1/instances", {"name": "sb", "provider": "sandbox"}).json()["id"]
    api.post("/api/v1/instances/%s/sandbox/pair" % sb)
    t.ok(wait_for(lambda: sio.of("session.status", status="ready")), "the sandbox is ready")
    for i in range(3):
        api.post("/api/v1/messages/send-text", {"instanceId": sb, "to": "+96650000000%d" % i, "text": "hi %d" % i})
    api.post("/api/v1/instances/%s/sandbox/inbound" % sb, {"from": "+966500000009", "text": "hello"})
    t.ok(wait_for(lambda: len(sio.of("message.sent", status="read")) == 3 and sio.of("message.received")),
         "messages went out, were read, and one came in")
    time.sleep(0.5)
    events, last = walk(1000)
    ids = [e["id"] for e in events]
    t.ok(ids == sorted(ids) and len(set(ids)) == len(ids), "the log is in id order, each once", ids)
    published = {e["id"]: e for _, e in sio.items}
    t.ok(len(events) >= 10 and set(published) <= set(ids), "every published event is in the log (%d)" % len(events),
         (len(events), len(published)))
    t.ok(all(published[e["id"]] == e for e in events if e["id"] in published),
         "with the very envelope Socket.IO carried")
    t.ok(all(e["tenantId"] == tenant and set(e) == {"id", "type", "tenantId", "instanceId", "ts", "data"}
             for e in events), "envelopes of ARCHITECTURE.md, all the tenant's")
    t.eq(last, ids[-1], "nextAfter is the last id")
    page = log(after=last)
    t.ok(page["events"] == [] and page["nextAfter"] == last and page["hasMore"] is False,
         "past the end: nothing, and the same place to go on from", page)


@t.case("log: pages, filters")
def paging():
    every, _ = walk(1000)
    t.eq(walk(2)[0], every, "pages of 2 give the same events")
    t.eq(log(limit=3)["hasMore"], True, "hasMore while there are more")
    sent = walk(1000, types="message.sent")[0]
    t.ok(sent and all(e["type"] == "message.sent" for e in sent) and
         len(sent) == sum(e["type"] == "message.sent" for e in every), "types= an exact type")
    msgs = walk(1000, types="message.*,session.qr")[0]
    t.eq([e["id"] for e in msgs], [e["id"] for e in every if e["type"].startswith("message.") or
                                    e["type"] == "session.qr"], "a prefix and a type together")
    other = api.post("/api/v1/instances", {"name": "sb2", "provider": "sandbox"}).json()["id"]
    api.post("/api/v1/instances/%s/sandbox/pair" % other)
    t.ok(wait_for(lambda: sio.of("session.status", instanceId=other, status="ready")), "a second instance")
    mine = walk(1000, instanceId=other)[0]
    t.ok(mine and all(e["instanceId"] == other for e in mine), "instanceId= only its events")
    t.eq(walk(1000, instanceId=sb)[0], [e for e in walk(1000)[0] if e["instanceId"] == sb],
         "and the other's")


@t.case("log: an event that commits late is not skipped by a client following the ids")
def horizon():
    _, cursor = walk(1000)
    psql = subprocess.Popen([os.path.join(pg_bindir(s.path("pg", "data")), "psql"), "-X", "-q", "-h",
                             s.path("pg", "sock"), "-U", "waqtor", "-d", "waqtor"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # a transaction that wrote an event and has not committed yet
    psql.stdin.write("BEGIN; SELECT count(*) FROM waqtor_emit('[{\"type\":\"session.stats\",\"tenantId\":\"%s\","
                     "\"data\":{\"late\":true}}]'); SELECT pg_sleep(0.1); \\echo held\n" % tenant)
    psql.stdin.flush()
    t.ok(wait_for(lambda: "held" in psql.stdout.readline(), 10), "a transaction holds an event")
    api.post("/api/v1/messages/send-text", {"instanceId": sb, "to": "+966500000001", "text": "after it"})
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM events WHERE type = 'message.sent' AND data->>'chatId' "
                                 "= '966500000001@c.us' AND data->>'status' = 'read'") >= "2"),
         "later events commit meanwhile")
    early = log(after=cursor)
    t.eq(early["events"], [], "the log stops short of the running transaction", early)
    psql.stdin.write("COMMIT;\n\\q\n")
    psql.stdin.flush()
    psql.wait(10)
    late = walk(1000, after=cursor)[0]
    t.ok(late and late[0]["data"] == {"late": True} and any(e["type"] == "message.sent" for e in late),
         "once it commits, its event comes first and the later ones follow", late[:2])


@t.case("log: what was rolled back was never logged")
def atomic():
    before = s.psql("SELECT count(*) FROM events")
    r = api.post("/api/v1/smartbot/rules", {"name": "x", "keywords": ["a"], "replies": [], "match": "exact"})
    t.eq(r.status, 400, "a rule the API refuses", r.body)
    t.eq(s.psql("SELECT count(*) FROM events"), before, "leaves no smartbot.rule-updated behind")
    r = api.post("/api/v1/smartbot/rules", {"name": "x", "keywords": ["a"], "replies": [{"text": "b"}],
                                            "match": "exact"})
    t.eq(r.status, 201, "one it takes", r.body)
    t.ok(wait_for(lambda: walk(1000, types="smartbot.rule-updated")[0]), "is in the log")


@t.case("log: another tenant sees none of it; bad queries are refused")
def tenants():
    other, _ = signup(s, "log@other.test", tenant="Other")
    theirs = other.get("/api/v1/events")
    t.ok(theirs.status == 200 and all(e["tenantId"] != tenant for e in theirs.json()["events"]),
         "another tenant's log has none of Acme's", theirs.body)
    t.ok(other.get("/api/v1/events?instanceId=" + sb).json()["events"] == [],
         "nor through Acme's instance id")
    for q, field in [("after=evt_xyz", "after"), ("after=" + "evt_" + "A" * 32, "after"),
                     ("after=" + "evt_" + "0" * 33, "after"), ("types=nope.*", "types"),
                     ("types=message.sent,", "types"), ("types=" + ",".join(["*"] * 21), "types"),
                     ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=1e3", "limit"),
                     ("instanceId=x", "instanceId"), ("after=%00", "after")]:
        r = api.get("/api/v1/events?" + q)
        t.ok(r.status == 400 and field in (r.json()["error"].get("details") or {}),
             "%s: 400 naming %s" % (q, field), r.body)
    t.eq(Client(s).get("/api/v1/events").status, 401, "no credential: 401")
    plain = api.get("/api/v1/events?limit=5").json()
    extra = api.get("/api/v1/events?limit=5&=null&utm_source=x&limit2=0")
    t.ok(extra.status == 200 and extra.json() == plain,
         "parameters the operation does not define are ignored (docs/openapi.yaml)", extra.body)
    spec = open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "openapi.yaml")).read()
    enum = spec[spec.index("operationId: listEvents"):].split("enum: [", 1)[1].split("]", 1)[0]
    types = [x.strip().strip('"') for x in enum.split(",")]
    t.ok(len(types) > 10 and all(api.get("/api/v1/events?types=" + x).status == 200 for x in types),
         "every filter docs/openapi.yaml lists is taken", types)


@t.case("log: retention drops whole days, the days ahead are made; old deliveries are deleted")
def retention():
    old = time.strftime("%Y%m%d", time.gmtime(time.time() - 9 * 86400))
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 9 * 86400))
    s.psql("CREATE TABLE events_%s PARTITION OF events FOR VALUES FROM ('%s 00:00+00') TO ('%s 00:00+00') ; "
           "INSERT INTO events (id, tenant_id, type, ts, data) VALUES ('evt_%s', '%s', 'session.stats', "
           "'%s 12:00+00', '{}')" % (old, day, time.strftime("%Y-%m-%d", time.gmtime(time.time() - 8 * 86400)),
                                     "0" * 32, tenant, day))
    s.psql("INSERT INTO events_default (id, tenant_id, type, ts, data) VALUES ('evt_%s', '%s', 'session.stats', "
           "now() - interval '30 days', '{}')" % ("0" * 31 + "1", tenant))
    t.ok(wait_for(lambda: s.psql("SELECT to_regclass('events_%s') IS NULL" % old) == "t", 15),
         "a partition past the 7 days is dropped by the engine")
    t.eq(s.psql("SELECT count(*) FROM events WHERE ts < now() - interval '8 days'"), "0",
         "and what reached the default partition is deleted")
    ahead = time.strftime("%Y%m%d", time.gmtime(time.time() + 2 * 86400))
    t.eq(s.psql("SELECT to_regclass('events_%s') IS NOT NULL" % ahead), "t",
         "the partitions of the days ahead exist")
    s.psql("INSERT INTO webhook_deliveries (endpoint_id, event_id, event_ts, tenant_id, event_type, status) "
           "VALUES (gen_random_uuid(), 'evt_%s', now() - interval '8 days', '%s', 'session.stats', 'delivered')"
           % ("0" * 31 + "2", tenant))
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM webhook_deliveries WHERE event_ts < now() - "
                                 "interval '7 days'") == "0", 15), "a delivery past the 7 days is deleted")
    t.ok(walk(1000)[0], "today's events stay")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
