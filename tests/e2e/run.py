"""Runs the dashboard's tests against a whole private stack started the way
harness.py does, and relays their TAP as one plan:

- web/'s type check (tsc, strict) and its Vitest tests (stores, the socket layer against this pushd, the
  premium gate), in jsdom and Node;
- the browser tests (tests/e2e/*.test.mjs): Debian's Chromium driven by
  playwright-core, with axe-core on every page, screenshots of every page
  in light, dark and Arabic into tests/e2e/screenshots/.

The suites get the stack's URL and state directory, the demo login, and
operator access codes in WQ_* variables.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from harness import SRC, Stack, Tap, exclusive  # noqa: E402

WEB = os.path.join(SRC, "web")
CHROMIUM = "/usr/bin/chromium"

exclusive("heavy")  # Chromium takes both cores: never beside test_campaigns
t = Tap()
for need, why in ((os.path.join(WEB, "node_modules", ".bin", "vitest"), "web/node_modules (make runs npm ci)"),
                  (CHROMIUM, "Debian's chromium (./waqtor test installs it)")):
    if not os.path.exists(need):
        print("1..1\nnot ok 1 - %s is missing: %s" % (need, why))
        sys.exit(0)


# webhooks may reach the test's own receiver on this machine, over plain http
s = Stack(t, WAQTOR_WEBHOOK_ALLOW_CIDRS="127.0.0.0/8", WAQTOR_WEBHOOK_ALLOW_HTTP="true")
try:
    s.up()
    creds = dict(l.split("=", 1) for l in open(s.path("demo-credentials")).read().split())
    codes = [s.waqtor("ctl", "accesscode", "create", "--plan", "pro", "--days", "30").stdout.split()[-1]
             for _ in range(6)]
    env = dict(s.env)
    env.update({
        "WQ_URL": "http://127.0.0.1:%d" % s.port,
        "WQ_STATE": s.state,
        "WQ_SRC": SRC,
        "WQ_WEB": WEB,
        "WQ_CHROMIUM": CHROMIUM,
        "WQ_DEMO_EMAIL": creds["email"],
        "WQ_DEMO_PASSWORD": creds["password"],
        "WQ_ACCESS_CODES": ",".join(codes),
        "WQ_SCREENSHOTS": os.path.join(HERE, "screenshots"),
        "NO_COLOR": "1",
    })
    tsc = subprocess.run([os.path.join(WEB, "node_modules", ".bin", "tsc"), "--noEmit", "-p", WEB], cwd=WEB,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    t.ok(tsc.returncode == 0, "web/ type-checks (tsc --noEmit, strict)", tsc.stdout[-3000:])
    t.relay([os.path.join(WEB, "node_modules", ".bin", "vitest"), "run", "--reporter=tap-flat"], WEB, env, 600,
            "web/'s Vitest tests", s.logs)
    files = sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".test.mjs"))
    t.relay(["node", "--test", "--test-reporter=tap", "--test-concurrency=1"] + files, HERE, env, 900,
            "the browser tests", s.logs)
finally:
    s.destroy()
t.done()
