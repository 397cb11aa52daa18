"""Per-plan quotas: instances, API keys, members and stored media stop at
the plan's number with 409 quota_exceeded naming the limit, also under
concurrent creation; a better plan raises them; uploaded media are deleted
after their retention."""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Stack, Tap, signup, wait_for  # noqa: E402

t = Tap()
s = Stack(t, WAQTOR_QUOTA_INSTANCES="2,4,100", WAQTOR_QUOTA_API_KEYS="2,10,100",
          WAQTOR_QUOTA_MEMBERS="2,10,100", WAQTOR_QUOTA_MEDIA_MB="1,10,100", WAQTOR_RETENTION_SWEEP_MS=300,
          WAQTOR_RATE_FREE=100000, WAQTOR_RATE_PRO=100000)
v = {}


def err(r):
    try:
        return r.json()["error"]
    except (ValueError, KeyError, TypeError):
        return {}


@t.case("a free tenant")
def _():
    s.up()
    v["owner"], b = signup(s, "quota@limits.test", tenant="Quota")
    v["tenant"] = b["tenant"]["id"]
    t.eq(b["tenant"]["plan"], "free", "on the free plan")


@t.case("instances stop at the plan's number, also when created at once")
def _():
    o = v["owner"]
    codes = []
    threads = [threading.Thread(target=lambda i=i: codes.append(
        o.post("/api/v1/instances", {"name": "i%d" % i, "provider": "sandbox"}).status)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    t.eq(sorted(codes), [201, 201] + [409] * 6, "8 created at once: 2 made, 6 refused")
    t.eq(s.psql("SELECT count(*) FROM instances WHERE tenant_id = '%s'" % v["tenant"]), "2", "never more")
    r = o.post("/api/v1/instances", {"name": "one more", "provider": "sandbox"})
    e = err(r)
    t.ok(r.status == 409 and e.get("code") == "quota_exceeded" and
         e.get("details") == {"limit": "instances", "max": 2, "used": 2, "plan": "free"} and
         "free plan allows 2 instances" in e.get("message", ""),
         "409 quota_exceeded names the limit, the maximum and the plan", r.body)


@t.case("API keys and members likewise")
def _():
    o = v["owner"]
    keys = [o.post("/api/v1/api-keys", {"name": "k%d" % i}) for i in range(3)]
    t.eq([k.status for k in keys], [201, 201, 409], "two live keys, then 409")
    t.eq(err(keys[2]).get("details", {}).get("limit"), "apiKeys", "naming apiKeys")
    t.eq(o.delete("/api/v1/api-keys/" + keys[0].json()["id"]).status, 204, "revoke one")
    t.eq(o.post("/api/v1/api-keys", {"name": "again"}).status, 201, "and there is room again")
    r = o.post("/api/v1/members", {"email": "m1@limits.test", "role": "member"})
    t.eq(r.status, 201, "the owner and one invitation make two members")
    r = o.post("/api/v1/members", {"email": "m2@limits.test", "role": "member"})
    t.ok(r.status == 409 and err(r).get("details", {}).get("limit") == "members", "a third is refused", r.body)


@t.case("stored media stop at the plan's megabytes")
def _():
    o = v["owner"]
    iid = o.get("/api/v1/instances").json()["instances"][0]["id"]
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024)

    def upload():
        bnd = "qb"
        body = b"".join(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (bnd, k, val))
                        .encode() for k, val in (("instanceId", iid), ("to", "+966501234567"), ("type", "image")))
        body += ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                 "Content-Type: image/png\r\n\r\n" % bnd).encode() + png + ("\r\n--%s--\r\n" % bnd).encode()
        return o.call("POST", "/api/v1/messages/send-media", raw=body,
                      headers={"Content-Type": "multipart/form-data; boundary=" + bnd})
    first, second = upload(), upload()
    t.eq(first.status, 202, "600 kB fit in the free plan's 1 MB")
    t.ok(second.status == 409 and err(second).get("details", {}).get("limit") == "mediaBytes",
         "600 kB more do not", second.body)
    v["media"] = s.psql("SELECT token FROM media WHERE tenant_id = '%s'" % v["tenant"])


@t.case("a better plan raises the quotas")
def _():
    code = s.ctl("accesscode", "create", "--plan", "pro", "--days", "30").stdout.strip()
    t.eq(v["owner"].post("/api/v1/subscription/redeem", {"code": code}).status, 200, "redeem pro")
    t.eq(v["owner"].post("/api/v1/instances", {"name": "pro one", "provider": "sandbox"}).status, 201,
         "a third instance on pro")


@t.case("uploaded media are deleted after their retention")
def _():
    t.eq(s.get("/api/v1/media/" + v["media"]).status, 200, "served while kept")
    s.psql("UPDATE media SET created_at = now() - interval '31 days'")
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM media") == "0", 10), "deleted after 30 days")
    t.eq(s.get("/api/v1/media/" + v["media"]).status, 404, "and no longer served")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
