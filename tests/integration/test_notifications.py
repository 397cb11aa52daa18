"""The notification center: each source makes one notification per member
whose role hears of its kind (campaign completed, failed and auto-paused,
a session lost, a plan limit reached, a subscription ending and ended),
debounced per cause; each is its own notification.new event for that user;
the API lists, counts, marks read, deletes and sets preferences for the
caller's own notifications only; old ones are deleted after their
retention. (Webhook endpoint failures and auth_failure are checked where
they arise: test_deliveries.py, test_messaging.py.)"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Events, Stack, Tap, err, holds, signup, wait_for  # noqa: E402

t = Tap()
s = Stack(t, WAQTOR_RETENTION_SWEEP_MS=300, WAQTOR_QUOTA_INSTANCES="3,3,100", WAQTOR_QUOTA_MEMBERS="5,5,5",
          WAQTOR_CAMPAIGN_FAILURE_WINDOW=4, WAQTOR_CAMPAIGN_FAILURE_PERCENT=50,
          WAQTOR_RATE_FREE=100000, WAQTOR_RATE_PRO=100000)
v = {}
PRO = "UPDATE tenants SET plan = 'pro', plan_expires_at = now() + interval '1 year' WHERE id = '%s'"


def notes(c, **q):
    qs = "&".join("%s=%s" % kv for kv in q.items())
    r = c.get("/api/v1/notifications" + ("?" + qs if qs else ""))
    assert r.status == 200, r.body
    return r.json()


def kinds(c, kind, **about):
    """The caller's notifications of kind about these data values."""
    return [n for n in notes(c, limit=100)["notifications"] if n["kind"] == kind and
            all(n["data"].get(k) == x for k, x in about.items())]


def users():
    return {"owner": v["ann"], "admin": v["ada"], "member": v["mia"]}


def heard(kind, **about):
    """Which of the tenant's users have a notification of kind."""
    return sorted(name for name, c in users().items() if kinds(c, kind, **about))


def join(role, email, name):
    r = v["ann"].post("/api/v1/members", {"email": email, "role": role})
    c = Client(s)
    r = c.post("/api/v1/invitations/accept", {"token": r.json()["token"], "name": name,
                                              "password": "a good password 1"})
    assert r.status == 201, r.body
    return c, r.json()["user"]["id"]


def campaign(name, recipients):
    r = v["ann"].post("/api/v1/campaigns", {"name": name, "instanceId": v["sb"], "recipients": recipients,
                                            "message": {"text": "hello"}, "start": True})
    assert r.status == 201, r.body
    return r.json()["id"]


def status_is(cid, *want):
    return lambda: v["ann"].get("/api/v1/campaigns/" + cid).json().get("status") in want


@t.case("a tenant with an owner, an admin and a member; another tenant")
def _():
    s.up()
    v["ann"], b = signup(s, "ann@notes.test", tenant="Notes")
    v["tenant"], v["ann_id"] = b["tenant"]["id"], b["user"]["id"]
    s.psql(PRO % v["tenant"])  # campaigns need a plan
    v["ada"], v["ada_id"] = join("admin", "ada@notes.test", "Ada")
    v["mia"], v["mia_id"] = join("member", "mia@notes.test", "Mia")
    v["bob"], bob = signup(s, "bob@other.test", tenant="Other")
    v["bob_tenant"] = bob["tenant"]["id"]
    v["ev"] = Events(s, "waqtor:%s:*" % v["tenant"])
    v["sb"] = v["ann"].post("/api/v1/instances", {"name": "sb", "provider": "sandbox"}).json()["id"]
    v["ann"].post("/api/v1/instances/%s/sandbox/pair" % v["sb"])
    t.ok(wait_for(lambda: v["ann"].get("/api/v1/instances/" + v["sb"]).json()["status"] == "ready"),
         "a sandbox instance is ready")
    t.eq(notes(v["ann"]), {"notifications": [], "nextCursor": None, "unread": 0}, "nothing to read yet")


@t.case("a campaign that completes, one that fails and one auto-paused notify every member")
def _():
    done = campaign("Done", ["+1650555%04d" % i for i in range(2)])
    t.ok(wait_for(lambda: heard("campaign.completed", campaignId=done) == ["admin", "member", "owner"]),
         "completed: owner, admin and member each get one", heard("campaign.completed"))
    n = kinds(v["mia"], "campaign.completed", campaignId=done)[0]
    t.ok(n["type"] == "success" and n["title"] == "Campaign completed" and "2 sent" in n["message"] and
         n["link"] == "/campaigns/" + done and n["read"] is False and n["userId"] == v["mia_id"] and
         n["icon"].startswith("pi "), "the seed's shape: type, title, message, icon, link, read", n)
    failed = campaign("Failed", ["+999000%05d" % i for i in range(3)])
    t.ok(wait_for(lambda: heard("campaign.failed", campaignId=failed) == ["admin", "member", "owner"]),
         "failed: each member is told", heard("campaign.failed"))
    t.eq(kinds(v["ann"], "campaign.failed", campaignId=failed)[0]["type"], "error", "as an error")
    paused = campaign("Paused", ["+999000%05d" % i for i in range(100, 130)])
    t.ok(wait_for(status_is(paused, "paused")), "too many failures pause a campaign")
    t.ok(wait_for(lambda: heard("campaign.paused", campaignId=paused) == ["admin", "member", "owner"]),
         "paused: each member is told", heard("campaign.paused"))
    evs = [e for e in v["ev"].of("notification.new") if e["data"]["data"].get("campaignId") == done]
    t.ok(sorted(e["data"]["userId"] for e in evs) == sorted([v["ann_id"], v["ada_id"], v["mia_id"]]) and
         all(e["id"].startswith("evt_") for e in evs),
         "each notification is its own notification.new event, for its user", [e["data"] for e in evs])
    other = Events(s, "waqtor:%s:*" % v["bob_tenant"])
    t.ok(holds(lambda: not other.of("notification.new"), 0.5), "no event on another tenant's channels")
    other.close()


@t.case("a session lost without a logout notifies once per hour; a logout does not")
def _():
    sb = v["sb"]
    r = v["ann"].post("/api/v1/instances/%s/sandbox/unlink" % sb)
    t.eq(r.status, 202, "the sandbox phone unlinks the device", r.body)
    t.ok(wait_for(lambda: heard("instance.disconnected", instanceId=sb) == ["admin", "member", "owner"]),
         "instance.disconnected for each member", heard("instance.disconnected"))
    t.eq(v["ann"].get("/api/v1/instances/" + sb).json()["status"], "qr", "and it shows a new QR")
    v["ann"].post("/api/v1/instances/%s/sandbox/pair" % sb)
    t.ok(wait_for(lambda: v["ann"].get("/api/v1/instances/" + sb).json()["status"] == "ready"), "paired again")
    v["ann"].post("/api/v1/instances/%s/sandbox/unlink" % sb)
    t.ok(wait_for(lambda: v["ann"].get("/api/v1/instances/" + sb).json()["status"] == "qr"), "unlinked again")
    t.ok(holds(lambda: len(kinds(v["ann"], "instance.disconnected")) == 1, 1.0),
         "the same cause within the hour: no second notification")
    v["ann"].post("/api/v1/instances/%s/sandbox/pair" % sb)
    t.ok(wait_for(lambda: v["ann"].get("/api/v1/instances/" + sb).json()["status"] == "ready"), "paired again")
    s.psql("DELETE FROM notification_causes WHERE cause LIKE 'instance.disconnected:%'")
    r = v["ann"].post("/api/v1/instances/%s/logout" % sb)
    t.ok(wait_for(lambda: v["ann"].get("/api/v1/instances/" + sb).json()["status"] == "disconnected"),
         "logged out")
    t.ok(holds(lambda: len(kinds(v["ann"], "instance.disconnected")) == 1, 1.0), "a logout is no news")
    v["ann"].post("/api/v1/instances/%s/sandbox/pair" % sb)
    t.eq(v["ann"].post("/api/v1/instances/2b1e3f0c-5d6a-4e7b-8c9d-0a1b2c3d4e5f/sandbox/unlink").status, 404,
         "an unknown instance: 404")


@t.case("a plan limit reached tells the admins, once a day")
def _():
    ids = [v["ann"].post("/api/v1/instances", {"name": "q%d" % i, "provider": "sandbox"}).json()["id"]
           for i in range(2)]
    t.ok(wait_for(lambda: heard("quota.reached", limit="instances") == ["admin", "owner"]),
         "the third of three instances: owner and admin are told, the member is not",
         heard("quota.reached"))
    n = kinds(v["ada"], "quota.reached")[0]
    t.ok("3 instances" in n["message"] and n["link"] == "/subscription", "naming the limit", n)
    v["ann"].delete("/api/v1/instances/" + ids[1])
    v["ann"].post("/api/v1/instances", {"name": "q9", "provider": "sandbox"})
    t.ok(holds(lambda: len(kinds(v["ann"], "quota.reached")) == 1, 0.5), "reached again the same day: no repeat")


@t.case("a subscription ending in 7 days, in 1 day, and ended: the owner is told once each")
def _():
    def expire(sql):
        s.psql("UPDATE tenants SET plan = 'pro', plan_expires_at = %s WHERE id = '%s'" % (sql, v["tenant"]))

    expire("now() + interval '6 days'")
    t.ok(wait_for(lambda: heard("subscription.expiring") == ["owner"]), "7 days before: the owner only",
         heard("subscription.expiring"))
    t.ok(holds(lambda: len(kinds(v["ann"], "subscription.expiring")) == 1, 1.0), "once, though the sweep runs on")
    expire("plan_expires_at - interval '5 days 12 hours'")
    t.ok(wait_for(lambda: len(kinds(v["ann"], "subscription.expiring")) == 2), "a day before: again")
    t.ok("less than a day" in kinds(v["ann"], "subscription.expiring")[0]["message"], "saying so",
         kinds(v["ann"], "subscription.expiring")[0])
    expire("now() - interval '1 minute'")
    t.ok(wait_for(lambda: heard("subscription.expired") == ["owner"]), "ended: the owner is told")
    t.ok(holds(lambda: len(kinds(v["ann"], "subscription.expired")) == 1, 1.0), "once")
    s.psql(PRO % v["tenant"])


@t.case("list, filter, pages, count, mark read, mark all read, delete: the caller's own only")
def _():
    ann, mia, bob = v["ann"], v["mia"], v["bob"]
    page = notes(ann)
    total = page["unread"]
    t.ok(total >= 7 and len(page["notifications"]) == min(total, 20), "the owner's unread count", total)
    seen, cursor = [], None
    while True:
        p = notes(ann, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += p["notifications"]
        cursor = p["nextCursor"]
        if not cursor:
            break
    t.eq(len(seen), total, "pages of 2 cover every one once")
    t.eq([n["createdAt"] for n in seen], sorted((n["createdAt"] for n in seen), reverse=True), "newest first")
    t.eq(len({n["id"] for n in seen}), total, "no repeats")
    t.eq(ann.get("/api/v1/notifications/count").json(), {"unread": total}, "count")
    one = seen[0]["id"]
    r = ann.post("/api/v1/notifications/mark-read/" + one)
    t.ok(r.status == 200 and r.json()["read"] is True and r.json()["readAt"], "mark one read", r.body)
    at = r.json()["readAt"]
    t.eq(ann.post("/api/v1/notifications/mark-read/" + one).json()["readAt"], at, "again: it stays as it was")
    t.eq(ann.get("/api/v1/notifications/count").json()["unread"], total - 1, "the count follows")
    unread = notes(ann, filter="unread", limit=100)["notifications"]
    t.ok(len(unread) == total - 1 and all(not n["read"] for n in unread), "filter=unread")
    t.eq(len(notes(ann, filter="all", limit=100)["notifications"]), total, "filter=all")
    theirs = notes(mia)["notifications"][0]["id"]
    for who, c in (("another user of the tenant", ann), ("another tenant", bob)):
        t.eq(c.post("/api/v1/notifications/mark-read/" + theirs).status, 404, "mark-read of %s's: 404" % who)
        t.eq(c.delete("/api/v1/notifications/" + theirs).status, 404, "delete of %s's: 404" % who)
    t.eq(notes(mia)["notifications"][0]["read"], False, "the member's is untouched")
    t.eq(ann.delete("/api/v1/notifications/" + one).status, 204, "delete one")
    t.eq(ann.delete("/api/v1/notifications/" + one).status, 404, "gone")
    r = ann.post("/api/v1/notifications/mark-all-read")
    t.eq(r.json(), {"marked": total - 1, "unread": 0}, "mark all read", r.body)
    t.eq(notes(ann, filter="unread")["notifications"], [], "none unread")
    t.ok(notes(mia)["unread"] > 0, "another user's stay unread")


@t.case("bad input and API keys")
def _():
    ann = v["ann"]
    for q in ("filter=read", "filter=", "cursor=x", "limit=0", "limit=101", "limit=1e3"):
        r = ann.get("/api/v1/notifications?" + q)
        t.eq((r.status, err(r)), (400, "validation_failed"), "?%s: 400" % q, r.body)
    for path in ("/api/v1/notifications/mark-read/nope", "/api/v1/notifications/mark-read/" + "0" * 36):
        t.eq(ann.post(path).status, 404, "%s: 404" % path[-10:])
    key = ann.post("/api/v1/api-keys", {"name": "k"}).json()["key"]
    api = Client(s, key=key)
    for m, p in (("GET", "/api/v1/notifications"), ("GET", "/api/v1/notifications/count"),
                 ("POST", "/api/v1/notifications/mark-all-read"), ("GET", "/api/v1/notifications/preferences")):
        r = api.call(m, p, body={} if m == "POST" else None)
        t.eq((r.status, err(r)), (403, "session_required"), "an API key has no inbox: %s %s" % (m, p))
    t.eq(Client(s).get("/api/v1/notifications").status, 401, "no credentials: 401")


@t.case("preferences: by role, muted kinds are not made, bad ones change nothing")
def _():
    ann, mia = v["ann"], v["mia"]
    mine = {k["kind"]: k for k in mia.get("/api/v1/notifications/preferences").json()["kinds"]}
    t.ok("campaign.completed" in mine and "subscription.expiring" not in mine and "quota.reached" not in mine,
         "a member hears of campaigns, not of the plan", sorted(mine))
    t.ok(all(k["enabled"] for k in mine.values()), "everything on at first")
    owners = {k["kind"] for k in ann.get("/api/v1/notifications/preferences").json()["kinds"]}
    t.ok({"subscription.expiring", "quota.reached", "webhook.endpoint.disabled"} <= owners, "the owner's")
    spec = open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "openapi.yaml")).read()
    spec = spec[spec.index("operationId: updateNotificationPreferences"):]
    spec = spec[spec.index("properties:", spec.index("kinds:")):spec.index("example:")]
    t.eq(set(re.findall(r"^ +([a-z_.]+): \{type: boolean\}$", spec, re.M)), owners,
         "docs/openapi.yaml names exactly the kinds there are (the owner hears of all)")
    r = mia.patch("/api/v1/notifications/preferences", {"kinds": {"campaign.completed": False}})
    got = {k["kind"]: k["enabled"] for k in r.json()["kinds"]}
    t.ok(r.status == 200 and got["campaign.completed"] is False and got["campaign.failed"] is True,
         "the member mutes campaign.completed", r.body)
    before = s.psql("SELECT notifications_muted FROM users WHERE id = '%s'" % v["mia_id"])
    for body, what in (({"kinds": {"campaign.nope": False}}, "an unknown kind"),
                       ({"kinds": {"campaign.completed": "no"}}, "a string"),
                       ({"kinds": {"campaign.completed\u0000": True}}, "a NUL in a kind"),
                       ({"kinds": []}, "an array"), ({}, "no kinds"),
                       ({"kinds": {}, "x": 1}, "an unknown field")):
        r = mia.patch("/api/v1/notifications/preferences", body)
        t.eq(r.status, 400, "%s: 400" % what, r.body)
    t.eq(s.psql("SELECT notifications_muted FROM users WHERE id = '%s'" % v["mia_id"]), before, "and nothing changed")
    t.eq(mia.patch("/api/v1/notifications/preferences", raw=b'{"kinds": {', headers={
        "Content-Type": "application/json"}).status, 400, "malformed JSON: 400")
    done = campaign("Muted", ["+16505559000"])
    t.ok(wait_for(lambda: heard("campaign.completed", campaignId=done) == ["admin", "owner"]),
         "a muted kind is not made for that user; the others get it", heard("campaign.completed", campaignId=done))
    r = mia.patch("/api/v1/notifications/preferences", {"kinds": {"campaign.completed": True}})
    t.ok({k["kind"]: k["enabled"] for k in r.json()["kinds"]}["campaign.completed"], "turned on again")


@t.case("old notifications are deleted after their retention")
def _():
    s.psql("UPDATE notifications SET created_at = now() - interval '91 days' WHERE user_id = '%s'" % v["mia_id"])
    t.ok(wait_for(lambda: notes(v["mia"])["notifications"] == []), "past 90 days: gone")
    t.ok(notes(v["ada"])["notifications"], "another user's stay")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
