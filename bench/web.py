#!/usr/bin/env python3
"""Dashboard budget benchmark (issue 14): initial JavaScript <= 300 KB
gzipped, and largest contentful paint of /dashboard and /auth/login <= 1 s
on localhost in headless Chromium. Starts a private stack from an existing
build (WAQTOR_BUILD_DIR, default build-dev: nothing is built here; refresh
its web/dist with `make -C build-dev web-dist`), signs in as the demo user
and runs bench/web.mjs (Node 18+, playwright-core from web/node_modules,
Chromium at CHROMIUM or /usr/bin/chromium) against it.
Writes bench/results/web-<date>.md and prints it.
Usage: bench/web.py [--runs N]   (10 runs of each page, cold and warm)
"""
import datetime
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("WAQTOR_BUILD_DIR", os.path.join(ROOT, "build-dev"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from harness import BUILD, Stack  # noqa: E402
from messages import machine  # noqa: E402  (bench/messages.py)

RUNS = sys.argv[sys.argv.index("--runs") + 1] if "--runs" in sys.argv else "10"


def credentials(s):
    out = {}
    with open(s.path("demo-credentials")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            out[k] = v
    if not out.get("email") or not out.get("password"):
        raise RuntimeError("demo-credentials has no email= or password= line")
    return out


def source():
    """The commit, and whether web/ differs from it (web/dist may hold those changes)."""
    git = lambda *a: subprocess.run(["git", "-C", ROOT] + list(a), capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "--", "web")
    return "source at commit %s%s" % (git("rev-parse", "--short", "HEAD") or "?",
                                      ", web/ with uncommitted changes" if dirty else ", web/ as committed")


def main():
    if not os.path.isfile(os.path.join(BUILD, "web", "dist", "index.html")):
        sys.exit("web.py: %s/web/dist is not built (make -C %s web-dist)" % (BUILD, BUILD))
    out = os.path.join(ROOT, "bench", "results", "web-%s.md" % datetime.date.today().strftime("%Y%m%d"))
    # the plans' request rates raised: the repeated page loads are never answered 429
    s = Stack(None, WAQTOR_LOG_LEVEL="warn", WAQTOR_RATE_FREE=100000000, WAQTOR_RATE_PRO=100000000,
              WAQTOR_RATE_BUSINESS=100000000)
    try:
        s.up()
        cred = credentials(s)
        subprocess.run(["node", os.path.join(ROOT, "bench", "web.mjs"), "--url", "http://127.0.0.1:%d" % s.port,
                        "--email", cred["email"], "--password", cred["password"], "--runs", RUNS,
                        "--machine", machine(), "--build", os.path.relpath(BUILD, ROOT), "--source", source(), "--state", s.state, "--out", out],
                       check=True, timeout=170)
    finally:
        s.destroy()


if __name__ == "__main__":
    main()
