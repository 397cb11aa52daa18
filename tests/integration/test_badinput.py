"""Bad input on every endpoint: each route of the route table gets malformed
JSON, wrong types, invalid UTF-8, deep nesting, a huge number, SQL
metacharacters, a wrong content type and foreign or malformed ids, as an API
key and as a session. Every answer must be a JSON error with a precise code
(never a 5xx), and none of it may change anything."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import BUILD, Client, Stack, Tap, err, signup  # noqa: E402

t = Tap()
s = Stack(t, WAQTOR_RATE_FREE=10000000, WAQTOR_RATE_ANON=10000000)

BODIES = [
    ("malformed JSON", b'{"name": ', "application/json"),
    ("a JSON array", b"[1, 2, 3]", "application/json"),
    ("invalid UTF-8", b'{"name": "\xc3\x28"}', "application/json"),
    ("deep nesting", b'{"a":' * 64 + b"1" + b"}" * 64, "application/json"),
    ("a huge number", b'{"name": 1e999999, "instanceId": 123456789012345678901234567890}', "application/json"),
    ("wrong types", b'{"name": [], "email": {}, "password": 5, "to": true, "text": null, "config": "x"}',
     "application/json"),
    ("SQL metacharacters", json.dumps({k: "x'); DROP TABLE messages; --" for k in (
        "name", "email", "text", "to", "chatId", "instanceId", "code", "token", "tenantName", "password",
        "currentPassword", "newPassword", "from", "type", "url", "role")}).encode(), "application/json"),
    ("a wrong content type", b'{"name": "x"}', "text/plain"),
    ("a NUL byte", b'{"name": "a\x00b"}', "application/json"),
    ("\\u0000 in strings", json.dumps({k: "s3cr3t-marker\u0000\u001b[2J" for k in (
        "name", "email", "text", "to", "chatId", "instanceId", "code", "token", "password", "url", "caption",
        "currentPassword", "newPassword", "tenantName")} | {
        "config": {"accessToken": "s3cr3t-marker\u0000", "phoneNumberId": "1\u00002"},
        "branding": {"app_logo_text": "s3cr3t-marker\u0000"}, "preferences": {"theme": "\u0000"},
        "template": {"name": "s3cr3t-marker\u0000", "language": {"code": "en\u0000"}},
        "interactive": {"type": "button", "body": {"text": "s3cr3t-marker\u0000"}}}).encode(),
     "application/json"),
    ("control characters in names", json.dumps({"name": "Hi\u001b[2J", "tenantName": "a\u0007b"}).encode(),
     "application/json"),
    ("an empty body", b"", "application/json"),
]
ALLOWED = {400, 401, 402, 403, 404, 405, 409, 413, 415, 422, 429}
FOREIGN = "00000000-0000-4000-8000-000000000000"


def path_for(pattern, value):
    out = []
    for seg in pattern.split("/"):
        out.append(value if seg.startswith("{") else seg)
    return "/".join(out)


def snapshot():
    return s.psql("SELECT (SELECT count(*) FROM tenants), (SELECT count(*) FROM users), "
                  "(SELECT count(*) FROM api_keys WHERE revoked_at IS NULL), (SELECT count(*) FROM instances), "
                  "(SELECT count(*) FROM messages), (SELECT count(*) FROM invitations), "
                  "(SELECT count(*) FROM inbound_events), (SELECT count(*) FROM media), "
                  "(SELECT count(*) FROM sessions)")


@t.case("a tenant, an API key and an instance")
def setup():
    global owner, api, routes
    s.up()
    owner, b = signup(s, "owner@bad.test")
    r = owner.post("/api/v1/api-keys", {"name": "bad"})
    t.eq(r.status, 201, "an API key is made")
    api = Client(s, key=r.json()["key"], origin=False)
    r = api.post("/api/v1/instances", {"name": "x", "provider": "sandbox"})
    t.eq(r.status, 201, "an instance is made")
    routes = [l.split()[:2] for l in subprocess.run([os.path.join(BUILD, "waqtor-api"), "--routes"],
                                                      stdout=subprocess.PIPE, text=True,
                                                      check=True).stdout.splitlines()]


@t.case("bad input on every route")
def bad_input():
    global before
    before = snapshot()
    bad_answers = []
    checked = 0
    for method, pattern in routes:
        ids = [FOREIGN, "not-a-uuid", "%00", "..%2F..%2Fetc", "x" * 200] if "{" in pattern else [None]
        for ident in ids:
            path = path_for(pattern, ident) if ident else pattern
            for who, c in (("key", api), ("session", owner)):
                if pattern == "/api/v1/auth/logout" and who == "session":
                    continue  # it would end the session the other cases use
                if method in ("POST", "PATCH", "PUT"):
                    cases = BODIES
                else:
                    cases = [("no body", None, None)]
                for name, raw, ctype in cases:
                    headers = {"Content-Type": ctype} if ctype else {}
                    r = c.call(method, path + ("?limit=0&cursor=%27&since=x&until=2026-02-30T00:00:00Z"
                                               if method == "GET" else ""),
                               raw=raw if raw is not None else None, headers=headers)
                    checked += 1
                    ok = (r.status < 500 and (r.status in ALLOWED or 200 <= r.status < 300))
                    if r.status >= 400:
                        try:
                            code = r.json()["error"]["code"]
                            ok = ok and bool(code) and bool(r.json()["error"]["message"])
                        except (ValueError, KeyError, TypeError):
                            ok = False
                    if name == "\\u0000 in strings" and err(r) == "invalid_json":
                        # the body's first member holds one: every route that reads it names it
                        ok = ok and r.json()["error"].get("details", {}).get("field") == "name"
                    if not ok:
                        bad_answers.append("%s %s (%s, %s): %d %s" % (method, path[:60], who, name, r.status,
                                                                     r.body[:120]))
    t.ok(checked > 500, "%d bad requests sent across %d routes" % (checked, len(routes)))
    t.eq(bad_answers[:20], [], "every one got a JSON error with a code, never a 5xx")


@t.case("\\u0000 is 400 invalid_json naming its field")
def nul_field():
    sandbox = api.get("/api/v1/instances").json()["instances"][0]
    settings = api.get("/api/v1/settings").json()
    cases = [
        ("PATCH", "/api/v1/instances/" + sandbox["id"], {"config": {"x": "s3cr3t-marker\u0000b"}}, "config.x",
         "a nested member"),
        ("POST", "/api/v1/contacts", {"phone": "+966501234570", "tags": ["a", "b", "c", "s3cr3t-marker\u0000"]},
         "tags.3", "an array element"),
        ("PATCH", "/api/v1/settings", {"messaging": {"stop_keywords": ["STOP", "s3cr3t-marker\u0000"]}},
         "messaging.stop_keywords.1", "an element of a nested array"),
        ("POST", "/api/v1/contacts", {"phone": "+966501234570", "s3cr3t\u0000": 1}, "s3cr3t\\u0000",
         "a key, as written"),
    ]
    for method, path, body, field, what in cases:
        r = api.call(method, path, raw=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        want = "%s: \\u0000 (NUL) is not allowed" % field
        t.eq((r.status, r.json()), (400, {"error": {"code": "invalid_json", "message": want, "details": {
            "reason": want, "field": field}}}), "%s: %s" % (what, field))
    t.eq(api.get("/api/v1/instances/" + sandbox["id"]).json(), sandbox, "the instance is unchanged")
    t.eq(api.get("/api/v1/settings").json(), settings, "the settings are unchanged")
    t.eq(s.psql("SELECT count(*) FROM contacts"), "0", "no contact was made")
    r = api.call("POST", "/api/v1/contacts", raw=b'{"phone": "+966501234570", "tags": ["\\u0000"],}',
                 headers={"Content-Type": "application/json"})
    t.eq((r.status, err(r), r.json()["error"]["message"], "field" in r.json()["error"]["details"]),
         (400, "invalid_json", "the body is not valid JSON", False),
         "a body that does not parse is a syntax error, whatever its strings hold")


@t.case("nothing written, nothing died")
def aftermath():
    # Accepted requests above (e.g. a GET that tolerates a query) change nothing either; the only
    # writes allowed are the rate limiter's and sessions of logins that did not happen.
    t.eq(snapshot(), before, "and nothing was written")
    master = s.pid("waqtor-api")
    t.ok(master is not None, "the API master runs")
    t.eq(len(s.children(master)), 2, "no worker died")
    t.eq(s.get("/api/v1/health").status, 200, "the API is healthy afterwards")
    logs = {n: open(s.path("log", n), errors="replace").read() for n in os.listdir(s.path("log"))}
    t.eq([n for n, text in logs.items() if "s3cr3t-marker" in text], [],
         "no value sent reaches any log (ours, PostgreSQL's, nginx's)")


@t.case("what conformance testing (schemathesis) found, each once")
def conformance():
    r = api.call("TRACE", "/api/v1/instances")
    t.eq((r.status, r.header("Allow"), err(r)), (405, "GET, HEAD, POST", "method_not_allowed"),
         "TRACE, which nginx refuses itself, is a JSON 405 naming the path's methods")
    r = api.call("OPTIONS", "/api/v1/messages/send-text")
    t.eq((r.status, r.header("Allow")), (405, "POST"),
         "a literal path is its own resource: /messages/send-text is not /messages/{id}")
    r = api.get("/api/v1/messages?since=0101-01-02T07:39:08-23:35&until=2026-12-01T23:59:59.5%2B23:59")
    t.eq(r.status, 200, "every RFC 3339 offset is taken (to UTC before PostgreSQL, which refuses >15:59)")
    for cursor in ("9223372036854775808", "+5", "%205"):
        r = api.get("/api/v1/audit?cursor=" + cursor)
        t.eq((r.status, err(r)), (400, "validation_failed"), "audit cursor %s is 400" % cursor)
    r = api.post("/api/v1/instances", {"name": "ints", "provider": "sandbox",
                                       "config": {"readLatencyMs": 930.0, "autoPairSeconds": 3}})
    t.eq((r.status, r.json().get("config")), (201, {"readLatencyMs": 930, "autoPairSeconds": 3}),
         "930.0 is an integer (as in JSON Schema), stored as 930")
    r = api.post("/api/v1/instances", {"name": "frac", "provider": "sandbox", "config": {"readLatencyMs": 9.5}})
    t.eq((r.status, err(r)), (400, "validation_failed"), "9.5 is not")
    sandbox = api.get("/api/v1/instances").json()["instances"][0]["id"]
    r2 = api.patch("/api/v1/instances/" + sandbox, {"config": {"phoneNumberId": "999", "ratePerSecond": 20}})
    t.eq((r2.status, err(r2)), (409, "provider_mismatch"), "a cloud config for a sandbox instance is 409")
    r2 = api.patch("/api/v1/instances/" + sandbox, {"config": {"phoneNumberId": "999", "bogus": 1}})
    t.eq((r2.status, err(r2)), (400, "validation_failed"), "an unknown field is still 400")
    r = owner.call("POST", "/api/v1/me/avatar", raw=b"", headers={"Content-Type": "image/png"})
    t.eq((r.status, err(r)), (400, "bad_request"), "an empty avatar is 400, not 413")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
