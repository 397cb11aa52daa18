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
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from harness import SRC, Stack, Tap  # noqa: E402

WEB = os.path.join(SRC, "web")
CHROMIUM = "/usr/bin/chromium"

t = Tap()
for need, why in ((os.path.join(WEB, "node_modules", ".bin", "vitest"), "web/node_modules (make runs npm ci)"),
                  (CHROMIUM, "Debian's chromium (./waqtor test installs it)")):
    if not os.path.exists(need):
        print("1..1\nnot ok 1 - %s is missing: %s" % (need, why))
        sys.exit(0)


def relay(cmd, cwd, env, timeout):
    """Runs a TAP producer and prints its results renumbered into ours."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        timed_out = True
    ran = 0
    for line in out.splitlines():
        if re.match(r"^\s*1\.\.\d+$", line) or line.startswith("TAP version"):
            continue
        m = re.match(r"^(not ok|ok) \d+( .*)?$", line)
        if m:
            ran += 1
            t.n += 1
            if m.group(1) == "not ok":
                t.failed += 1
            line = "%s %d%s" % (m.group(1), t.n, m.group(2) or "")
        print(line, flush=True)
    name = " ".join(os.path.basename(c) for c in cmd[:3])
    t.ok(not timed_out, "%s finished within %d s" % (name, timeout), out[-3000:])
    t.ok(p.returncode == 0 and ran > 0, "%s ran and passed (%d results)" % (name, ran), out[-3000:])


s = Stack(t)
try:
    s.up()
    creds = dict(l.split("=", 1) for l in open(s.path("demo-credentials")).read().split())
    codes = [s.waqtor("ctl", "accesscode", "create", "--plan", "pro", "--days", "30").stdout.split()[-1]
             for _ in range(3)]
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
    relay([os.path.join(WEB, "node_modules", ".bin", "vitest"), "run", "--reporter=tap-flat"], WEB, env, 600)
    files = sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".test.mjs"))
    relay(["node", "--test", "--test-reporter=tap", "--test-concurrency=1"] + files, HERE, env, 900)
finally:
    s.destroy()
t.done()
