"""The whole API against docs/openapi.yaml with schemathesis: with an API
key, with a logged-in session, and with no credential. Every check, every
phase (examples, coverage, fuzzing, stateful), for a bounded time each
(WAQTOR_SCHEMA_SECS, default 45 s). A run passes with 0 server errors and 0
schema, status-code or header violations; its report names each failure
with the curl command that reproduces it.

schemathesis comes from tests/schema/requirements.txt, installed by
./waqtor test into the build's venv."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import BUILD, SRC, Client, Stack, Tap, signup  # noqa: E402

SECS = int(os.environ.get("WAQTOR_SCHEMA_SECS", "45"))
SEED = os.environ.get("WAQTOR_SCHEMA_SEED", "20261201")
ST = os.path.join(BUILD, "venv", "bin", "schemathesis")

t = Tap()
# The limits under test elsewhere are lifted here, so that every answer is
# the operation's own, not 429 (schemathesis sends thousands of requests).
s = Stack(t, WAQTOR_RATE_ANON=10 ** 7, WAQTOR_RATE_FREE=10 ** 7, WAQTOR_RATE_PRO=10 ** 7,
          WAQTOR_RATE_BUSINESS=10 ** 7, WAQTOR_QUOTA_INSTANCES="100000,100000,100000",
          WAQTOR_QUOTA_API_KEYS="100000,100000,100000", WAQTOR_QUOTA_MEMBERS="100000,100000,100000",
          WAQTOR_QUOTA_MEDIA_MB="1000,1000,1000")
v = {}


def schemathesis(name, auth=None, headers=(), exclude=()):
    """Runs schemathesis with the credential auth (a security scheme of the
    spec and its value) and these headers; (ok, diagnostics)."""
    report = s.path("schemathesis-" + name)
    config = s.path("schemathesis-%s.toml" % name)
    with open(os.path.join(SRC, "tests", "schema", "schemathesis.toml")) as f:
        text = f.read()
    if auth is not None:
        text += '\n[auth.openapi.%s]\napi_key = "%s"\n' % auth
    with open(config, "w") as f:
        f.write(text)
    args = [ST, "--config-file", config, "run",
            os.path.join(SRC, "docs", "openapi.yaml"), "--url", "http://127.0.0.1:%d" % s.port,
            "--max-time", str(SECS), "--seed", SEED, "--no-color",
            # one worker: with two, hypothesis in both threads parses source
            # at once, and CPython 3.11's AST constructor (its recursion
            # counter is shared) dies with "SystemError: AST constructor
            # recursion depth mismatch" (gh-106905), a crash of the tool
            "--workers", "1",
            "--report", "junit", "--report-dir", report]
    for h in headers:
        args += ["-H", h]
    for path in exclude:
        args += ["--exclude-path", path]
    env = dict(os.environ, NO_COLOR="1", SCHEMATHESIS_HOOKS="hooks",
               PYTHONPATH=os.path.join(SRC, "tests", "schema"))
    log = os.path.join(BUILD, "schemathesis-%s.log" % name)
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=SECS * 4 + 120, cwd=s.state, env=env)
    with open(log, "w") as f:
        f.write(p.stdout)
    return p.returncode == 0, "the whole output: %s\n%s" % (log, digest(p.stdout))


def digest(out):
    """The failures as schemathesis reports them (each with what violated
    which part of the schema, the answer and its curl), long lines cut,
    then the summary."""
    lines = out.splitlines()
    first = next((i for i, x in enumerate(lines) if x.strip().startswith("___")), len(lines))
    last = next((i for i, x in enumerate(lines) if "=== SUMMARY" in x), len(lines))
    keep = [x if len(x) <= 300 else x[:300] + "..." for x in lines[first:last] if x.strip()]
    return "\n".join(keep)[-15000:] + "\n" + "\n".join(lines[last:] if last < len(lines) else lines[-40:])


@t.case("a tenant on a paid plan, with an instance, a key and a session")
def _():
    t.ok(os.access(ST, os.X_OK), "schemathesis is installed in the build's venv",
         "%s is missing: ./waqtor test installs it from tests/schema/requirements.txt" % ST)
    s.up()
    owner, b = signup(s, "schema@conformance.test", tenant="Conformance")
    code = s.ctl("accesscode", "create", "--plan", "pro", "--days", "30").stdout.strip()
    t.eq(owner.post("/api/v1/subscription/redeem", {"code": code}).status, 200, "on the pro plan")
    r = owner.post("/api/v1/instances", {"name": "Schema", "provider": "sandbox"})
    t.eq(r.status, 201, "a sandbox instance")
    r = owner.post("/api/v1/api-keys", {"name": "schemathesis"})
    t.eq(r.status, 201, "an API key")
    v["key"], v["cookie"] = r.json()["key"], owner.cookie


@t.case("with an API key: 0 failures")
def _():
    ok, diag = schemathesis("key", auth=("apiKey", v["key"]))
    t.ok(ok, "schemathesis passes with an API key", diag)


@t.case("with a session: 0 failures")
def _():
    # logging out would end the session the rest of the run needs
    ok, diag = schemathesis("session", auth=("session", v["cookie"]),
                            headers=["Origin: http://127.0.0.1:%d" % s.port],
                            exclude=["/api/v1/auth/logout"])
    t.ok(ok, "schemathesis passes with a session", diag)
    t.eq(Client(s, cookie=v["cookie"]).get("/api/v1/me").status, 200, "and the session still works")


@t.case("with no credential: 0 failures")
def _():
    ok, diag = schemathesis("anonymous")
    t.ok(ok, "schemathesis passes without a credential", diag)


t.run(lambda: s.logs())
s.destroy()
t.done()
