"""Tenants, users, sessions, API keys, members, instances, settings,
subscription and audit through nginx: every endpoint's success and failure
paths, bad input, the cross-tenant matrix and row-level security."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Stack, Tap, err, pg_bindir, signup  # noqa: E402

t = Tap()
# Ten times the default rates (test_ratelimit.py tests the defaults): the
# cases below make more requests in a row than a person would.
s = Stack(t, WAQTOR_RATE_ANON=600, WAQTOR_RATE_FREE=3000, WAQTOR_RATE_PRO=30000)

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


PREFERENCE_DEFAULTS = {"theme": "system", "compact_mode": False, "sidebar_collapsed": False, "language": "en",
                       "scale": 14, "menu_mode": "static", "notification_sound": False,
                       "desktop_notifications": False, "use_gravatar": False}


def count(table):
    return int(s.psql("SELECT count(*) FROM %s" % table))


@t.case("sign-up")
def signup_():
    global ann, ann_id, tenant_a
    s.up()
    anon = Client(s)

    r = anon.post("/api/v1/auth/signup", {"tenantName": "Acme", "name": "Ann Owner",
                                          "email": "ann@acme.test", "password": "correct horse 1"})
    t.eq(r.status, 201, "signup is 201")
    body = r.json()
    t.ok(set(body) == {"tenant", "user"} and set(body["tenant"]) == {"id", "name"} or
         set(body["tenant"]) >= {"id", "name"}, "signup answers tenant and user", body)
    t.eq((body["user"]["role"], body["user"]["email"], body["tenant"]["name"]),
         ("owner", "ann@acme.test", "Acme"), "the signer-up owns the new tenant")
    cookie = r.header("Set-Cookie")
    t.ok(cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
         and "Path=/" in cookie, "session cookie is HttpOnly, SameSite=Strict (no Secure over http)", cookie)
    t.ok(not s.psql("SELECT password_hash FROM users WHERE email = 'ann@acme.test'").find("$argon2id$"),
         "the password is stored as argon2id")
    ann = anon
    tenant_a = body["tenant"]["id"]
    ann_id = body["user"]["id"]

    tenants_before = count("tenants")
    r = Client(s).post("/api/v1/auth/signup", {"tenantName": "Dup", "name": "X",
                                               "email": "ANN@acme.test", "password": "whatever12"})
    t.eq((r.status, err(r)), (409, "conflict"), "an e-mail in use (any case) is 409")
    t.eq(count("tenants"), tenants_before, "the refused signup left no tenant behind")

    bad_bodies = [
        ({"name": "X", "email": "x@y.z", "password": "12345678"}, "tenantName", "is required"),
        ({"tenantName": 5, "name": "X", "email": "x@y.z", "password": "12345678"}, "tenantName", "must be a string"),
        ({"tenantName": "T", "name": "X", "email": "not-an-email", "password": "12345678"}, "email", "e-mail"),
        ({"tenantName": "T", "name": "X", "email": "x@y.z", "password": "short"}, "password", "8 to 256"),
        ({"tenantName": "T", "name": "X", "email": "x@y.z", "password": "12345678", "admin": True}, "admin",
         "not a known field"),
        ({"tenantName": "T" * 201, "name": "X", "email": "x@y.z", "password": "12345678"}, "tenantName", "1 to 200"),
        ({"tenantName": "T\u0001", "name": "X", "email": "x@y.z", "password": "12345678"}, "tenantName", "control"),
        ({"tenantName": None, "name": "X", "email": "x@y.z", "password": "12345678"}, "tenantName", "required"),
    ]
    for b, field, why in bad_bodies:
        r = Client(s).post("/api/v1/auth/signup", b)
        d = r.json().get("error", {}).get("details", {})
        t.ok(r.status == 400 and err(r) == "validation_failed" and why in d.get(field, ""),
             "signup: %s %s" % (field, why), r.body)
    t.eq(count("tenants"), tenants_before, "no refused signup created anything")

    raw_cases = [
        (b"{not json", "application/json", 400, "invalid_json", "malformed JSON"),
        (b"[1,2]", "application/json", 400, "invalid_json", "a JSON array instead of an object"),
        (b'{"tenantName":"\xff"}', "application/json", 400, "invalid_json", "invalid UTF-8"),
        (b"[" * 100 + b"]" * 100, "application/json", 400, "invalid_json", "nesting too deep"),
        (b'{"a":1}', "text/plain", 415, "unsupported_media_type", "a non-JSON content type"),
        (b'{"tenantName":"T","name":"X","email":"x@y.z","password":"12345678","n":1e999999}',
         "application/json", 400, None, "a huge number"),
        (b"", "application/json", 400, "invalid_json", "an empty body"),
    ]
    for raw, ctype, status, code, name in raw_cases:
        r = Client(s).call("POST", "/api/v1/auth/signup", raw=raw, headers={"Content-Type": ctype})
        t.ok(r.status == status and (code is None or err(r) == code), "signup refuses %s" % name,
             (r.status, r.body[:200]))
    r = Client(s).call("POST", "/api/v1/auth/signup", raw=b'{"a":"' + b"x" * (1024 * 1024) + b'"}',
                       headers={"Content-Type": "application/json"})
    t.eq((r.status, err(r)), (413, "payload_too_large"), "a body over 1 MB is 413")

    sql_name = "Robert'); DROP TABLE users; --"
    bobby, b2 = signup(s, "bobby@tables.test", tenant=sql_name, name=sql_name)
    t.eq(b2["tenant"]["name"], sql_name, "SQL metacharacters are stored verbatim")
    t.ok(count("users") >= 2, "and did nothing else")


@t.case("login, sessions, CSRF")
def login():
    old_cookie = ann.cookie
    r = ann.post("/api/v1/auth/login", {"email": "Ann@Acme.test", "password": "correct horse 1"})
    t.eq(r.status, 200, "login is 200 (e-mail case does not matter)")
    t.ok(ann.cookie and ann.cookie != old_cookie, "login starts a new session (rotation)")
    t.eq(set(r.json()), {"user", "tenant"}, "login answers the user")
    r = Client(s, cookie=old_cookie).get("/api/v1/me")
    t.eq(r.status, 200, "an earlier session stays valid until it expires or logs out")
    r = Client(s).post("/api/v1/auth/login", {"email": "ann@acme.test", "password": "wrong password"})
    t.eq((r.status, err(r)), (401, "invalid_credentials"), "a wrong password is 401 invalid_credentials")
    r = Client(s).post("/api/v1/auth/login", {"email": "nobody@acme.test", "password": "wrong password"})
    t.eq((r.status, err(r)), (401, "invalid_credentials"), "an unknown e-mail gets the same answer")

    r = ann.get("/api/v1/me")
    t.ok(r.status == 200 and r.json()["user"]["id"] == ann_id and r.json()["tenant"]["plan"] == "free",
         "GET /me with the session", r.body)
    t.ok(r.json()["user"]["avatarUrl"].startswith("https://www.gravatar.com/avatar/"),
         "no avatar: a Gravatar URL")

    r = Client(s, cookie=ann.cookie, origin=False).patch("/api/v1/me", {"name": "Ann"})
    t.eq((r.status, err(r)), (403, "csrf_failed"), "a cookie write without Origin is refused")
    r = Client(s, cookie=ann.cookie, origin=False).call(
        "PATCH", "/api/v1/me", body={"name": "Ann"}, headers={"Origin": "https://evil.example"})
    t.eq((r.status, err(r)), (403, "csrf_failed"), "a cookie write from another origin is refused")
    here = "127.0.0.1:%d" % s.port
    for bad in ("https://" + here, "http://127.0.0.1:%d" % (s.port + 1), "http://evil.example/" + here,
                "http://" + here + ".evil.example", "http://" + here + "/", "null", "ftp://" + here):
        r = Client(s, cookie=ann.cookie, origin=False).call(
            "PATCH", "/api/v1/me", body={"name": "Ann"}, headers={"Origin": bad})
        t.eq((r.status, err(r)), (403, "csrf_failed"), "Origin %s is not the stack's origin" % bad)
    r = Client(s, cookie=ann.cookie, origin=False).call(
        "PATCH", "/api/v1/me", body={"name": "Ann"}, headers={"Origin": "HTTP://" + here.upper()})
    t.eq(r.status, 200, "scheme and host compare case-insensitively")

    r = ann.patch("/api/v1/me", {"name": "Ann A.", "phone": "+966501234567"})
    t.ok(r.status == 200 and r.json()["user"]["name"] == "Ann A." and
         r.json()["user"]["phone"] == "+966501234567", "PATCH /me", r.body)
    r = ann.patch("/api/v1/me", {"phone": "call me"})
    t.ok(r.status == 400 and "phone" in r.json()["error"]["details"], "a bad phone is refused")
    r = ann.patch("/api/v1/me", {"email": "bobby@tables.test"})
    t.eq(r.status, 409, "another user's e-mail is 409")


@t.case("password")
def password():
    second = Client(s)
    second.post("/api/v1/auth/login", {"email": "ann@acme.test", "password": "correct horse 1"})
    r = ann.post("/api/v1/me/password", {"currentPassword": "nope nope", "newPassword": "battery staple 2"})
    t.eq((r.status, err(r)), (403, "invalid_credentials"), "a wrong current password is refused")
    r = ann.post("/api/v1/me/password", {"currentPassword": "correct horse 1", "newPassword": "battery staple 2"})
    t.eq(r.status, 204, "password changed")
    t.eq(second.get("/api/v1/me").status, 401, "the change ends the user's other sessions")
    t.eq(ann.get("/api/v1/me").status, 200, "but keeps the current one")
    r = Client(s).post("/api/v1/auth/login", {"email": "ann@acme.test", "password": "correct horse 1"})
    t.eq(r.status, 401, "the old password no longer works")


@t.case("avatar")
def avatar():
    boundary = "----wqtest"
    mp = (("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
           "Content-Type: image/png\r\n\r\n" % boundary).encode() + PNG + ("\r\n--%s--\r\n" % boundary).encode())
    r = ann.call("POST", "/api/v1/me/avatar", raw=mp,
                 headers={"Content-Type": "multipart/form-data; boundary=%s" % boundary})
    t.ok(r.status == 200 and r.json()["user"]["avatarUrl"] == "/api/v1/avatars/" + ann_id, "avatar upload", r.body)
    r = ann.get("/api/v1/avatars/" + ann_id)
    t.ok(r.status == 200 and r.body == PNG and r.header("Content-Type") == "image/png",
         "the avatar is served back as uploaded")
    r = ann.call("POST", "/api/v1/me/avatar", raw=b"GIF89a" + b"\0" * 20, headers={"Content-Type": "image/png"})
    t.eq(r.status, 200, "the type comes from the bytes, not the header")
    r = ann.call("POST", "/api/v1/me/avatar", raw=b"<svg onload=alert(1)>", headers={"Content-Type": "image/svg+xml"})
    t.eq((r.status, err(r)), (415, "unsupported_media_type"), "a non-image is refused")
    r = ann.call("POST", "/api/v1/me/avatar", raw=PNG + b"\0" * (2 * 1024 * 1024),
                 headers={"Content-Type": "image/png"})
    t.eq(r.status, 413, "an avatar over 2 MB is refused")
    r = ann.call("POST", "/api/v1/me/avatar", raw=b"--x\r\n\r\n", headers={"Content-Type": "multipart/form-data; boundary=x"})
    t.eq(r.status, 400, "a malformed multipart body is 400")


@t.case("API keys")
def api_keys():
    global api_a, k, key_a
    r = ann.post("/api/v1/api-keys", {"name": "CI"})
    t.eq(r.status, 201, "API key created")
    k = r.json()
    t.ok(k["key"].startswith(k["prefix"] + "_") and len(k["key"]) == 80, "the key starts with its prefix", k)
    key_a = k["key"]
    lst = ann.get("/api/v1/api-keys").json()["apiKeys"]
    t.ok(len(lst) == 1 and "key" not in lst[0] and lst[0]["lastUsedAt"] is None, "the list never shows the secret")
    t.ok(key_a not in s.psql("SELECT string_agg(encode(key_hash, 'hex') || prefix, ',') FROM api_keys"),
         "only a hash is stored")
    api_a = Client(s, key=key_a, origin=False)
    r = api_a.get("/api/v1/me")
    t.ok(r.status == 200 and r.json()["user"] is None and r.json()["tenant"]["id"] == tenant_a and
         r.json()["apiKey"]["id"] == k["id"], "GET /me with the API key", r.body)
    t.ok(ann.get("/api/v1/api-keys").json()["apiKeys"][0]["lastUsedAt"], "lastUsedAt is kept")
    r = api_a.get("/api/v1/api-keys")
    t.eq((r.status, err(r)), (403, "session_required"), "key management needs a session")
    r = api_a.post("/api/v1/me/password", {"currentPassword": "x" * 8, "newPassword": "y" * 8})
    t.eq(r.status, 403, "a password change needs a session")
    for bad in ("wq_nothex", key_a[:-1] + ("0" if key_a[-1] != "0" else "1"), "Bearer x"):
        r = Client(s, key=bad).get("/api/v1/me")
        t.eq((r.status, err(r)), (401, "unauthorized"), "a bad key is 401 (%s...)" % bad[:12])
    r = ann.post("/api/v1/api-keys", {"name": ""})
    t.eq(r.status, 400, "a key needs a name")
    doomed = ann.post("/api/v1/api-keys", {"name": "doomed"}).json()
    t.eq(ann.delete("/api/v1/api-keys/" + doomed["id"]).status, 204, "revoke a key")
    t.eq(Client(s, key=doomed["key"]).get("/api/v1/me").status, 401, "a revoked key is 401")
    t.eq(ann.delete("/api/v1/api-keys/" + doomed["id"]).status, 404, "revoking twice is 404")


@t.case("instances")
def instances():
    global inst
    cloud = {"phoneNumberId": "106540352242922", "accessToken": "EAAG-secret-token",
             "appSecret": "app-secret", "verifyToken": "verify-me", "ratePerSecond": 80}
    r = api_a.post("/api/v1/instances", {"name": "Sales", "provider": "cloud", "config": cloud})
    t.eq(r.status, 201, "create a cloud instance")
    inst = r.json()
    t.ok(inst["config"] == {"phoneNumberId": "106540352242922", "ratePerSecond": 80} and
         sorted(inst["secretsSet"]) == ["accessToken", "appSecret", "verifyToken"] and
         "EAAG-secret-token" not in r.body.decode(), "secrets are write-only", r.body)
    t.eq((inst["sandbox"], inst["status"]), (False, "disconnected"), "instance state")
    # a field that breaks the provider's spec breaks the body's schema (CloudConfig's pattern): 400, not 422
    digits = (400, "validation_failed", {"config.phoneNumberId": "must be 1 to 32 digits"})
    for bad in ("abc", "1065-4035", "+1065403522", "", "1" * 33):
        r = api_a.post("/api/v1/instances", {"name": "Bad", "provider": "cloud",
                                             "config": dict(cloud, phoneNumberId=bad)})
        t.eq((r.status, err(r), r.json()["error"].get("details")), digits,
             "a phoneNumberId %r is refused at creation" % bad)
        r = api_a.patch("/api/v1/instances/" + inst["id"], {"config": {"phoneNumberId": bad}})
        t.eq((r.status, err(r), r.json()["error"].get("details")), digits,
             "and by a PATCH of its config (%r)" % bad)
    r = api_a.post("/api/v1/instances", {"name": "Demo", "provider": "sandbox", "config": {"autoPairSeconds": 2}})
    t.ok(r.status == 201 and r.json()["sandbox"] is True, "create a sandbox instance, labelled so")
    sandbox_id = r.json()["id"]
    r = api_a.post("/api/v1/instances", {"name": "Sales", "provider": "sandbox"})
    t.eq(r.status, 409, "a duplicate name is 409")
    r = api_a.post("/api/v1/instances", {"name": "X", "provider": "cloud", "config": {"accessToken": "t"}})
    d = r.json().get("error", {}).get("details", {})
    t.ok(r.status == 400 and "config.phoneNumberId" in d and "config.appSecret" in d,
         "cloud config fields are checked, named", r.body)
    r = api_a.post("/api/v1/instances", {"name": "X", "provider": "whatsapp-web"})
    t.ok(r.status == 400 and "provider" in r.json()["error"]["details"], "an unknown provider is refused")
    r = api_a.post("/api/v1/instances", {"name": "X", "provider": "sandbox", "config": {"autoPairSeconds": 10**30}})
    t.eq(r.status, 400, "a huge number is refused")
    r = api_a.patch("/api/v1/instances/" + inst["id"], {"name": "Sales KSA", "config": {
        "phoneNumberId": "999", "ratePerSecond": 20}})
    t.ok(r.status == 200 and r.json()["name"] == "Sales KSA" and r.json()["config"]["phoneNumberId"] == "999"
         and len(r.json()["secretsSet"]) == 3, "PATCH keeps omitted secrets", r.body)
    stored = json.loads(s.psql("SELECT config FROM instances WHERE id = '%s'" % inst["id"]))
    t.eq(stored["accessToken"], "EAAG-secret-token", "the stored token is unchanged")
    t.eq(api_a.get("/api/v1/instances/" + inst["id"]).json()["name"], "Sales KSA", "GET one instance")
    names = [i["name"] for i in api_a.get("/api/v1/instances").json()["instances"]]
    t.eq(names, ["Sales KSA", "Demo"], "list instances")
    t.eq(api_a.get("/api/v1/instances/not-a-uuid").status, 404, "a malformed id is 404")
    logs = open(s.path("log", "waqtor-api.log")).read()
    t.ok("EAAG-secret-token" not in logs and "correct horse" not in logs and key_a not in logs,
         "no secret reaches the logs")


@t.case("tenant B: the cross-tenant matrix and row-level security")
def cross_tenant():
    global api_b, bob
    bob, bb = signup(s, "bob@other.test", tenant="Other")
    tenant_b = bb["tenant"]["id"]
    key_b = bob.post("/api/v1/api-keys", {"name": "B"}).json()["key"]
    api_b = Client(s, key=key_b, origin=False)
    matrix = [
        ("GET", "/api/v1/instances/" + inst["id"], None),
        ("PATCH", "/api/v1/instances/" + inst["id"], {"name": "stolen"}),
        ("DELETE", "/api/v1/instances/" + inst["id"], None),
        ("DELETE", "/api/v1/members/" + ann_id, None),
        ("GET", "/api/v1/avatars/" + ann_id, None),
    ]
    for method, path, b in matrix:
        for who, c in (("key", api_b), ("session", bob)):
            r = c.call(method, path, body=b)
            t.eq((r.status, err(r)), (404, "not_found"), "tenant B (%s): %s %s is 404" % (who, method,
                 path.replace(inst["id"], "{A's instance}").replace(ann_id, "{A's user}")))
    r = bob.delete("/api/v1/api-keys/" + k["id"])
    t.eq(r.status, 404, "tenant B cannot revoke tenant A's key")
    t.eq(api_a.get("/api/v1/instances/" + inst["id"]).json()["name"], "Sales KSA", "A's instance is untouched")
    t.eq(api_b.get("/api/v1/instances").json()["instances"], [], "B lists none of A's instances")
    t.ok(all(m["email"] != "ann@acme.test" for m in api_b.get("/api/v1/members").json()["members"]),
         "B lists none of A's members")
    t.ok(all(e["action"] != "apikey.created" or e["details"]["name"] != "CI"
             for e in api_b.get("/api/v1/audit").json()["items"]), "B sees none of A's audit log")

    # RLS: a query that forgot its tenant filter sees only the tenant set, or nothing.
    def as_app(sql, tenant=None):
        pre = "SET ROLE waqtor_app; "
        if tenant:
            pre += "SELECT set_config('waqtor.tenant_id', '%s', false); " % tenant
        psql = os.path.join(pg_bindir(s.path("pg", "data")), "psql")
        out = subprocess.run([psql, "-X", "-qtA", "-h", s.path("pg", "sock"), "-U", "waqtor", "-d", "waqtor",
                              "-c", pre + sql], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    t.eq(as_app("SELECT count(*) FROM instances"), "0", "RLS: no tenant set, no rows")
    t.eq(as_app("SELECT count(*) FROM instances", tenant_b), "0", "RLS: tenant B sees none of A's instances")
    t.eq(as_app("SELECT count(*) FROM instances", tenant_a), "2", "RLS: tenant A sees its own")
    t.ok("row-level security" in as_app("INSERT INTO instances (tenant_id, name, provider) VALUES ('%s', 'x', "
                                        "'sandbox')" % tenant_a, tenant_b), "RLS: B cannot write a row of A")
    t.eq(as_app("SELECT count(*) FROM access_codes", tenant_a)[:5], "ERROR", "access codes are not readable")


@t.case("members and invitations")
def members():
    global mia, mia_id
    r = ann.post("/api/v1/members", {"email": "mia@acme.test", "role": "member"})
    t.ok(r.status == 201 and len(r.json()["token"]) == 64 and r.json()["acceptUrl"].endswith(r.json()["token"]),
         "an admin invites by e-mail with a one-time token", r.body)
    invite = r.json()
    r = ann.post("/api/v1/members", {"email": "x@acme.test", "role": "owner"})
    t.eq(r.status, 400, "an invitation cannot make an owner")
    mia = Client(s)
    r = mia.post("/api/v1/invitations/accept", {"token": invite["token"], "name": "Mia", "password": "mia's password"})
    t.ok(r.status == 201 and r.json()["user"]["role"] == "member" and mia.cookie, "the invitee joins as member",
         r.body)
    mia_id = r.json()["user"]["id"]
    r = Client(s).post("/api/v1/invitations/accept", {"token": invite["token"], "name": "Eve", "password": "x" * 10})
    t.eq(r.status, 404, "the token works once")
    r = Client(s).post("/api/v1/invitations/accept", {"token": "0" * 64, "name": "Eve", "password": "x" * 10})
    t.eq(r.status, 404, "an unknown token is 404")
    r = mia.post("/api/v1/members", {"email": "z@acme.test", "role": "member"})
    t.eq((r.status, err(r)), (403, "forbidden"), "a member cannot invite")
    r = mia.delete("/api/v1/members/" + ann_id)
    t.eq(r.status, 403, "a member cannot remove anyone")
    r = mia.post("/api/v1/api-keys", {"name": "escalate"})
    t.eq((r.status, err(r)), (403, "forbidden"), "a member cannot make an API key (keys act as admin)")
    members = ann.get("/api/v1/members").json()
    t.eq(sorted(m["role"] for m in members["members"]), ["member", "owner"], "members list")
    r = ann.delete("/api/v1/members/" + ann_id)
    t.eq((r.status, err(r)), (409, "last_owner"), "the last owner cannot be removed")
    # a pending invitation withdrawn: its link stops working
    pend = ann.post("/api/v1/members", {"email": "late@acme.test", "role": "admin"}).json()
    t.ok(any(p["id"] == pend["id"] for p in ann.get("/api/v1/members").json()["invitations"]),
         "a pending invitation is listed")
    t.eq(mia.delete("/api/v1/invitations/" + pend["id"]).status, 403, "a member cannot withdraw it")
    t.eq(bob.delete("/api/v1/invitations/" + pend["id"]).status, 404, "nor another tenant")
    t.eq(ann.delete("/api/v1/invitations/" + pend["id"]).status, 204, "an admin withdraws it")
    r = Client(s).post("/api/v1/invitations/accept", {"token": pend["token"], "name": "Late", "password": "x" * 10})
    t.eq(r.status, 404, "and its token no longer works")
    t.eq(ann.delete("/api/v1/invitations/" + pend["id"]).status, 404, "withdrawn once")
    t.eq(ann.delete("/api/v1/invitations/" + invite["id"]).status, 404, "an accepted one is not pending")


@t.case("roles: every route above member refuses a member, every owner route an admin")
def roles():
    from harness import BUILD
    lines = subprocess.run([os.path.join(BUILD, "waqtor-api"), "--routes"], stdout=subprocess.PIPE,
                           text=True, check=True).stdout.split("\n")
    routes = [l.split() for l in lines if l.strip()]
    t.ok(all(len(r) == 3 and r[2] in ("any", "member", "admin", "owner") for r in routes),
         "every route names its least role", [r for r in routes if len(r) != 3])
    zero = "00000000-0000-4000-8000-000000000000"
    before = s.psql("SELECT (SELECT count(*) FROM instances) + (SELECT count(*) FROM api_keys) + "
                    "(SELECT count(*) FROM users) + (SELECT count(*) FROM invitations)")
    for method, path, role in routes:
        if role not in ("admin", "owner"):
            continue
        url = path.replace("{id}", zero).replace("{eventId}", "1")
        r = mia.call(method, url, body={} if method in ("POST", "PATCH") else None)
        t.eq((r.status, err(r)), (403, "forbidden"), "a member: %s %s is for %ss" % (method, path, role))
        if role == "owner":
            r = api_a.call(method, url, body={} if method in ("POST", "PATCH") else None)
            t.eq((r.status, err(r)), (403, "forbidden"), "an API key (an admin): %s %s is for owners" % (method, path))
    t.ok("needs the admin role" in mia.delete("/api/v1/instances/" + inst["id"]).json()["error"]["message"],
         "the answer names the role needed")
    t.eq(mia.get("/api/v1/instances/" + inst["id"]).status, 200, "a member still reads instances")
    t.eq(s.psql("SELECT (SELECT count(*) FROM instances) + (SELECT count(*) FROM api_keys) + "
                "(SELECT count(*) FROM users) + (SELECT count(*) FROM invitations)"), before,
         "and nothing changed")


@t.case("tenant logo: upload, serve, replace, remove; roles, bad input, tenant B")
def logo():
    path = "/api/v1/settings/logo"

    def audited():
        return s.psql("SELECT count(*) FROM audit_log WHERE action = 'settings.branding'")

    def stored():
        return s.psql("SELECT string_agg(tenant_id || md5(data) || updated_at, ',') FROM tenant_logos")

    r = ann.get(path)
    t.eq((r.status, err(r)), (404, "not_found"), "no logo yet: GET is 404")
    r = ann.delete(path)
    t.eq((r.status, err(r)), (404, "not_found"), "and DELETE is 404")
    before = audited()
    r = mia.call("POST", path, raw=PNG, headers={"Content-Type": "image/png"})
    t.eq((r.status, err(r)), (403, "forbidden"), "a member cannot upload the logo")
    t.ok(count("tenant_logos") == 0 and audited() == before, "and nothing was stored")

    boundary = "----wqlogo"
    mp = (("--%s\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\n"
           "Content-Type: image/png\r\n\r\n" % boundary).encode() + PNG + ("\r\n--%s--\r\n" % boundary).encode())
    r = ann.call("POST", path, raw=mp, headers={"Content-Type": "multipart/form-data; boundary=%s" % boundary})
    t.ok(r.status == 200 and set(r.json()) == {"app_logo", "app_logo_text", "app_show_logo_text"} and
         re.fullmatch(r"/api/v1/settings/logo\?v=[0-9]+", r.json()["app_logo"]),
         "an owner uploads the logo (multipart): the branding names it", r.body)
    url = r.json()["app_logo"]
    t.eq(url.split("=")[1], s.psql("SELECT floor(extract(epoch FROM updated_at))::bigint FROM tenant_logos"),
         "?v= is its time of upload in epoch seconds")
    t.eq(mia.get("/api/v1/settings").json()["branding"]["app_logo"], url, "GET /settings names it to members")
    entry = ann.get("/api/v1/audit?limit=1").json()["items"][0]
    t.eq((entry["action"], entry["details"], entry["userId"]), ("settings.branding", {"app_logo": url}, ann_id),
         "audited as settings.branding, as a PATCH of app_logo is")
    r = mia.get(url)
    t.ok(r.status == 200 and r.body == PNG and r.header("Content-Type") == "image/png",
         "a member gets the logo as uploaded", (r.status, r.headers))
    t.eq(r.header("Cache-Control"), "private, max-age=86400", "which the browser may keep a day")
    t.eq([v for k, v in r.headers if k.lower() == "x-content-type-options"], ["nosniff"], "nosniff, once")
    r = api_a.get(path)
    t.ok(r.status == 200 and r.body == PNG, "an API key gets it too")
    t.eq(Client(s).get(path).status, 401, "but no one without a credential")

    gif = b"GIF89a\x01\x00\x01\x00" + b"\0" * 20
    r = api_a.call("POST", path, raw=gif, headers={"Content-Type": "image/png"})
    t.ok(r.status == 200 and r.json()["app_logo"] != url, "an API key replaces it: a new URL (even in the same second)",
         r.body)
    url = r.json()["app_logo"]
    r = ann.get(url)
    t.ok(r.status == 200 and r.body == gif and r.header("Content-Type") == "image/gif",
         "the type comes from the bytes, not the header", r.headers)
    t.eq(count("tenant_logos"), 1, "one logo per tenant")

    logo_before, branding_before, audit_before = stored(), ann.get("/api/v1/settings").json()["branding"], audited()
    for raw, ctype, status, name in (
            (b"<svg onload=alert(1)>", "image/svg+xml", 415, "an SVG"),
            (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "image/png", 415,
             "an SVG called a PNG"),
            (b"<html><script>alert(1)</script>", "image/gif", 415, "HTML called a GIF"),
            (PNG, "text/plain", 415, "a body not sent as an image"),
            (PNG, "application/json", 415, "a JSON content type"),
            (b"", "image/png", 400, "an empty body"),
            (b"--x\r\n\r\n", "multipart/form-data; boundary=x", 400, "a malformed multipart body"),
            (b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n",
             "multipart/form-data; boundary=x", 400, "multipart without a file"),
            (PNG + b"\0" * (2 * 1024 * 1024), "image/png", 413, "a logo over 2 MB"),
            (PNG + b"\0" * (3 * 1024 * 1024), "image/png", 413, "a body over the route's limit")):
        r = ann.call("POST", path, raw=raw, headers={"Content-Type": ctype})
        t.eq(r.status, status, "%s is refused (%d)" % (name, status))
    t.ok(stored() == logo_before and ann.get("/api/v1/settings").json()["branding"] == branding_before and
         audited() == audit_before, "and none changed the logo, the branding or the audit log")

    for who, c in (("session", bob), ("key", api_b)):
        r = c.get(path)
        t.eq((r.status, err(r)), (404, "not_found"), "tenant B (%s) gets no logo, never A's" % who)
    t.eq(bob.delete(path).status, 404, "tenant B cannot delete A's logo")
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\0" * 20
    r = bob.call("POST", path, raw=jpeg, headers={"Content-Type": "image/jpeg"})
    t.eq(r.status, 200, "tenant B uploads its own")
    t.ok(bob.get(path).body == jpeg and ann.get(path).body == gif, "each tenant gets its own logo")
    t.eq(ann.get("/api/v1/settings").json()["branding"]["app_logo"], url, "A's branding is untouched by B's upload")

    r = mia.delete(path)
    t.eq((r.status, err(r)), (403, "forbidden"), "a member cannot remove the logo")
    t.eq(ann.get(path).status, 200, "so it is still there")
    r = ann.delete(path)
    t.eq(r.status, 204, "an owner removes it")
    t.eq(ann.get(path).status, 404, "then GET is 404")
    t.eq(ann.get("/api/v1/settings").json()["branding"]["app_logo"], "", "and app_logo is empty")
    entry = ann.get("/api/v1/audit?limit=1").json()["items"][0]
    t.eq((entry["action"], entry["details"]), ("settings.branding", {"app_logo": ""}), "audited as settings.branding")
    t.eq(ann.delete(path).status, 404, "removing it twice is 404")
    t.ok(bob.get(path).body == jpeg, "B's logo stays")
    t.eq(api_b.delete(path).status, 204, "B's API key removes B's")


@t.case("settings")
def settings():
    r = ann.get("/api/v1/settings")
    t.ok(r.status == 200 and r.json()["branding"]["app_logo_text"] == "WaQtor" and
         r.json()["preferences"]["theme"] == "system", "settings defaults", r.body)
    r = ann.patch("/api/v1/settings", {"branding": {"app_logo_text": "Acme Chat", "app_show_logo_text": False},
                                       "preferences": {"theme": "dark", "sidebar_collapsed": True}})
    t.ok(r.status == 200 and r.json()["branding"]["app_logo_text"] == "Acme Chat" and
         r.json()["preferences"]["theme"] == "dark", "PATCH settings", r.body)
    r = mia.get("/api/v1/settings")
    t.ok(r.json()["branding"]["app_logo_text"] == "Acme Chat" and r.json()["preferences"]["theme"] == "system",
         "branding is the tenant's, preferences the user's")
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example/x.png",
                "https://", "https://x.test/a b.png", "vbscript:x"):
        r = ann.patch("/api/v1/settings", {"branding": {"app_logo": bad}})
        t.ok(r.status == 400 and "branding.app_logo" in r.json()["error"]["details"],
             "app_logo %r is refused" % bad, r.body)
    for good in ("https://cdn.acme.test/logo.png", "/api/v1/me/avatar", ""):
        t.eq(ann.patch("/api/v1/settings", {"branding": {"app_logo": good}}).status, 200,
             "app_logo %r is taken" % good)
    r = mia.patch("/api/v1/settings", {"branding": {"app_logo_text": "Mine"}})
    t.eq(r.status, 403, "a member cannot change the branding")
    r = mia.patch("/api/v1/settings", {"preferences": {"compact_mode": True}})
    t.ok(r.status == 200 and r.json()["preferences"]["compact_mode"] is True, "a member sets own preferences")
    r = ann.patch("/api/v1/settings", {"preferences": {"theme": "neon"}})
    t.ok(r.status == 400 and "preferences.theme" in r.json()["error"]["details"], "a bad theme is refused")
    r = api_a.patch("/api/v1/settings", {"preferences": {"theme": "dark"}})
    t.eq(r.status, 403, "an API key has no preferences")
    t.eq(api_a.get("/api/v1/settings").json()["preferences"], None, "and GET shows none")
    t.eq(bob.get("/api/v1/settings").json()["preferences"], PREFERENCE_DEFAULTS,
         "every preference is there, with its default")
    dashboard = {"language": "ar", "scale": 16, "menu_mode": "overlay", "notification_sound": True,
                 "desktop_notifications": True, "use_gravatar": True}
    r = ann.patch("/api/v1/settings", {"preferences": dashboard})
    t.ok(r.status == 200 and r.json()["preferences"] == dict(PREFERENCE_DEFAULTS, theme="dark",
                                                             sidebar_collapsed=True, **dashboard),
         "the dashboard's preferences are set, the others kept", r.body)
    r = ann.patch("/api/v1/settings", {"preferences": {"scale": 12.0, "language": "en"}})
    t.ok(r.status == 200 and r.json()["preferences"]["scale"] == 12 and
         json.loads(s.psql("SELECT settings FROM user_settings WHERE user_id = '%s'" % ann_id))["scale"] == 12,
         "scale 12.0 is the integer 12", r.body)
    t.eq(mia.get("/api/v1/settings").json()["preferences"]["language"], "en", "another user's are their own")
    before = s.psql("SELECT settings FROM user_settings WHERE user_id = '%s'" % ann_id)
    for field, bad in (("language", "fr"), ("language", "AR"), ("language", ""), ("scale", 11), ("scale", 17),
                       ("scale", 14.5), ("scale", "14"), ("scale", True), ("menu_mode", "floating"),
                       ("menu_mode", "Static"), ("notification_sound", "yes"), ("desktop_notifications", 1),
                       ("use_gravatar", None), ("use_gravatar", "false"), ("font_scale", 14)):
        r = ann.patch("/api/v1/settings", {"preferences": {field: bad, "theme": "light"}})
        t.ok(r.status == 400 and err(r) == "validation_failed" and
             list(r.json()["error"]["details"]) == ["preferences." + field],
             "preferences.%s %r is refused, naming it" % (field, bad), r.body)
    t.ok(s.psql("SELECT settings FROM user_settings WHERE user_id = '%s'" % ann_id) == before and
         ann.get("/api/v1/settings").json()["preferences"]["theme"] == "dark", "and nothing was written")
    t.eq(bob.get("/api/v1/settings").json()["branding"]["app_logo_text"], "WaQtor", "B's branding is its own")
    t.eq(ann.get("/api/v1/settings").json()["general"], {"time_zone": "UTC"}, "the time zone is UTC by default")
    before = s.psql("SELECT general FROM tenant_settings")
    for bad in ("Mars/Olympus", "UTC+3", "EST5EDT ", "posixrules", "posix/Asia/Riyadh", "", "asia/riyadh", 3):
        r = ann.patch("/api/v1/settings", {"general": {"time_zone": bad}, "branding": {"app_logo_text": "No"}})
        t.ok(r.status == 400 and "general.time_zone" in r.json()["error"]["details"],
             "time zone %r is refused" % (bad,), r.body)
    t.ok(s.psql("SELECT general FROM tenant_settings") == before and
         ann.get("/api/v1/settings").json()["branding"]["app_logo_text"] == "Acme Chat", "and nothing changed")
    r = ann.patch("/api/v1/settings", {"general": {"time_zone": "Asia/Riyadh"}})
    t.ok(r.status == 200 and r.json()["general"]["time_zone"] == "Asia/Riyadh", "an admin sets the time zone", r.body)
    t.eq(mia.patch("/api/v1/settings", {"general": {"time_zone": "UTC"}}).status, 403,
         "a member cannot change it")
    t.eq(bob.get("/api/v1/settings").json()["general"]["time_zone"], "UTC", "B's time zone is its own")
    t.ok(s.psql("SELECT count(*) FROM audit_log WHERE action = 'settings.general'") == "1",
         "the change is in the audit log")
    r = ann.delete("/api/v1/members/" + mia_id)
    t.ok(r.status == 200 and r.json() == {"memberId": mia_id, "revokedApiKeys": []},
         "an owner removes a member", r.body)
    t.eq(mia.get("/api/v1/me").status, 401, "and the member's session ends with it")


@t.case("a removed admin's API keys are revoked with them")
def admin_keys():
    p = s.ctl("user", "create", "--tenant", tenant_a, "--email", "adam@acme.test", "--name", "Adam Admin",
              "--role", "admin", input="admin pass 12\n")
    t.eq(p.returncode, 0, "an admin joins tenant A", p.stderr)
    adam = Client(s)
    t.eq(adam.post("/api/v1/auth/login", {"email": "adam@acme.test", "password": "admin pass 12"}).status, 200,
         "the admin logs in")
    made = adam.post("/api/v1/api-keys", {"name": "adam's"}).json()
    t.eq(made["createdBy"], {"id": adam.get("/api/v1/me").json()["user"]["id"], "name": "Adam Admin"},
         "a key shows who made it")
    listed = [k for k in ann.get("/api/v1/api-keys").json()["apiKeys"] if k["id"] == made["id"]]
    t.ok(listed and listed[0]["createdBy"]["name"] == "Adam Admin", "in the list too", listed)
    adams = Client(s, key=made["key"], origin=False)
    t.eq(adams.get("/api/v1/me").status, 200, "the key works")
    adam_id = adam.get("/api/v1/me").json()["user"]["id"]
    r = ann.delete("/api/v1/members/" + adam_id)
    t.ok(r.status == 200 and r.json()["revokedApiKeys"] == [{"id": made["id"], "name": "adam's"}],
         "removing the admin revokes the keys they made, and says which", r.body)
    t.eq(adams.get("/api/v1/me").status, 401, "the key no longer works")
    t.eq(adams.post("/api/v1/members", {"email": "x@acme.test", "role": "admin"}).status, 401,
         "so it cannot invite a new admin")
    entry = [e for e in ann.get("/api/v1/audit").json()["items"] if e["action"] == "member.removed"][0]
    t.eq(entry["details"].get("revokedApiKeys"), [{"id": made["id"], "name": "adam's"}],
         "the audit log records the revoked keys")


@t.case("subscription and premium")
def subscription():
    r = api_a.get("/api/v1/subscription")
    t.eq(r.json(), {"plan": "free", "status": "free", "expiresAt": None}, "new tenants are on free")
    r = api_a.get("/api/v1/reports/summary")
    t.eq((r.status, err(r)), (402, "subscription_required"), "a premium route is 402 without a plan")
    # only an owner manages the subscription (ann owns A, bob owns B)
    for i in range(5):
        r = ann.post("/api/v1/subscription/redeem", {"code": "WRONG-CODE-%d" % i})
        t.ok(r.status == 404 and err(r) == "invalid_code", "a wrong code is refused (%d)" % (i + 1))
    r = ann.post("/api/v1/subscription/redeem", {"code": "ANY"})
    t.ok(r.status == 429 and int(r.header("Retry-After")) > 0, "repeated wrong codes are locked out", r.body)
    t.eq(s.redis("DEL", "waqtor:fail:redeem:" + tenant_a), "1", "the lockout can be cleared (for what follows)")
    p = s.ctl("accesscode", "create", "--plan", "pro", "--days", "30", "--uses", "1")
    code = p.stdout.strip()
    t.ok(p.returncode == 0 and len(code) == 19, "waqtorctl accesscode create prints a code", p.stderr)
    r = ann.post("/api/v1/subscription/redeem", {"code": code.lower()})
    t.ok(r.status == 200 and r.json()["plan"] == "pro" and r.json()["status"] == "active" and r.json()["expiresAt"],
         "redeem puts the tenant on the plan", r.body)
    r = bob.post("/api/v1/subscription/redeem", {"code": code})
    t.eq(r.status, 404, "a single-use code works once")
    r = api_a.get("/api/v1/reports/summary")
    t.ok(r.status == 200 and "sent" in r.json(), "the premium route answers after redeem", r.body)
    t.eq(api_b.get("/api/v1/reports/summary").status, 402, "and only for that tenant")


@t.case("audit log")
def audit():
    items = ann.get("/api/v1/audit?limit=200").json()["items"]
    actions = {e["action"] for e in items}
    for a in ("signup", "login", "login.failed", "apikey.created", "apikey.revoked", "member.invited",
              "member.joined", "member.removed", "password.changed", "subscription.redeemed",
              "subscription.redeem_failed"):
        t.ok(a in actions, "audit records %s" % a, sorted(actions))
    page1 = ann.get("/api/v1/audit?limit=3").json()
    page2 = ann.get("/api/v1/audit?limit=3&cursor=" + page1["nextCursor"]).json()
    t.ok(len(page1["items"]) == 3 and page2["items"] and
         int(page2["items"][0]["id"]) < int(page1["items"][-1]["id"]), "audit pages by cursor")
    t.eq(ann.get("/api/v1/audit?limit=0").status, 400, "a bad limit is 400")
    # PostgreSQL prints .040000 as .04: times whose fraction it shortens
    newest = page1["items"][0]["id"]
    for fraction, shown in ((".04", ".040Z"), (".1", ".100Z"), ("", ".000Z"), (".000009", ".000Z")):
        s.psql("UPDATE audit_log SET created_at = '2026-12-03 14:43:32%s+00' WHERE id = %s" % (fraction, newest))
        got = ann.get("/api/v1/audit?limit=1").json()["items"][0]["createdAt"]
        t.eq(got, "2026-12-03T14:43:32" + shown, "created at 14:43:32%s is %s" % (fraction or " sharp", got))


@t.case("activity: the caller's own audit entries")
def activity():
    tenant_log = ann.get("/api/v1/audit?limit=200").json()
    mine = ann.get("/api/v1/me/activity?limit=200").json()
    t.ok(tenant_log["nextCursor"] is None and mine["nextCursor"] is None, "one page holds them all")
    t.ok(any(e["userId"] != ann_id for e in tenant_log["items"]), "the tenant's log has others' entries too")
    t.eq(mine["items"], [e for e in tenant_log["items"] if e["userId"] == ann_id],
         "activity is the tenant log's entries of the caller, newest first, in the same shape")
    actions = {e["action"] for e in mine["items"]}
    t.ok({"signup", "login", "login.failed", "password.changed", "settings.branding"} <= actions and
         "instance.created" not in actions, "the caller's logins and changes, not what API keys did", sorted(actions))
    p1 = ann.get("/api/v1/me/activity?limit=2").json()
    p2 = ann.get("/api/v1/me/activity?limit=2&cursor=" + p1["nextCursor"]).json()
    t.eq(p1["items"] + p2["items"], mine["items"][:4], "activity pages by cursor")
    t.eq(p1["nextCursor"], p1["items"][-1]["id"], "nextCursor is the last entry's id")
    for q in ("limit=0", "limit=201", "limit=x", "cursor=abc", "cursor=-1", "cursor=99999999999999999999"):
        r = ann.get("/api/v1/me/activity?" + q)
        t.eq((r.status, err(r)), (400, "validation_failed"), "activity: %s is 400" % q)
    r = api_a.get("/api/v1/me/activity")
    t.eq((r.status, err(r)), (403, "session_required"), "an API key has no activity of its own")
    t.eq(Client(s).get("/api/v1/me/activity").status, 401, "nor has anyone without a credential")
    theirs = bob.get("/api/v1/me/activity?limit=200").json()["items"]
    t.ok(theirs and all(e["userId"] != ann_id for e in theirs) and "signup" in {e["action"] for e in theirs},
         "tenant B's owner sees their own, none of A's", theirs)
    p = s.ctl("user", "create", "--tenant", tenant_a, "--email", "max@acme.test", "--name", "Max Member",
              "--role", "member", input="member pass 12\n")
    t.eq(p.returncode, 0, "a member joins tenant A", p.stderr)
    max_ = Client(s)
    t.eq(max_.post("/api/v1/auth/login", {"email": "max@acme.test", "password": "member pass 12"}).status, 200,
         "the member logs in")
    r = max_.get("/api/v1/me/activity")
    t.ok(r.status == 200 and [e["action"] for e in r.json()["items"]] == ["login"] and r.json()["nextCursor"] is None,
         "a member reads their own activity: only their login", r.body)
    t.eq(max_.get("/api/v1/audit").status, 403, "but not the tenant's log")


@t.case("realtime token, expiry, logout")
def realtime_expiry_logout():
    r = ann.post("/api/v1/realtime/token")
    t.ok(r.status == 201 and r.json()["token"].startswith("rt_") and r.json()["expiresAt"].endswith("Z"),
         "a logged-in user mints a realtime token", r.body)
    t.eq(api_a.post("/api/v1/realtime/token").status, 403, "an API key does not need one")
    s.psql("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = '%s'" % ann_id)
    r = ann.get("/api/v1/me")
    t.eq((r.status, err(r)), (401, "session_expired"), "an expired session is 401 session_expired")
    ann.post("/api/v1/auth/login", {"email": "ann@acme.test", "password": "battery staple 2"})
    r = ann.post("/api/v1/auth/logout")
    t.ok(r.status == 204 and "Max-Age=0" in (r.header("Set-Cookie") or ""), "logout clears the cookie")
    t.eq(Client(s, cookie=r.header("Set-Cookie") and ann.cookie).get("/api/v1/me").status, 401,
         "and the session is gone")


@t.case("waqtorctl")
def waqtorctl():
    before = s.psql("SELECT count(*) FROM tenants")
    p = s.ctl("tenant", "create", "--help")
    t.ok(p.returncode == 0 and p.stdout.startswith("usage: waqtorctl tenant"), "tenant create --help is help",
         p.stdout + p.stderr)
    for args in (("tenant", "create", "-x"), ("tenant", "create", "A", "B"), ("tenant", "create", "  ")):
        t.eq(s.ctl(*args).returncode, 2, "waqtorctl %s is a usage error" % " ".join(args))
    t.eq(s.psql("SELECT count(*) FROM tenants"), before, "and none of them made a tenant")
    p = s.ctl("tenant", "create", "Operator Made")
    tid = p.stdout.strip()
    t.ok(p.returncode == 0 and len(tid) == 36, "waqtorctl tenant create", p.stderr)
    p = s.ctl("user", "create", "--tenant", tid, "--email", "op@made.test", "--name", "Op", "--role", "owner",
              input="operator pass 1\n")
    t.eq(p.returncode, 0, "waqtorctl user create")
    p = s.ctl("apikey", "create", "--tenant", tid, "--name", "ops")
    t.ok(p.returncode == 0 and Client(s, key=p.stdout.strip()).get("/api/v1/me").json()["tenant"]["id"] == tid,
         "waqtorctl apikey create makes a working key", p.stdout + p.stderr)
    r = Client(s).post("/api/v1/auth/login", {"email": "op@made.test", "password": "operator pass 1"})
    t.eq(r.status, 200, "the user made by waqtorctl logs in")
    p = s.ctl("tenant", "list")
    t.ok(p.returncode == 0 and "Operator Made" in p.stdout and "Acme" in p.stdout, "waqtorctl tenant list")
    p = s.ctl("user", "create", "--tenant", tid)
    t.ok(p.returncode != 0 and "--email" in p.stderr, "waqtorctl names a missing option", p.stderr)


@t.case("rate limits and login lockout")
def rate_limits():
    r = api_a.get("/api/v1/instances")
    t.ok(r.header("RateLimit-Limit") == "30000" and int(r.header("RateLimit-Remaining")) > 0,
         "a pro tenant's key gets the pro allowance", r.headers)
    t.eq(api_b.get("/api/v1/instances").header("RateLimit-Limit"), "3000", "a free tenant's key gets the free one")
    for i in range(5):
        Client(s).post("/api/v1/auth/login", {"email": "bob@other.test", "password": "bad%d" % i})
    r = Client(s).post("/api/v1/auth/login", {"email": "bob@other.test", "password": "correct horse 1"})
    t.ok(r.status == 429 and err(r) == "rate_limited" and int(r.header("Retry-After")) > 0,
         "five failures from an address lock the account there, even for the right password", r.body)
    answers = [Client(s).post("/api/v1/auth/signup", {}) for _ in range(250)]  # burst 100
    codes = [r.status for r in answers]
    t.ok(codes.count(429) > 0 and codes[0] == 400, "anonymous callers are limited per address",
         {c: codes.count(c) for c in set(codes)})
    # (the last one may find a refilled allowance on a slow machine)
    limited = [r for r in answers if r.status == 429]
    t.ok(limited and all(r.header("Retry-After") and r.header("RateLimit-Remaining") == "0" for r in limited),
         "each 429 carries Retry-After")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
