#!/usr/bin/env python3
"""Reports benchmark (issue 13): the report routes on a tenant with 10
million messages generated in SQL (90 days, 5 instances, 40 campaigns,
200,000 contacts), through nginx, median and p95 of 30 calls each, with the
plans of their queries; beside them the reference the rollups replace, the
same summary counted over the messages table. Then the rollups' cost on
the send path: POST /messages/send-text with wrk (16 connections) and the
engine's dispatch of 20,000 queued messages, with the report trigger on
and off. Writes bench/results/reports-<date>.md.
Usage: bench/reports.py [--quick] [--campaign-only]   (--quick: 1 million messages)
"""
import datetime
import os
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from harness import Client, Stack, pg_bindir, signup, wait_for  # noqa: E402
from messages import machine  # noqa: E402  (bench/messages.py)

QUICK = "--quick" in sys.argv
CAMPAIGN_ONLY = "--campaign-only" in sys.argv  # the campaign routes and plans alone
N = 1000000 if QUICK else 10000000
DAYS = 90
CONTACTS = 200000


def sql(s, text, timeout=7200):
    """psql over stdin: each statement's output, no time limit to speak of."""
    psql = os.path.join(pg_bindir(s.path("pg", "data")), "psql")
    p = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", s.path("pg", "sock"), "-U", "waqtor",
                        "-d", "waqtor", "-tA", "-f", "-"], input=text, capture_output=True, text=True,
                       timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError("psql: " + p.stderr)
    return p.stdout.strip()


def timed(s, key, path, n=30, accept=None):
    url = "http://127.0.0.1:%d%s" % (s.port, path)
    times = []
    for _ in range(n):
        req = urllib.request.Request(url, headers=dict({"X-API-Key": key}, **({"Accept": accept} if accept else {})))
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=60) as r:
            r.read()
            assert r.status == 200
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def generate(s, tenant):
    """N messages over DAYS days into 5 instances and 40 campaigns, with
    their rollups built as the migration builds them."""
    s.psql("INSERT INTO instances (tenant_id, name, provider, config) SELECT '%s', 'bulk-' || g, 'sandbox', "
           "'{}' FROM generate_series(1, 5) g" % tenant)
    s.psql("INSERT INTO campaigns (tenant_id, instance_id, name, status, message, total) SELECT '%s', "
           "(SELECT id FROM instances WHERE name = 'bulk-' || (g %% 5 + 1)), 'bulk campaign ' || g, 'completed', "
           "'{\"text\":\"x\"}', %d FROM generate_series(1, 40) g" % (tenant, N // 80))
    t0 = time.monotonic()
    # In chunks of a million, with every trigger off (the reports' and the
    # foreign keys' checks, which queued 30 million events in one statement:
    # the rows are consistent by construction), as a bulk load is done.
    for lo in range(0, N, 1000000):
        sql(s, "SET session_replication_role = replica;\n" + """
        WITH i AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM instances WHERE name LIKE 'bulk-%%'),
             c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM campaigns WHERE name LIKE 'bulk campaign%%')
        INSERT INTO messages (tenant_id, instance_id, campaign_id, direction, chat_id, type, status, error,
                              created_at, sent_at, delivered_at, read_at, updated_at)
        SELECT '%s', i.id, CASE WHEN g %% 2 = 0 THEN c.id END, d, (g::bigint * 7919 %% %d) || '@c.us', 'text', st,
               CASE WHEN st = 'failed' THEN '{"code":"131026"}'::jsonb END, t,
               CASE WHEN d = 'out' AND st <> 'pending' THEN t + interval '1 second' END,
               CASE WHEN st IN ('delivered', 'read') THEN t + interval '3 seconds' END,
               CASE WHEN st = 'read' THEN t + interval '40 seconds' END, t
        FROM generate_series(%d, %d) g
        CROSS JOIN LATERAL (SELECT now() - make_interval(secs => (g::float8 / %d) * %d * 86400) AS t,
            CASE WHEN g %% 5 = 0 THEN 'in' ELSE 'out' END AS d) x
        CROSS JOIN LATERAL (SELECT CASE WHEN x.d = 'in' THEN 'received' WHEN g %% 50 = 1 THEN 'failed'
            WHEN g %% 7 = 1 THEN 'delivered' WHEN g %% 11 = 1 THEN 'sent' ELSE 'read' END AS st) y
        JOIN i ON i.k = g %% 5 JOIN c ON c.k = g %% 40
    """ % (tenant, CONTACTS, lo, min(N, lo + 1000000) - 1, N, DAYS))
    t_gen = time.monotonic() - t0
    t0 = time.monotonic()
    sql(s, "DELETE FROM report_hours; DELETE FROM report_scope_hours;\n" + backfill())
    t_roll = time.monotonic() - t0
    sql(s, "VACUUM ANALYZE messages")
    s.psql("VACUUM ANALYZE report_hours")
    s.psql("VACUUM ANALYZE report_scope_hours")
    return t_gen, t_roll


def backfill():
    """The migrations' own statements that build the rollups from the
    messages already stored."""
    out = []
    for name, table in (("015_reports.sql", "report_hours"), ("016_report_scopes.sql", "report_scope_hours")):
        text = open(os.path.join(ROOT, "sql", name)).read()
        i = text.index("INSERT INTO %s SELECT" % table)
        out.append(text[i:text.index(";\n", i) + 2])
    return "".join(out)


def plan(s, tenant, query):
    out = sql(s, "BEGIN;\nSET LOCAL ROLE waqtor_app;\nSELECT set_config('waqtor.tenant_id', '%s', true);\n"
              "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) %s;\nROLLBACK;\n" % (tenant, query))
    return "\n".join(line for line in out.splitlines() if line != tenant)


def send_rate(s, key, instance, label):
    """wrk: POST send-text for 10 s at 16 connections."""
    lua = os.path.join(s.state, "send.lua")
    with open(lua, "w") as f:
        f.write('local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format("POST", nil, '
                '{["Content-Type"] = "application/json", ["X-API-Key"] = "%s"}, '
                '\'{"instanceId":"%s","to":"+1650\' .. string.format("%%07d", n) .. \'","text":"bench"}\')\nend\n'
                % (key, instance))
    out = subprocess.run(["wrk", "-t2", "-c16", "-d10s", "--latency", "-s", lua,
                          "http://127.0.0.1:%d/api/v1/messages/send-text" % s.port],
                         capture_output=True, text=True).stdout
    rps = float([x for x in out.splitlines() if x.startswith("Requests/sec")][0].split()[1])
    p99 = [x for x in out.splitlines() if x.strip().startswith("99%")][0].split()[1]
    non2xx = [x for x in out.splitlines() if "Non-2xx" in x]
    return "| %s | %.0f/s | %s | %s |" % (label, rps, p99, non2xx[0].split()[-1] if non2xx else "0")


def dispatch_rate(s, tenant, label, total=20000):
    """The engine's dispatch of total messages queued in SQL to 10 sandbox
    instances (1,000/s each), sent then delivered (each a trigger call)."""
    name = "d-%s" % label.split()[0]
    s.psql("INSERT INTO instances (tenant_id, name, provider, config, paired_at) SELECT '%s', '%s-' || g, 'sandbox', "
           "'{\"deliveryLatencyMs\":50,\"readLatencyMs\":600000}', now() FROM generate_series(1, 10) g"
           % (tenant, name))
    where = "name LIKE '%s-%%'" % name
    wait_for(lambda: s.psql("SELECT count(*) FROM instances WHERE %s AND status = 'ready'" % where) == "10", 60, 0.1)
    t0 = time.monotonic()
    s.psql("WITH i AS (SELECT id, tenant_id, row_number() OVER () - 1 AS k FROM instances WHERE %s) "
           "INSERT INTO messages (tenant_id, instance_id, direction, chat_id, type, content) "
           "SELECT i.tenant_id, i.id, 'out', '1651' || g || '@c.us', 'text', '{\"text\":\"x\"}' "
           "FROM generate_series(0, %d) g JOIN i ON i.k = g %% 10; "
           "SELECT pg_notify('waqtor_outbox', id::text) FROM instances WHERE %s" % (where, total - 1, where))
    done = lambda: s.psql("SELECT count(*) FROM messages m JOIN instances i ON i.id = m.instance_id WHERE i.%s "
                          "AND m.status = 'delivered'" % where) == str(total)
    wait_for(done, 1200, 1)
    # (from the database's own times: the polling's period does not count)
    dt = float(s.psql("SELECT extract(epoch FROM max(m.delivered_at) - min(m.created_at)) FROM messages m "
                      "JOIN instances i ON i.id = m.instance_id WHERE i.%s" % where))
    return "| %s | %d | %.0f/s |" % (label, total, total / dt)


def main():
    if subprocess.run(["sh", "-c", "command -v wrk"], capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    s = Stack(None, WAQTOR_RATE_FREE=100000000, WAQTOR_RATE_PRO=100000000, WAQTOR_RATE_BUSINESS=100000000,
              WAQTOR_LOG_LEVEL="warn", WAQTOR_QUOTA_INSTANCES="1000,1000,1000")
    lines = []
    try:
        s.up()
        owner, body = signup(s, "bench@reports.test")
        tenant = body["tenant"]["id"]
        s.psql("UPDATE tenants SET plan = 'business', plan_expires_at = now() + interval '1 year' WHERE id = '%s'"
               % tenant)
        key = owner.post("/api/v1/api-keys", {"name": "b"}).json()["key"]
        t_gen, t_roll = generate(s, tenant)
        hours = s.psql("SELECT count(*) FROM report_hours")
        scoped = s.psql("SELECT count(*) FROM report_scope_hours")
        # (half the messages are a campaign's: the even-numbered campaigns')
        camp = s.psql("SELECT campaign_id FROM messages WHERE campaign_id IS NOT NULL LIMIT 1")
        inst = s.psql("SELECT id FROM instances WHERE name = 'bulk-3'")
        count = s.psql("SELECT count(*) FROM messages")
        day = datetime.datetime.now(datetime.timezone.utc)
        d30 = (day - datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:00:00Z")
        d90 = (day - datetime.timedelta(days=90)).strftime("%Y-%m-%dT%H:00:00Z")
        routes = [
            ("summary, 30 days", "/api/v1/reports/summary", None),
            ("summary, 90 days", "/api/v1/reports/summary?from=" + d90, None),
            ("summary, 90 days, one instance", "/api/v1/reports/summary?from=%s&instanceId=%s" % (d90, inst), None),
            ("summary, 90 days, one campaign", "/api/v1/reports/summary?from=%s&campaignId=%s" % (d90, camp), None),
            ("timeseries, days of 90", "/api/v1/reports/timeseries?bucket=day&from=" + d90, None),
            ("timeseries, hours of 30 days", "/api/v1/reports/timeseries?bucket=hour&from=" + d30, None),
            ("timeseries, days of 90, CSV", "/api/v1/reports/timeseries?bucket=day&from=" + d90, "text/csv"),
            ("campaign report", "/api/v1/reports/campaigns/" + camp, None),
        ]
        if CAMPAIGN_ONLY:
            routes = [x for x in routes if "campaign" in x[0]]
        rows = []
        for label, path, accept in routes:
            med, p95 = timed(s, key, path, accept=accept)
            rows.append("| %s | %.1f ms | %.1f ms |" % (label, med, p95))
        t0 = time.monotonic()
        ref = sql(s, "SELECT direction, status, count(*), count(DISTINCT chat_id) FROM messages WHERE tenant_id = "
                     "'%s' AND created_at >= '%s' GROUP BY 1, 2" % (tenant, d90))
        t_ref = (time.monotonic() - t0) * 1000
        rows.append("| reference: the same 90 days counted over messages (one psql query, no HTTP) | %.0f ms | - |"
                    % t_ref)
        plans = [
            ("summary, 90 days (report_buckets over report_rows)",
             "SELECT f.* FROM report_buckets('%s', now(), NULL, NULL, 'all', 'UTC') b, report_figures(b.sums) f"
             % d90),
            ("summary, 90 days, one campaign (report_hours by its campaign index)",
             "SELECT f.* FROM report_buckets('%s', now(), NULL, '%s', 'all', 'UTC') b, report_figures(b.sums) f"
             % (d90, camp)),
            ("timeseries, hours of 30 days",
             "SELECT b.bucket FROM report_buckets('%s', now(), NULL, NULL, 'hour', 'UTC') b" % d30),
            ("the reference scan over messages",
             "SELECT direction, status, count(*) FROM messages WHERE created_at >= '%s' GROUP BY 1, 2" % d90),
        ]
        if CAMPAIGN_ONLY:
            plans = [x for x in plans if "campaign" in x[0]]
        plan_text = ["### %s\n\n```\n%s\n```\n" % (label, plan(s, tenant, q)) for label, q in plans]
        if CAMPAIGN_ONLY:
            lines = ["# Reports at %s messages, one campaign, %s" % ("{:,}".format(int(count)), day.strftime("%Y-%m-%d")),
                     "", machine(), "", "| route | median | p95 |", "|---|---|---|"] + rows + [""] + plan_text
            write(lines)
            return
        sb = Client(s, key=key, origin=False).post("/api/v1/instances", {"name": "send", "provider": "sandbox",
                                                                          "config": {"autoPairSeconds": 0}}).json()["id"]
        wait_for(lambda: s.psql("SELECT status FROM instances WHERE id = '%s'" % sb) == "ready", 30)
        send = [send_rate(s, key, sb, "rollups on")]
        disp = [dispatch_rate(s, tenant, "on (rollups kept)")]
        s.psql("ALTER TABLE messages DISABLE TRIGGER messages_report")
        send.append(send_rate(s, key, sb, "rollups off (trigger disabled)"))
        disp.append(dispatch_rate(s, tenant, "off (trigger disabled)"))
        s.psql("ALTER TABLE messages ENABLE TRIGGER messages_report")
        send.append(send_rate(s, key, sb, "rollups on, again"))
        lines = [
            "# Reports at %s messages, %s" % ("{:,}".format(int(count)), day.strftime("%Y-%m-%d")),
            "",
            machine(),
            "",
            "One tenant: %s messages over %d days (a fifth inbound; read, delivered, sent, failed outbound), "
            "5 instances, 40 campaigns, %s contacts, generated in SQL in %.0f s; its rollups (%s rows of "
            "report_hours, %s of report_scope_hours) built from them in %.0f s, as migrations 015 and 016 do. Each route through nginx with an "
            "API key, 30 calls, sequential." % ("{:,}".format(int(count)), DAYS, "{:,}".format(CONTACTS), t_gen,
                                                "{:,}".format(int(hours)), "{:,}".format(int(scoped)), t_roll),
            "",
            "| route | median | p95 |",
            "|---|---|---|",
        ] + rows + [
            "",
            "## Query plans (EXPLAIN ANALYZE as waqtor_app, row-level security on)",
            "",
        ] + plan_text + [
            "## The rollups on the send path",
            "",
            "POST /api/v1/messages/send-text, wrk, 16 connections, 10 s, to a sandbox instance:",
            "",
            "| report trigger | requests/s | p99 | non-2xx |",
            "|---|---|---|---|",
        ] + send + [
            "",
            "The engine dispatching messages queued in SQL to 10 sandbox instances (1,000/s each), each "
            "message inserted, sent and delivered (three trigger calls):",
            "",
            "| report trigger | messages | until all delivered |",
            "|---|---|---|",
        ] + disp + [""]
    finally:
        subprocess.run(["rm", "-rf", "/tmp/reports-bench-logs"])
        subprocess.run(["cp", "-r", s.path("log"), "/tmp/reports-bench-logs"])
        s.destroy()
    write(lines)


def write(lines):
    out = os.path.join(ROOT, "bench", "results", "reports-%s%s.md" % (datetime.date.today().strftime("%Y%m%d"),
                                                                    "-campaign" if CAMPAIGN_ONLY else ""))
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
