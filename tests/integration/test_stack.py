"""The whole stack through nginx: `up`, health, static files, headers,
idempotent `up`, two stacks side by side, `status`, `down`."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Stack, Tap, wait_for  # noqa: E402

SECURITY_HEADERS = ("X-Request-Id", "X-Content-Type-Options", "Referrer-Policy",
                    "Content-Security-Policy", "X-Frame-Options")
DAEMONS = ("nginx", "waqtor-api", "waqtor-pushd", "waqtor-engine", "redis")

t = Tap()
a, b = Stack(t), Stack(t)
try:
    out = a.up().stdout
    t.ok("WaQtor is running: http://127.0.0.1:%d/" % a.port in out, "up prints the URL", out)
    t.ok("demo login:   demo@waqtor.local / " in out, "up prints the demo login", out)

    r = a.get("/api/v1/health")
    t.eq(r.status, 200, "health is 200 through nginx")
    t.eq(r.json(), {"status": "ok", "postgres": "ok", "redis": "ok"}, "health body")
    t.eq(r.header("Content-Type"), "application/json", "health is JSON")
    t.eq(r.header("Cache-Control"), "no-store", "API answers are not cached")

    r = a.get("/api/v1/version")
    t.ok(r.status == 200 and r.json()["name"] == "waqtor" and r.json()["api"] == "v1",
         "version", r.body)

    r = a.get("/api/v1/no/such/thing")
    t.eq(r.status, 404, "unknown path is 404")
    body = r.json()
    t.ok(body["error"]["code"] == "not_found" and body["error"]["message"], "404 error shape", body)

    r = a.request("DELETE", "/api/v1/health")
    t.eq((r.status, r.header("Allow"), r.json()["error"]["code"]),
         (405, "GET", "method_not_allowed"), "wrong method is 405 with Allow")

    for path in ("/api/v1/health", "/api/v1/nope", "/", "/index.html", "/app.js"):
        r = a.get(path)
        missing = [h for h in SECURITY_HEADERS if not r.header(h)]
        t.ok(not missing, "%s carries request id and security headers" % path, missing)
    csp = a.get("/").header("Content-Security-Policy")
    t.ok("frame-ancestors 'none'" in csp and "default-src 'self'" in csp, "CSP denies framing", csp)

    r = a.get("/api/v1/health", headers={"X-Request-Id": "trace-42.a_b"})
    t.eq(r.header("X-Request-Id"), "trace-42.a_b", "a well-formed client request id is kept")
    r = a.get("/api/v1/health", headers={"X-Request-Id": "bad id\x7f"})
    rid = r.header("X-Request-Id")
    t.ok(rid and rid != "bad id\x7f" and all(c.isalnum() for c in rid), "a malformed one is replaced", rid)
    logs = open(a.path("log", "waqtor-api.log")).read()
    t.ok("req=trace-42.a_b" in logs, "the request id is in the API log line")

    r = a.get("/")
    t.ok(r.status == 200 and b"<title>WaQtor</title>" in r.body, "dashboard placeholder served")
    r = a.get("/campaigns/123/edit")
    t.ok(r.status == 200 and b"<title>WaQtor</title>" in r.body, "SPA fallback to index.html")

    big = b"x" * (16 * 1024 * 1024 + 1)
    r = a.request("POST", "/api/v1/health", body=big, headers={"Content-Type": "application/json"})
    t.ok(r.status == 413 and r.json()["error"]["code"] == "payload_too_large",
         "a body over the nginx limit is 413 JSON", r.body[:200])
    r = a.request("GET", "/api/v1/health", body=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                  headers={"Content-Type": "application/json"})
    t.ok(r.status == 413 and r.json()["error"]["code"] == "payload_too_large",
         "a body over the API limit is 413 JSON", r.body[:200])

    # up twice: harmless, starts nothing new
    pids = {d: a.pid(d) for d in DAEMONS}
    t.ok(all(pids.values()), "every daemon has a live pid file", pids)
    out = a.up().stdout
    t.eq({d: a.pid(d) for d in DAEMONS}, pids, "a second up starts nothing new")
    t.ok("starting" not in out and "initialising" not in out, "a second up says it started nothing", out)
    t.eq(a.get("/api/v1/health").status, 200, "healthy after the second up")
    t.eq(a.psql("SELECT count(*) FROM tenants"), "1", "the demo tenant is seeded once")
    t.eq(a.psql("SELECT provider FROM instances"), "sandbox", "the demo has a sandbox instance")

    # up restarts what died (e.g. after a crash)
    os.kill(a.pid("waqtor-engine"), 9)
    wait_for(lambda: a.pid("waqtor-engine") is None, 5)
    out = a.up().stdout
    t.ok("starting waqtor-engine" in out and "starting nginx" not in out,
         "up after a crash starts only what is missing", out)
    t.ok(a.pid("waqtor-engine") not in (None, pids["waqtor-engine"]), "engine back with a new pid")

    # a second stack side by side
    b.up()
    t.eq(b.get("/api/v1/health").status, 200, "a second stack is healthy beside the first")
    t.eq(a.get("/api/v1/health").status, 200, "the first stack still is")
    t.ok(not set(filter(None, (a.pid(d) for d in DAEMONS))) & set(filter(None, (b.pid(d) for d in DAEMONS))),
         "the two stacks share no process")

    st = a.waqtor("status", check=False)
    t.ok(st.returncode == 0 and '"status":"ok"' in st.stdout, "status reports all running", st.stdout)

    a.waqtor("down")
    t.ok(not any(a.pid(d) for d in DAEMONS), "down stops every daemon")
    t.eq(a.health(), None, "nothing answers on the port after down")
    st = a.waqtor("status", check=False)
    t.ok(st.returncode != 0 and "stopped" in st.stdout, "status reports stopped", st.stdout)
    t.eq(b.get("/api/v1/health").status, 200, "down of one stack leaves the other running")

    out = a.up().stdout
    t.ok("initialising" not in out, "up after down reuses the data", out)
    t.eq(a.psql("SELECT count(*) FROM users"), "1", "data survived down and up")
except Exception as e:  # report, then tear down
    t.ok(False, "unexpected error", "%r\n%s" % (e, a.logs()))
finally:
    a.destroy()
    b.destroy()
t.done()
