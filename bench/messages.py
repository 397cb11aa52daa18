#!/usr/bin/env python3
"""Engine benchmark (issue 4): end-to-end messages per second, API -> outbox
-> engine -> the fake Graph API (tests/fakes) -> signed status webhooks back
-> receipts applied, for 1, 10 and 50 Cloud API instances, paced (80/s per
number, the Cloud API default) and unpaced (1,000/s per number, the upgraded
tier); engine CPU; engine memory with 1,000 idle connected instances.
Reference: browser-based engines use 200-1,300 MB per WhatsApp session.
Writes bench/results/messages-<date>.md.  Usage: bench/messages.py [--quick]
"""
import concurrent.futures
import datetime
import os
import platform
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from fakes.graph import FakeGraph  # noqa: E402
from harness import Client, Stack, signup, wait_for  # noqa: E402

QUICK = "--quick" in sys.argv
TOKEN = "bench-token-" + "x" * 20
SECRET = "bench-app-secret"


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return "%d cores, %s, %.0f GiB, %s %s" % (os.cpu_count(), cpu, mem, platform.system(), platform.release())


def run(stack, fake, api, n_instances, rate, per_instance, label):
    """Creates n cloud instances at rate, sends per_instance messages to each
    through the API, and times until every one is read."""
    ids = []
    for i in range(n_instances):
        pnid = "9%03d%06d" % (n_instances, i)
        hook_instance = api.post("/api/v1/instances", {"name": "%s-%d" % (label, i), "provider": "cloud", "config": {
            "phoneNumberId": pnid, "accessToken": TOKEN, "appSecret": SECRET, "verifyToken": "v",
            "ratePerSecond": rate}}).json()["id"]
        fake.add_number(phoneNumberId=pnid, accessToken=TOKEN, appSecret=SECRET, ratePerSecond=rate,
                        statusDelayMs=5, webhookUrl="http://127.0.0.1:%d/api/v1/providers/cloud/%s/webhook"
                        % (stack.port, hook_instance))
        ids.append(hook_instance)
    wait_for(lambda: stack.psql("SELECT count(*) FROM instances WHERE id IN (%s) AND status = 'ready'" %
                                ",".join("'%s'" % x for x in ids)) == str(n_instances), 30)
    total = n_instances * per_instance
    engine = stack.pid("waqtor-engine")
    cpu0, t0 = cpu_seconds(engine), time.monotonic()

    def send(k):
        c = Client(stack, key=api.key, origin=False)
        return c.post("/api/v1/messages/send-text", {"instanceId": ids[k % n_instances],
                                                     "to": "+1650%07d" % k, "text": "bench %d" % k}).status
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(send, range(total)))
    t_api = time.monotonic() - t0
    inst = ",".join("'%s'" % x for x in ids)
    done = lambda what: int(stack.psql("SELECT count(*) FROM messages WHERE instance_id IN (%s) AND status IN (%s)"
                                       % (inst, what)))
    wait_for(lambda: done("'sent','delivered','read'") == total, 600, 0.05)
    t_sent = time.monotonic() - t0
    wait_for(lambda: done("'read'") == total, 600, 0.05)
    t_read = time.monotonic() - t0
    cpu = cpu_seconds(engine) - cpu0
    ideal = per_instance / rate  # the pacing floor
    return ("| %s | %d | %d/s | %d | %d | %.0f/s | %.0f/s | %.0f/s | %.2fs | %.1f%% | %d kB |" % (
        label, n_instances, rate, total, codes.count(202), total / t_api, total / t_sent, total / t_read,
        ideal, 100 * cpu / t_read, rss_kb(engine)))


def engine_alone(stack, tenant, n_instances, total):
    """The engine's own dispatch path, without the API or a provider over
    HTTP: `total` messages inserted straight into the outbox of sandbox
    instances (1,000/s each), timed until all are sent."""
    stack.psql("INSERT INTO instances (tenant_id, name, provider, config, paired_at) SELECT '%s', 'fast-%d-' || g, "
               "'sandbox', '{\"deliveryLatencyMs\":600000}', now() FROM generate_series(1, %d) g"
               % (tenant, n_instances, n_instances))
    where = "name LIKE 'fast-%d-%%'" % n_instances
    wait_for(lambda: stack.psql("SELECT count(*) FROM instances WHERE %s AND status = 'ready'" % where)
             == str(n_instances), 60, 0.1)
    engine = stack.pid("waqtor-engine")
    cpu0, t0 = cpu_seconds(engine), time.monotonic()
    stack.psql("WITH i AS (SELECT id, tenant_id, row_number() OVER () - 1 AS k FROM instances WHERE %s) "
               "INSERT INTO messages (tenant_id, instance_id, direction, chat_id, type, content) "
               "SELECT i.tenant_id, i.id, 'out', '1650' || g || '@c.us', 'text', '{\"text\":\"x\"}' "
               "FROM generate_series(0, %d) g JOIN i ON i.k = g %% %d; "
               "SELECT pg_notify('waqtor_outbox', id::text) FROM instances WHERE %s"
               % (where, total - 1, n_instances, where))
    sent = lambda: int(stack.psql("SELECT count(*) FROM messages m JOIN instances i ON i.id = m.instance_id "
                                  "WHERE i.%s AND m.status = 'sent'" % where))
    wait_for(lambda: sent() == total, 300, 0.05)
    dt = time.monotonic() - t0
    cpu = cpu_seconds(engine) - cpu0
    return ("| engine alone: sandbox, outbox filled in SQL | %d | 1000/s | %d | - | - | %.0f/s | - | %.2fs | %.1f%% | %d kB |"
            % (n_instances, total, total / dt, total / (1000.0 * n_instances), 100 * cpu / dt, rss_kb(engine)))


def main():
    fake = FakeGraph(quiet=True).start()
    stack = Stack(WAQTOR_CLOUD_API_BASE=fake.url, WAQTOR_LOG_LEVEL="warn", WAQTOR_RATE_FREE=100000000,
                  WAQTOR_API_WORKERS=4, WAQTOR_QUOTA_INSTANCES="1000000,1000000,1000000")
    rows, idle = [], ""
    try:
        stack.up()
        _, body = signup(stack, "bench@bench.test")
        owner = Client(stack)
        owner.post("/api/v1/auth/login", {"email": "bench@bench.test", "password": "correct horse 1"})
        key = owner.post("/api/v1/api-keys", {"name": "bench"}).json()["key"]
        api = Client(stack, key=key, origin=False)
        # memory per idle connected instance: 1,000 sandbox sessions, on a
        # fresh engine before any load has grown its heap
        engine = stack.pid("waqtor-engine")
        before = rss_kb(engine)
        tenant = body["tenant"]["id"]
        n_idle = 200 if QUICK else 1000
        stack.psql("INSERT INTO instances (tenant_id, name, provider, config, paired_at) SELECT '%s', 'idle-' || g, "
                   "'sandbox', '{}', now() FROM generate_series(1, %d) g" % (tenant, n_idle))
        wait_for(lambda: int(stack.psql("SELECT count(*) FROM instances WHERE name LIKE 'idle-%%' AND status = "
                                        "'ready'")) == n_idle, 120, 0.2)
        time.sleep(2)
        after = rss_kb(engine)
        idle = ("| %d idle connected sandbox instances | %d kB before, %d kB after | %.1f kB per instance |"
                % (n_idle, before, after, (after - before) / n_idle))
        print(idle, flush=True)
        plans = [(1, 80, 240, "paced"), (10, 80, 80, "paced"), (50, 80, 16, "paced"),
                 (1, 1000, 1000, "unpaced"), (10, 1000, 200, "unpaced"), (50, 1000, 40, "unpaced")]
        if QUICK:
            plans = [(1, 80, 80, "paced"), (10, 1000, 50, "unpaced")]
        for n, rate, per, label in plans:
            rows.append(run(stack, fake, api, n, rate, per, "%s-%d" % (label, n)))
            print(rows[-1], flush=True)
        for n, total in ((1, 3000), (10, 10000)) if not QUICK else ((10, 2000),):
            rows.append(engine_alone(stack, tenant, n, total))
            print(rows[-1], flush=True)

    finally:
        stack.destroy()
        fake.stop()

    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    out = os.path.join(ROOT, "bench", "results", "messages-%s.md" % datetime.date.today().strftime("%Y%m%d"))
    with open(out, "w") as f:
        f.write("# Engine benchmark — %s\n\n" % datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%MZ"))
        f.write("Machine: %s.\n" % machine())
        f.write("Everything on this one machine: the stack (nginx, 4 API workers, engine, PostgreSQL, Redis), "
                "the fake Graph API (Python, threaded: it also posts 3 signed status webhooks per message back "
                "through nginx) and the load (16 Python threads calling the API).\n")
        f.write("End to end = from the first API call until every message is read (receipts applied). "
                "The pacing floor is messages per instance / rate: the least time a paced run can take.\n\n")
        f.write("| run | instances | rate per number | messages | 202s | API accepted | sent | read | pacing floor "
                "| engine CPU | engine RSS |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
        f.write("\n".join(rows) + "\n\n")
        f.write("| memory | | |\n|---|---|---|\n%s\n\n" % idle)
        f.write("Reference: browser-based engines (whatsapp-web.js / Puppeteer) use 200-1,300 MB per session.\n")
    print(open(out).read())


if __name__ == "__main__":
    main()
