"""Outbound webhook endpoints through nginx on a real stack: CRUD by
admins, the secret shown once (at creation and rotation) and never again,
nor a custom header's value; URLs checked by libcurl's parser (https,
no credentials, no literal non-public address unless the operator allows
its range); event filters; another tenant seeing none of it. (Deliveries
are built next: this is the endpoints' API.)"""
import base64
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Stack, Tap, err, signup  # noqa: E402

t = Tap()
s = Stack(t, WAQTOR_API_WORKERS=1, WAQTOR_RATE_FREE=10000000, WAQTOR_WEBHOOK_ALLOW_CIDRS="127.0.0.0/8")

SECRET = re.compile(r"^whsec_[A-Za-z0-9+/]{43}=$")


def count():
    return int(s.psql("SELECT count(*) FROM webhook_endpoints"))


@t.case("endpoints: create, read, change, rotate, delete")
def crud():
    global api, owner, wid
    s.up()
    owner, _ = signup(s, "hooks@acme.test")
    api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "k"}).json()["key"], origin=False)
    r = api.post("/api/v1/webhooks", {"url": "https://example.com/waqtor", "events": ["message.*", "campaign.completed"],
                                      "description": "CRM", "headers": {"X-Token": "receiver-secret-1"}})
    t.eq(r.status, 201, "an endpoint is created", r.body)
    w = r.json()
    wid = w["id"]
    t.ok(SECRET.match(w["secret"]) and len(base64.b64decode(w["secret"][6:])) == 32,
         "with a whsec_ secret of 32 random bytes, shown once", w)
    t.ok(w["headers"] == ["X-Token"] and w["enabled"] is True and w["disabledReason"] is None and
         sorted(w["events"]) == ["campaign.completed", "message.*"], "custom headers show their names only", w)
    g = api.get("/api/v1/webhooks/" + wid)
    t.ok(g.status == 200 and "secret" not in g.json() and b"receiver-secret-1" not in g.body and
         b"whsec_" not in g.body, "GET never shows the secret or a header's value", g.body)
    lst = api.get("/api/v1/webhooks")
    t.ok([x["id"] for x in lst.json()["webhooks"]] == [wid] and b"whsec_" not in lst.body, "nor the list")
    r = api.patch("/api/v1/webhooks/" + wid, {"enabled": False, "events": []})
    t.ok(r.status == 200 and r.json()["enabled"] is False and r.json()["events"] == [] and
         r.json()["url"] == "https://example.com/waqtor", "PATCH changes what it sends", r.body)
    old = s.psql("SELECT secret FROM webhook_endpoints WHERE id = '%s'" % wid)
    r = api.post("/api/v1/webhooks/%s/rotate-secret" % wid)
    t.ok(r.status == 200 and SECRET.match(r.json()["secret"]) and r.json()["secret"] != w["secret"] and
         r.json()["previousSecretUntil"] is not None, "rotation: a new secret, the previous one for 24 hours",
         r.body)
    t.eq(s.psql("SELECT previous_secret = '%s' AND previous_until > now() + interval '23 hours' FROM "
                "webhook_endpoints WHERE id = '%s'" % (old, wid)), "t", "the previous one is kept until then")
    t.ok(s.psql("SELECT count(*) FROM audit_log WHERE action LIKE 'webhook.%'") == "3" and
         "whsec_" not in s.psql("SELECT string_agg(details::text, ' ') FROM audit_log"),
         "each change is audited, no secret in the log")
    logs = "".join(open(os.path.join(s.path("log"), f), errors="replace").read()
                   for f in os.listdir(s.path("log")))
    t.ok(w["secret"] not in logs and r.json()["secret"] not in logs and "receiver-secret-1" not in logs,
         "no secret in any log (ours, PostgreSQL's, nginx's)")
    t.eq(api.delete("/api/v1/webhooks/" + wid).status, 204, "DELETE")
    t.eq(api.get("/api/v1/webhooks/" + wid).status, 404, "then it is gone")
    t.eq(api.post("/api/v1/webhooks/%s/rotate-secret" % wid).status, 404, "and has no secret to rotate")


@t.case("endpoints: bad input is refused and changes nothing")
def bad_input():
    before = count()
    for body, field in [
        ({"url": "http://example.com/x"}, "url"),          # https only by default
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "example.com/x"}, "url"),
        ({"url": "https://user:pw@example.com/x"}, "url"),
        ({"url": "https://10.0.0.5/x"}, "url"),
        ({"url": "https://169.254.169.254/latest/meta-data"}, "url"),
        ({"url": "https://[::1]/x"}, "url"),
        ({"url": "https://[::ffff:10.0.0.1]/x"}, "url"),
        ({"url": "https://192.168.1.1:8443/x"}, "url"),
        ({"url": "https://exa mple.com/x"}, "url"),
        ({"url": "https://example.com/x", "events": ["engine.heartbeat"]}, "events"),
        ({"url": "https://example.com/x", "events": ["bogus.*"]}, "events"),
        ({"url": "https://example.com/x", "events": ["message"]}, "events"),
        ({"url": "https://example.com/x", "headers": {"Webhook-Signature": "x"}}, "headers"),
        ({"url": "https://example.com/x", "headers": {"Content-Type": "text/plain"}}, "headers"),
        ({"url": "https://example.com/x", "headers": {"X-A": "a\r\nX-B: b"}}, "headers"),
        ({"url": "https://example.com/x", "headers": {"X A": "a"}}, "headers"),
        ({"url": "https://example.com/x", "headers": {"X-A": 5}}, "headers"),
        ({"url": "https://example.com/x", "headers": {"X-%d" % i: "v" for i in range(11)}}, "headers"),
        ({"url": "https://example.com/x", "secret": "whsec_mine"}, "secret"),
        ({"url": "https://example.com/x", "enabled": "yes"}, "enabled"),
        ({}, "url"),
    ]:
        r = api.post("/api/v1/webhooks", body)
        t.ok(r.status == 400 and field in r.json()["error"]["details"], "%s is refused (%s)" % (body, field),
             r.body)
    t.eq(count(), before, "none of them made an endpoint")
    r = api.post("/api/v1/webhooks", {"url": "https://127.0.0.1:9/hook"})
    t.eq(r.status, 201, "a range the operator allows (WAQTOR_WEBHOOK_ALLOW_CIDRS) is taken")
    for i in range(19):
        api.post("/api/v1/webhooks", {"url": "https://example.com/%d" % i})
    r = api.post("/api/v1/webhooks", {"url": "https://example.com/21"})
    t.ok(r.status == 422 and err(r) == "too_many_webhooks", "at most 20 endpoints", r.body)
    member = s.ctl("user", "create", "--tenant", s.psql("SELECT id FROM tenants WHERE name = 'Acme'"), "--email",
                   "mia@acme.test", "--name", "Mia", "--role", "member", input="member pass 12\n")
    t.eq(member.returncode, 0, "a member joins", member.stderr)
    mia = Client(s)
    mia.post("/api/v1/auth/login", {"email": "mia@acme.test", "password": "member pass 12"})
    t.eq(mia.get("/api/v1/webhooks").status, 403, "members do not manage webhooks")


@t.case("another tenant sees none of it")
def tenants():
    other, _ = signup(s, "hooks@other.test", tenant="Other")
    b = Client(s, key=other.post("/api/v1/api-keys", {"name": "k"}).json()["key"], origin=False)
    t.eq(b.get("/api/v1/webhooks").json(), {"webhooks": []}, "its list is empty")
    mine = api.get("/api/v1/webhooks").json()["webhooks"][0]["id"]
    for method, path in [("GET", "/api/v1/webhooks/" + mine), ("DELETE", "/api/v1/webhooks/" + mine),
                         ("POST", "/api/v1/webhooks/%s/rotate-secret" % mine)]:
        t.eq(b.call(method, path).status, 404, "%s %s is 404 to B" % (method, path.split(mine)[1] or "it"))
    t.eq(b.call("PATCH", "/api/v1/webhooks/" + mine, body={"enabled": False}).status, 404, "PATCH is 404 to B")
    t.eq(api.get("/api/v1/webhooks/" + mine).json()["enabled"], True, "A's endpoint is untouched")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
