#!/usr/bin/env python3
"""Dashboard benchmarks. The budget (issue 14): initial JavaScript <= 300 KB
gzipped, and largest contentful paint of /dashboard and /auth/login <= 1 s
on localhost in headless Chromium (bench/web.mjs). Then the pages (issue
15, bench/web-pages.mjs): each page's own JavaScript, and frame times of
the chat list with CHATS chats (seeded here into the demo tenant, as the
engine stores them) and of the event monitor at 100 events a second; and
GET /chats's query beside the one it replaced, in PostgreSQL. Starts a private stack from an existing
build (WAQTOR_BUILD_DIR, default build-dev: nothing is built here; refresh
its web/dist with `make -C build-dev web-dist`), signs in as the demo user
and runs bench/web.mjs (Node 18+, playwright-core from web/node_modules,
Chromium at CHROMIUM or /usr/bin/chromium) against it.
Writes bench/results/web-<date>.md and web-pages-<date>.md and prints them.
Usage: bench/web.py [--runs N] [--chats N]
  (10 runs of each page, cold and warm; 10,000 chats of 5 messages each)
"""
import datetime
import json
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
CHATS = int(sys.argv[sys.argv.index("--chats") + 1]) if "--chats" in sys.argv else 10000

# GET /chats before sql/019_chats.sql (every message of the tenant grouped), and now
OLD_CHATS = ("SELECT l.instance_id, l.chat_id, l.id, l.created_at, (SELECT count(*) FROM messages u WHERE "
             "u.instance_id = l.instance_id AND u.chat_id = l.chat_id AND u.direction = 'in' AND NOT u.read_by_us), "
             "(SELECT n.contact_name FROM messages n WHERE n.instance_id = l.instance_id AND n.chat_id = l.chat_id AND "
             "n.contact_name IS NOT NULL ORDER BY n.created_at DESC LIMIT 1) FROM (SELECT DISTINCT ON "
             "(instance_id, chat_id) * FROM messages ORDER BY instance_id, chat_id, created_at DESC) l "
             "ORDER BY l.created_at DESC LIMIT 200")
NEW_CHATS = ("SELECT c.instance_id, c.chat_id, m.id, m.created_at, c.unread, c.name FROM chats c JOIN messages m ON "
             "m.id = c.last_id ORDER BY c.last_at DESC, c.instance_id DESC, c.chat_id DESC LIMIT %d")


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


def seed_chats(s, n):
    """n chats in the demo tenant's instance, five messages each over 30 days (four sent and read, then
    one received from 'Guest <i>'), inserted as the engine inserts them: the triggers keep the chat list."""
    tenant, instance = s.psql("SELECT tenant_id, id FROM instances ORDER BY created_at LIMIT 1").split("|")
    s.psql("INSERT INTO messages (tenant_id, instance_id, direction, chat_id, type, content, status, contact_name, "
           "read_by_us, created_at) SELECT '%s', '%s', CASE WHEN k = 5 THEN 'in' ELSE 'out' END, "
           "'96658' || lpad(i::text, 7, '0') || '@c.us', 'text', jsonb_build_object('text', 'message ' || k || "
           "' of chat ' || i), CASE WHEN k = 5 THEN 'received' ELSE 'read' END, CASE WHEN k = 5 THEN 'Guest ' || i END, "
           "i %% 3 <> 0, now() - interval '30 days' + (i * 5 + k) * (interval '30 days' / (%d * 5)) "
           "FROM generate_series(0, %d) i, generate_series(1, 5) k" % (tenant, instance, n, n - 1))
    return tenant, instance


def query_ms(s, tenant, sql, runs=10):
    """Median execution time of sql (EXPLAIN ANALYZE) as the API runs it: role waqtor_app, the tenant set."""
    times = []
    for _ in range(runs):
        out = s.psql("SET ROLE waqtor_app; SET waqtor.tenant_id = '%s'; EXPLAIN (ANALYZE, FORMAT JSON) %s" % (tenant, sql))
        times.append(json.loads(out[out.index("["):])[0]["Execution Time"])
    return sorted(times)[len(times) // 2]


def main():
    if not os.path.isfile(os.path.join(BUILD, "web", "dist", "index.html")):
        sys.exit("web.py: %s/web/dist is not built (make -C %s web-dist)" % (BUILD, BUILD))
    day = datetime.date.today().strftime("%Y%m%d")
    out = os.path.join(ROOT, "bench", "results", "web-%s.md" % day)
    pages = os.path.join(ROOT, "bench", "results", "web-pages-%s.md" % day)
    # the plans' request rates raised: the repeated page loads are never answered 429
    s = Stack(None, WAQTOR_LOG_LEVEL="warn", WAQTOR_RATE_FREE=100000000, WAQTOR_RATE_PRO=100000000,
              WAQTOR_RATE_BUSINESS=100000000)
    try:
        s.up()
        cred = credentials(s)
        common = ["--url", "http://127.0.0.1:%d" % s.port, "--email", cred["email"], "--password", cred["password"],
                  "--machine", machine(), "--build", os.path.relpath(BUILD, ROOT), "--source", source(), "--state", s.state]
        subprocess.run(["node", os.path.join(ROOT, "bench", "web.mjs"), "--runs", RUNS, "--out", out] + common,
                       check=True, timeout=170)
        tenant, instance = seed_chats(s, CHATS)
        for table in ("messages", "chats"):
            s.psql("VACUUM ANALYZE " + table)
        subprocess.run(["node", os.path.join(ROOT, "bench", "web-pages.mjs"), "--redis", s.path("run", "redis.sock"),
                        "--tenant", tenant, "--instance", instance, "--chats", str(CHATS), "--out", pages] + common,
                       check=True, timeout=600)
        messages = int(s.psql("SELECT count(*) FROM messages"))
        old, new = query_ms(s, tenant, OLD_CHATS), query_ms(s, tenant, NEW_CHATS % 50)
        with open(pages, "a") as f:
            f.write("\n## GET /chats's query in PostgreSQL, beside the one it replaced\n\n"
                    "The tenant holds %s chats of %s messages. Median execution time of 10 (EXPLAIN ANALYZE, as "
                    "waqtor_app with the tenant set, as the API runs it):\n\n"
                    "| query | median |\n|---|---|\n"
                    "| before (every message grouped by chat, its unread count and name looked up; 200 chats, no paging) | %.1f ms |\n"
                    "| now (a page of 50 from the chat list sql/019_chats.sql keeps) | %.2f ms |\n\n"
                    "%.0fx less time for the first page; and the old query's time grows with the messages, the new "
                    "one's with the page.\n" % ("{:,}".format(CHATS), "{:,}".format(messages), old, new, old / new))
        print(open(pages).read())
    finally:
        s.destroy()


if __name__ == "__main__":
    main()
