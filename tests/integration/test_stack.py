"""The whole stack through nginx: `up`, health, static files, headers,
idempotent `up`, two stacks side by side, `status`, `down`; and a clone
where a newcomer puts it (as root under a 0700 home, in a path with spaces)
working with no variable set."""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import BUILD, IS_ROOT, SRC, Stack, Tap, free_port  # noqa: E402

SECURITY_HEADERS = ("X-Request-Id", "X-Content-Type-Options", "Referrer-Policy",
                    "Content-Security-Policy", "X-Frame-Options")
DAEMONS = ("nginx", "waqtor-api", "waqtor-pushd", "waqtor-engine", "redis")

t = Tap()
a, b = Stack(t), Stack(t)
pids = {}

@t.case("up prints the URL and the demo login; health, version, errors")
def _():
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
         (405, "GET, HEAD", "method_not_allowed"), "wrong method is 405 with Allow")


@t.case("health and version: HEAD too, and never rate limited")
def _():
    for path in ("/api/v1/health", "/api/v1/version"):
        r = a.request("HEAD", path)
        t.ok(r.status == 200 and r.body == b"" and r.header("Content-Type") == "application/json",
             "HEAD %s is 200 with the headers only" % path, (r.status, r.body[:100]))
    # one address, far past the anonymous budget (WAQTOR_RATE_ANON, 60 a minute)
    codes = {a.get("/api/v1/health").status for _ in range(150)} | \
        {a.request("HEAD", "/api/v1/version").status for _ in range(30)}
    t.eq(codes, {200}, "a monitor polling health and version is never limited")
    r = a.get("/api/v1/health")
    t.eq(r.header("RateLimit-Limit"), None, "and gets no RateLimit headers")
    r = a.request("POST", "/api/v1/auth/login", body={"email": "nobody@example.test", "password": "x"})
    t.eq(r.status, 401, "nor does it use up the address's budget for login")


@t.case("security headers and request ids")
def _():
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


@t.case("the dashboard and body limits")
def _():
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


@t.case("up twice is harmless")
def _():
    global pids
    # up twice: harmless, starts nothing new
    pids = {d: a.pid(d) for d in DAEMONS}
    t.ok(all(pids.values()), "every daemon has a live pid file", pids)
    out = a.up().stdout
    t.eq({d: a.pid(d) for d in DAEMONS}, pids, "a second up starts nothing new")
    t.ok("starting" not in out and "initialising" not in out, "a second up says it started nothing", out)
    t.eq(a.get("/api/v1/health").status, 200, "healthy after the second up")
    t.eq(a.psql("SELECT count(*) FROM tenants"), "1", "the demo tenant is seeded once")
    t.eq(a.psql("SELECT provider FROM instances"), "sandbox", "the demo has a sandbox instance")


@t.case("up after a crash starts only what died")
def _():
    # up restarts what died (e.g. after a crash)
    a.kill("waqtor-engine")
    out = a.up().stdout
    t.ok("starting waqtor-engine" in out and "starting nginx" not in out,
         "up after a crash starts only what is missing", out)
    t.ok(a.pid("waqtor-engine") not in (None, pids["waqtor-engine"]), "engine back with a new pid")


@t.case("a second stack side by side")
def _():
    # a second stack side by side
    b.up()
    t.eq(b.get("/api/v1/health").status, 200, "a second stack is healthy beside the first")
    t.eq(a.get("/api/v1/health").status, 200, "the first stack still is")
    t.ok(not set(filter(None, (a.pid(d) for d in DAEMONS))) & set(filter(None, (b.pid(d) for d in DAEMONS))),
         "the two stacks share no process")


@t.case("status, down, up again")
def _():
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


# A copy of the source tree in "<0700 dir>/my clone", as root clones into
# /root (0700 on Debian). The services cannot reach it and its path has a
# space: the state must move where they can and ./var link to it, and every
# command must work from the clone with no WAQTOR_STATE. (The build is the
# test build, so the copy need not compile.)
clone = {}


def in_clone(*args, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAQTOR_")}
    env.update({"WAQTOR_PORT": str(clone["port"]), "WAQTOR_BUILD_DIR": BUILD,
                "WAQTOR_SKIP_BUILD": "1", "WAQTOR_SKIP_INSTALL": "1", "WAQTOR_API_WORKERS": "2"})
    if not IS_ROOT:
        env["XDG_STATE_HOME"] = os.path.join(clone["home"], "state")
    p = subprocess.run(["./waqtor"] + list(args), cwd=clone["dir"], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=180)
    if check and p.returncode != 0:
        raise RuntimeError("./waqtor %s failed (%d):\n%s" % (" ".join(args), p.returncode, p.stdout))
    return p


@t.case("a clone under a 0700 home in a path with spaces, no variables")
def _():
    home = tempfile.mkdtemp(prefix="wq-home-")
    os.chmod(home, 0o700)
    clone.update(home=home, dir=os.path.join(home, "my clone"), port=free_port())
    shutil.copytree(SRC, clone["dir"], symlinks=True, ignore=shutil.ignore_patterns(
        ".git", "build*", "var", "node_modules", "__pycache__", "autom4te.cache"))
    # a ./var left by an earlier try (say, an older ./waqtor) is kept, not lost
    os.makedirs(os.path.join(clone["dir"], "var"))
    with open(os.path.join(clone["dir"], "var", "marker"), "w") as f:
        f.write("kept")
    out = in_clone("up").stdout
    t.ok("WaQtor is running: http://127.0.0.1:%d/" % clone["port"] in out, "up works from the clone", out)
    var = os.path.join(clone["dir"], "var")
    clone["state"] = os.path.realpath(var)
    digest = hashlib.sha256(os.path.realpath(clone["dir"]).encode()).hexdigest()[:8]
    if IS_ROOT:
        want = "/var/lib/waqtor/my-clone-" + digest
    else:
        want = os.path.join(clone["home"], "state", "waqtor", "my-clone-" + digest)
    t.ok(os.path.islink(var) and clone["state"] == want, "./var links to the state where the services reach it",
         (os.path.islink(var), clone["state"], want))
    t.ok(os.path.exists(os.path.join(clone["state"], "marker")), "what ./var held moved there with it")
    st = in_clone("status", check=False)
    t.ok(st.returncode == 0 and '"status":"ok"' in st.stdout, "status works with no variable", st.stdout)
    ctl = in_clone("ctl", "tenant", "list", check=False)
    t.ok(ctl.returncode == 0 and "Demo" in ctl.stdout, "ctl works with no variable", ctl.stdout)
    tenant = ctl.stdout.splitlines()[0].split("\t")[0]
    key = in_clone("ctl", "apikey", "create", "--tenant", tenant, check=False)
    t.ok(key.returncode == 0 and key.stdout.strip().startswith("wq_"), "the README's apikey snippet works",
         key.stdout)
    logs = in_clone("logs", "waqtor-api", check=False)
    t.ok(logs.returncode == 0 and "proc=api" in logs.stdout, "logs works with no variable", logs.stdout[-500:])
    out = in_clone("down").stdout
    t.ok("stopped" in out, "down works with no variable", out)
    out = in_clone("up").stdout
    t.ok("initialising" not in out and "moving" not in out, "a second up finds the same state", out)
    in_clone("down")


def teardown():
    a.destroy()
    b.destroy()
    if clone.get("dir"):
        if clone.get("state"):
            in_clone("down", check=False)
            shutil.rmtree(clone["state"], ignore_errors=True)
        shutil.rmtree(clone["home"], ignore_errors=True)


try:
    t.run(diag=a.logs)
finally:
    teardown()
t.done()
