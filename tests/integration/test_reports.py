"""Reports from the hourly rollups equal a brute-force recount over the
messages: sends, receipts (also out of order, and after the report's
hour), failures, inbound messages, replies, SmartBot answers, unique
contacts and the average times to delivered and read; before and after
the engine folds the deltas. Daily buckets follow the tenant's time zone
across a DST change; every report also answers CSV; bad input, another
tenant's campaign and the free plan are refused."""
import csv
import io
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import SRC, Client, Stack, Tap, err, signup, wait_for  # noqa: E402

t = Tap()
s = Stack(t, WAQTOR_RATE_FREE=100000, WAQTOR_RATE_PRO=100000)
v = {}
PRO = "UPDATE tenants SET plan = 'pro', plan_expires_at = now() + interval '1 year' WHERE id = '%s'"
FIGURES = ["sent", "delivered", "read", "failed", "pending", "inbound", "uniqueContacts", "replied",
           "replyRate", "smartbotReplies", "avgDeliveredMs", "avgReadMs"]


def recount(where="true"):
    """The figures, counted over the messages themselves."""
    row = s.psql("""
        WITH m AS (SELECT * FROM messages WHERE tenant_id = '%s' AND (%s))
        SELECT (SELECT count(*) FROM m WHERE direction = 'out' AND status IN ('sent', 'delivered', 'read')),
               (SELECT count(*) FROM m WHERE direction = 'out' AND status IN ('delivered', 'read')),
               (SELECT count(*) FROM m WHERE direction = 'out' AND status = 'read'),
               (SELECT count(*) FROM m WHERE direction = 'out' AND status = 'failed'),
               (SELECT count(*) FROM m WHERE direction = 'out' AND status = 'pending'),
               (SELECT count(*) FROM m WHERE direction = 'in'),
               (SELECT count(DISTINCT chat_id) FROM m),
               (SELECT count(*) FROM m WHERE direction = 'out' AND replied_at IS NOT NULL),
               (SELECT count(*) FROM smartbot_replies b WHERE b.tenant_id = '%s' AND b.inbound_id IN
                   (SELECT id FROM m)),
               (SELECT COALESCE(sum(GREATEST(0, (EXTRACT(epoch FROM delivered_at - sent_at) * 1000)::bigint)), 0)
                   || '/' || count(*) FROM m WHERE delivered_at IS NOT NULL AND sent_at IS NOT NULL),
               (SELECT COALESCE(sum(GREATEST(0, (EXTRACT(epoch FROM read_at - sent_at) * 1000)::bigint)), 0)
                   || '/' || count(*) FROM m WHERE read_at IS NOT NULL AND sent_at IS NOT NULL)
    """ % (v["tenant"], where, v["tenant"])).split("|")
    n = [int(x) for x in row[:9]]
    out = dict(zip(["sent", "delivered", "read", "failed", "pending", "inbound", "uniqueContacts", "replied",
                    "smartbotReplies"], n))
    out["replyRate"] = round(out["replied"] / out["sent"], 4) if out["sent"] else 0
    for k, x in (("avgDeliveredMs", row[9]), ("avgReadMs", row[10])):
        total, cnt = (int(y) for y in x.split("/"))
        out[k] = total // cnt if cnt else None
    return out


def figures(d):
    return {k: d[k] for k in FIGURES}


def summary(c=None, **q):
    qs = "&".join("%s=%s" % kv for kv in q.items())
    return (c or v["api"]).get("/api/v1/reports/summary" + ("?" + qs if qs else ""))


def settled():
    return s.psql("SELECT count(*) FROM messages WHERE tenant_id = '%s' AND direction = 'out' AND "
                  "(status IN ('pending', 'sent') OR (status = 'delivered' AND read_at IS NULL)) AND chat_id NOT LIKE '4915%%'"
                  % v["tenant"]) == "0"


@t.case("a pro tenant with a sandbox instance and a SmartBot rule")
def _():
    s.up()
    owner, b = signup(s, "rep@reports.test", tenant="Reports")
    v["tenant"] = b["tenant"]["id"]
    s.psql(PRO % v["tenant"])
    v["api"] = api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "k"}).json()["key"])
    v["sb"] = api.post("/api/v1/instances", {"name": "sb", "provider": "sandbox", "config": {
        "autoPairSeconds": 0, "deliveryLatencyMs": 50, "readLatencyMs": 150}}).json()["id"]
    t.ok(wait_for(lambda: api.get("/api/v1/instances/" + v["sb"]).json()["status"] == "ready"), "ready")
    r = api.post("/api/v1/smartbot/rules", {"name": "hi", "keywords": ["hello"], "replies": [{"text": "Hi!"}],
                                            "match": "exact"})
    t.eq(r.status, 201, "a SmartBot rule", r.body)
    api.patch("/api/v1/settings", {"smartbot": {"handover_minutes": 0}})  # it answers after our sends too
    v["other"], ob = signup(s, "other@reports.test", tenant="Other")
    s.psql(PRO % ob["tenant"]["id"])


@t.case("sends, failures, receipts, inbound answers and SmartBot: the summary equals a recount")
def _():
    api = v["api"]
    codes = [api.post("/api/v1/messages/send-text", {"instanceId": v["sb"], "to": to, "text": "m"}).status
             for to in ["+1650555%04d" % (i % 8) for i in range(12)] + ["+99900055%04d" % i for i in range(3)]]
    t.eq(set(codes), {202}, "15 sends to 11 numbers, 3 of them undeliverable")
    t.ok(wait_for(settled, 20), "every send is read or failed")
    for i, text in enumerate(["thanks", "hello", "hello", "ok"]):
        api.post("/api/v1/instances/%s/sandbox/inbound" % v["sb"], {"from": "1650555%04d" % i, "text": text})
    api.post("/api/v1/instances/%s/sandbox/inbound" % v["sb"], {"from": "4477001234", "text": "a stranger"})
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM smartbot_replies") == "2"), "SmartBot answers twice")
    t.ok(wait_for(settled, 20), "its answers are read too")
    want = recount()
    t.ok(want["replied"] >= 3 and want["failed"] == 3 and want["smartbotReplies"] == 2 and want["inbound"] == 5,
         "the recount sees replies, failures, SmartBot answers and inbound messages", want)
    r = summary()
    t.eq(r.status, 200, "summary", r.body)
    t.eq(figures(r.json()), want, "the summary equals the recount (deltas not yet folded, or some)")
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM report_deltas") == "0", 10), "the engine folds the deltas")
    t.eq(figures(summary().json()), want, "and still equals it from the rollups alone")
    sent = recount("instance_id = '%s'" % v["sb"])
    t.eq(figures(summary(instanceId=v["sb"]).json()), sent, "narrowed to the instance")
    none = figures(summary(instanceId="00000000-0000-4000-8000-000000000000").json())
    t.ok(none["sent"] == 0 and none["uniqueContacts"] == 0 and none["avgReadMs"] is None, "another instance: nothing",
         none)


@t.case("receipts after the report's hour and out of order move the hour the message was sent in")
def _():
    tenant, sb = v["tenant"], v["sb"]
    ids = s.psql("""INSERT INTO messages (tenant_id, instance_id, direction, chat_id, type, status, sent_at, created_at)
        SELECT '%s', '%s', 'out', '4915' || g || '@c.us', 'text', 'sent', now() - interval '3 hours',
        now() - interval '3 hours' FROM generate_series(1, 4) g RETURNING id""" % (tenant, sb)).split("\n")
    hour = s.psql("SELECT to_char(date_trunc('hour', now() - interval '3 hours') AT TIME ZONE 'UTC', "
                  "'YYYY-MM-DD\"T\"HH24:00:00Z')")
    # the engine's receipt statement (engine/inbound.c): only forward
    apply = """UPDATE messages SET status = '{st}', delivered_at = CASE WHEN '{st}' IN ('delivered', 'read') THEN
        COALESCE(delivered_at, now()) ELSE delivered_at END, read_at = CASE WHEN '{st}' = 'read' THEN now()
        ELSE read_at END WHERE id = '{id}' AND status_rank('{st}') > status_rank(status)"""
    for mid, seq in zip(ids, (["delivered", "read"], ["read", "delivered"], ["delivered"], ["failed"])):
        for st in seq:
            s.psql(apply.format(st=st, id=mid))
    where = "created_at >= '%s' AND created_at < '%s'::timestamptz + interval '1 hour'" % (hour, hour)
    want = recount(where)
    t.ok(want["read"] == 2 and want["delivered"] == 3 and want["sent"] == 3 and want["failed"] == 1,
         "read before delivered stays read; the recount", want)
    got = summary(**{"from": hour, "to": hour.replace(":00:00Z", ":59:59Z")}).json()
    t.eq(figures(got), want, "the summary of that hour equals the recount")


@t.case("days of the tenant's time zone across the end of daylight saving time")
def _():
    api, tenant, sb = v["api"], v["tenant"], v["sb"]
    r = api.patch("/api/v1/settings", {"general": {"time_zone": "America/New_York"}})
    t.eq(r.status, 200, "time zone America/New_York", r.body)
    # New York leaves DST at 2026-11-01 06:00Z: Nov 1 is 25 hours long
    for ts, n in (("2026-10-31T12:00:00Z", 1), ("2026-11-01T04:30:00Z", 2), ("2026-11-01T05:30:00Z", 3),
                  ("2026-11-01T06:30:00Z", 4), ("2026-11-02T04:30:00Z", 5), ("2026-11-02T05:30:00Z", 6)):
        s.psql("""INSERT INTO messages (tenant_id, instance_id, direction, chat_id, type, status, created_at)
            SELECT '%s', '%s', 'in', 'dst' || g || '@c.us', 'text', 'received', '%s' FROM generate_series(1, %d) g"""
               % (tenant, sb, ts, n))
    r = api.get("/api/v1/reports/timeseries?bucket=day&from=2026-10-31T00:00:00-04:00&to=2026-11-03T00:00:00-05:00")
    t.eq(r.status, 200, "daily series", r.body)
    pts = r.json()["points"]
    t.eq([(p["local"], p["inbound"]) for p in pts],
         [("2026-10-31T00:00:00-04:00", 1), ("2026-11-01T00:00:00-04:00", 2 + 3 + 4 + 5),
          ("2026-11-02T00:00:00-05:00", 6)], "each local day, the 25-hour one included", pts)
    t.eq(r.json()["timeZone"], "America/New_York", "named")
    r = api.get("/api/v1/reports/timeseries?bucket=hour&from=2026-11-01T04:00:00Z&to=2026-11-01T07:00:00Z")
    pts = r.json()["points"]
    t.eq([(p["local"], p["inbound"]) for p in pts],
         [("2026-11-01T00:00:00-04:00", 2), ("2026-11-01T01:00:00-04:00", 3), ("2026-11-01T01:00:00-05:00", 4)],
         "hours: 01:00 twice, told apart by their offsets", pts)
    r = api.get("/api/v1/reports/timeseries?bucket=day&from=2026-10-31T00:00:00-04:00&to=2026-11-03T00:00:00-05:00",
                headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(r.body.decode())))
    t.ok(r.status == 200 and r.header("Content-Type").startswith("text/csv") and
         rows[0] == ["start", "local"] + FIGURES and len(rows) == 4 and rows[2][1] == "2026-11-01T00:00:00-04:00" and
         rows[2][FIGURES.index("inbound") + 2] == "14", "as CSV", r.body[:400])
    api.patch("/api/v1/settings", {"general": {"time_zone": "UTC"}})


@t.case("a campaign's funnel, failures by error code and hours")
def _():
    api = v["api"]
    rec = ["+1650777%04d" % i for i in range(6)] + ["+99900077%04d" % i for i in range(2)]
    r = api.post("/api/v1/campaigns", {"name": "Funnel", "instanceId": v["sb"], "recipients": rec,
                                       "message": {"text": "hi"}, "start": True})
    cid = v["campaign"] = r.json()["id"]
    t.ok(wait_for(lambda: api.get("/api/v1/campaigns/" + cid).json()["status"] == "completed", 20), "it completes")
    t.ok(wait_for(settled, 20), "its receipts are in")
    api.post("/api/v1/instances/%s/sandbox/inbound" % v["sb"], {"from": "16507770001", "text": "stop it? no, thanks"})
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE campaign_id = '%s' AND replied_at IS NOT "
                                 "NULL" % cid) == "1"), "one recipient answers")
    r = api.get("/api/v1/reports/campaigns/" + cid)
    t.eq(r.status, 200, "the campaign report", r.body)
    j = r.json()
    want = recount("campaign_id = '%s'" % cid)
    t.eq(figures(j["funnel"]), want, "its funnel equals the recount")
    t.ok(j["funnel"]["recipients"] == 8 and j["campaign"]["name"] == "Funnel", "with its recipients", j["campaign"])
    t.eq(j["failuresByCode"], [{"code": "131026", "count": 2}], "failures by error code")
    t.eq(sum(h["sent"] for h in j["hours"]), want["sent"], "its hours add up")
    r = api.get("/api/v1/reports/campaigns/" + cid, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(r.body.decode())))
    t.ok(r.status == 200 and rows[0][:2] == ["start", "local"] and len(rows) == 1 + len(j["hours"]), "as CSV",
         r.body[:300])
    t.eq(v["other"].get("/api/v1/reports/campaigns/" + cid).status, 404, "another tenant's campaign: 404")
    r = summary(v["other"])
    t.ok(r.status == 200 and r.json()["sent"] == 0 and r.json()["inbound"] == 0, "another tenant's summary: its own",
         r.body)
    r = api.get("/api/v1/reports/summary", headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(r.body.decode())))
    t.ok(rows[0] == ["from", "to", "instanceId", "campaignId"] + FIGURES and len(rows) == 2, "the summary as CSV",
         r.body[:300])


@t.case("the migrations' backfill builds the same rollups from the messages already stored")
def _():
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM report_deltas") == "0", 10), "every delta folded")
    scopes = ({}, {"instanceId": v["sb"]}, {"campaignId": v["campaign"]})
    before = [figures(summary(**q).json()) for q in scopes]
    stmts = []
    for name, table in (("015_reports.sql", "report_hours"), ("016_report_scopes.sql", "report_scope_hours")):
        text = open(os.path.join(SRC, "sql", name)).read()
        i = text.index("INSERT INTO %s SELECT" % table)
        stmts.append(text[i:text.index(";\n", i) + 1])
    s.psql("BEGIN; DELETE FROM report_hours; DELETE FROM report_scope_hours; %s COMMIT" % " ".join(stmts))
    # (the backfill cannot know which answers and SmartBot replies came before it)
    later = ("replied", "replyRate", "smartbotReplies")
    for q, want in zip(scopes, before):
        got = figures(summary(**q).json())
        t.eq({k: x for k, x in got.items() if k not in later}, {k: x for k, x in want.items() if k not in later},
             "the same figures %s" % (q or "for the tenant"))


@t.case("bad input, and the free plan")
def _():
    api = v["api"]
    for q in ("from=yesterday", "to=2026-13-01T00:00:00Z", "from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z",
              "from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "instanceId=x", "campaignId=1"):
        r = api.get("/api/v1/reports/summary?" + q)
        t.eq((r.status, err(r)), (400, "validation_failed"), "summary?%s: 400" % q, r.body)
    for q in ("bucket=week", "bucket=hour&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z"):
        r = api.get("/api/v1/reports/timeseries?" + q)
        t.eq((r.status, err(r)), (400, "validation_failed"), "timeseries?%s: 400" % q, r.body)
    t.eq(api.get("/api/v1/reports/campaigns/nope").status, 404, "a malformed campaign id: 404")
    t.eq(api.get("/api/v1/reports/campaigns/" + "0" * 8 + "-0000-4000-8000-" + "0" * 12).status, 404, "unknown: 404")
    s.psql("UPDATE tenants SET plan = 'free' WHERE id = '%s'" % v["tenant"])
    t.eq(api.get("/api/v1/reports/timeseries").status, 402, "the free plan: 402")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
