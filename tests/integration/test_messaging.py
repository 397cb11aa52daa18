"""Messages in and out through both providers, end to end: API -> outbox ->
engine -> provider (the sandbox, or the fake Graph API of tests/fakes) ->
receipts and inbound webhooks -> stored and published. Session lifecycle,
idempotency, bad input, signatures and replays, out-of-order receipts,
throttling without loss, token expiry, kill -9 of the engine mid-batch, and
two engines sharing instances."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from fakes.graph import FakeGraph, sign  # noqa: E402
from harness import Client, Events, Stack, Tap, daemon_env, err, holds, signup, wait_for  # noqa: E402

t = Tap()
fake = FakeGraph(quiet=True).start()
s = Stack(t, WAQTOR_CLOUD_API_BASE=fake.url, WAQTOR_CLOUD_API_VERSION="v21.0",
          WAQTOR_ENGINE_LEASE_MS=1500, WAQTOR_OUTBOX_CLAIM_SECS=5, WAQTOR_HTTP_TIMEOUT_MS=3000,
          WAQTOR_RATE_FREE=100000, WAQTOR_RATE_PRO=100000)
extra_engines = []
media_token = None
ev = None  # the tenant's events, from the first case on


def message(api, mid):
    r = api.get("/api/v1/messages/" + mid)
    return r.json() if r.status == 200 else {}


def status_is(api, mid, *wanted):
    return lambda: message(api, mid).get("status") in wanted


def state(api, iid):
    return api.get("/api/v1/instances/%s/state" % iid).json()


def send_text(api, iid, to, text, **kw):
    return api.post("/api/v1/messages/send-text", dict({"instanceId": iid, "to": to, "text": text}, **kw))


def cloud_instance(name, pnid, token="tok-" + "a" * 20, secret="app-secret-1", rate=None):
    cfg = {"phoneNumberId": pnid, "accessToken": token, "appSecret": secret, "verifyToken": "verify-" + pnid}
    if rate:
        cfg["ratePerSecond"] = rate
    iid = api.post("/api/v1/instances", {"name": name, "provider": "cloud", "config": cfg}).json()["id"]
    hook = "http://127.0.0.1:%d/api/v1/providers/cloud/%s/webhook" % (s.port, iid)
    return iid, hook


def webhooks_about(wamid, kind="messages"):
    """(stored, processed) inbound webhooks about wamid: an inbound message
    (kind messages) or a receipt (kind statuses). Matched as JSON: the body
    escapes '/' in the wamid as Meta does."""
    out = s.psql("SELECT count(*), count(processed_at) FROM inbound_events WHERE body::jsonb "
                 "#>> '{entry,0,changes,0,value,%s,0,id}' = '%s'" % (kind, wamid))
    return tuple(int(x) for x in out.split("|"))


def receipts_sent(pnid, wamid):
    """The fake's status webhooks for wamid: their states."""
    return [h["state"] for h in fake.list_webhooks(pnid, "status")
            if any(st["id"] == wamid for st in h["payload"]["entry"][0]["changes"][0]["value"]["statuses"])]


def redis_run_id():
    """Redis's run_id: a new one on every start of the server."""
    for line in s.redis("INFO", "server").splitlines():
        if line.startswith("run_id:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError("no run_id in INFO server")


def health_redis_down():
    r = s.health()
    return r is not None and r.status == 503 and r.json().get("redis") == "down"


@t.case("sandbox: pairing and the session lifecycle")
def sandbox_pairing():
    global api, ev, mid, sb, owner
    s.up()
    owner, b = signup(s, "ops@acme.test")
    tenant = b["tenant"]["id"]
    key = owner.post("/api/v1/api-keys", {"name": "it"}).json()["key"]
    api = Client(s, key=key, origin=False)
    ev = Events(s, "waqtor:%s:*" % tenant)

    r = api.post("/api/v1/instances", {"name": "sb", "provider": "sandbox",
                                       "config": {"deliveryLatencyMs": 100, "readLatencyMs": 200}})
    sb = r.json()["id"]
    st = wait_for(lambda: state(api, sb).get("status") == "qr" and state(api, sb), 10)
    t.ok(st and st["qr"].startswith("waqtor-sandbox:") and st["sandbox"] is True,
         "a new sandbox instance shows a pairing code", st)
    t.ok(wait_for(lambda: ev.of("session.qr", instanceId=sb), 5), "session.qr is published")
    r = api.post("/api/v1/instances/%s/sandbox/pair" % sb)
    t.eq(r.status, 202, "pair the sandbox")
    st = wait_for(lambda: state(api, sb).get("status") == "ready" and state(api, sb), 10)
    t.ok(st and st["clientInfo"]["platform"] == "sandbox" and "qr" not in st, "then it is ready", st)
    t.ok(wait_for(lambda: ev.of("session.status", instanceId=sb, status="ready"), 5),
         "session.status ready is published")

    r = send_text(api, sb, "+966501234567", "hello sandbox")
    t.ok(r.status == 202 and r.json()["status"] == "pending" and r.json()["messageId"], "send-text is 202", r.body)
    mid = r.json()["messageId"]
    t.ok(wait_for(status_is(api, mid, "read"), 15), "the message goes sent -> delivered -> read",
         message(api, mid))
    m = message(api, mid)
    t.ok(m["providerId"].startswith("sandbox.") and m["sentAt"] and m["deliveredAt"] and m["readAt"],
         "with its provider id and times", m)
    got = [e["data"]["status"] for e in ev.of("message.sent", messageId=mid)]
    t.eq(got, ["sent", "delivered", "read"], "each change is published as message.sent, in order")
    t.ok(all(c.startswith("waqtor:%s:" % tenant) for c in ev.channels()), "on the tenant's channels only")

    r = api.post("/api/v1/messages/send-text", {"instanceId": sb, "chatId": "966501234567@c.us",
                                                "text": "by chat id", "quotedMessageId": mid,
                                                "mentionedIds": ["966501234567@c.us"]})
    t.eq(r.status, 202, "send-text by chatId, quoting and mentioning")
    r = send_text(api, sb, "999000111222", "to nowhere")
    fid = r.json()["messageId"]
    t.ok(wait_for(status_is(api, fid, "failed"), 10), "an undeliverable recipient fails")
    t.eq(message(api, fid)["error"]["code"], 131026, "with the provider's reason")

    r = api.post("/api/v1/instances/%s/sandbox/inbound" % sb, {"from": "+966501234567", "text": "hi back",
                                                              "name": "Sara"})
    t.eq(r.status, 202, "inject an inbound message")
    t.ok(wait_for(lambda: ev.of("message.received", chatId="966501234567@c.us"), 10),
         "it is published as message.received")
    rec = ev.of("message.received", chatId="966501234567@c.us")[0]
    t.ok(rec["data"]["content"]["text"] == "hi back" and rec["data"]["contactName"] == "Sara" and
         rec["tenantId"] == tenant, "with the text and the contact", rec)
    chats = api.get("/api/v1/chats?instanceId=" + sb).json()["chats"]
    t.ok(chats and chats[0]["unreadCount"] == 1 and chats[0]["lastMessage"]["content"]["text"] == "hi back",
         "the chat shows the last message and one unread", chats)
    r = api.post("/api/v1/chats/966501234567%40c.us/read")
    t.ok(r.status == 200 and r.json()["marked"] == 1, "mark the chat read", r.body)
    t.eq(api.get("/api/v1/chats").json()["chats"][0]["unreadCount"], 0, "no unread left")
    r = api.post("/api/v1/messages/send-text", {"instanceId": sb, "chatId": "966501234567@c.us", "text": "you're welcome"})
    t.eq(r.status, 202, "an answer")
    c = [c for c in api.get("/api/v1/chats?instanceId=" + sb).json()["chats"] if c["chatId"] == "966501234567@c.us"][0]
    t.ok(c["name"] == "Sara" and c["lastMessage"]["direction"] == "out",
         "the chat keeps its contact's name when the last message is ours", c)

    msgs = api.get("/api/v1/messages?instanceId=%s&direction=out&limit=2" % sb).json()
    t.ok(len(msgs["messages"]) == 2 and msgs["nextCursor"], "list messages, newest first, paged", msgs)
    more = api.get("/api/v1/messages?instanceId=%s&direction=out&limit=2&cursor=%s" % (sb, msgs["nextCursor"]))
    t.ok(more.json()["messages"] and more.json()["messages"][0]["id"] not in
         [x["id"] for x in msgs["messages"]], "the cursor gives the next page")
    read = api.get("/api/v1/messages?status=read&instanceId=" + sb).json()["messages"]
    t.ok(mid in [x["id"] for x in read] and all(x["status"] == "read" for x in read), "filter by status",
         read)
    for q in ("status=bogus", "since=yesterday", "instanceId=nope", "limit=0", "cursor=x",
              "since=2026-02-30T00:00:00Z", "until=2026-13-01T00:00:00Z", "since=2026-01-01T25:00:00Z",
              "since=2026-01-01T00:00:00%2B24:00", "since=2025-02-29T00:00:00Z"):
        t.eq(api.get("/api/v1/messages?" + q).status, 400, "a bad filter is 400 (%s)" % q)


@t.case("the chat list: pages by cursor, search, unread kept with the messages")
def chat_list():
    # 250 more chats, written as the engine writes them (the triggers keep the list)
    s.psql("INSERT INTO messages (tenant_id, instance_id, direction, chat_id, type, content, status, "
           "contact_name, created_at) SELECT tenant_id, id, 'in', '96655' || lpad(i::text, 7, '0') || '@c.us', "
           "'text', jsonb_build_object('text', 'hello ' || i), 'received', 'Guest ' || i, "
           "now() - interval '1 day' + i * interval '1 second' FROM instances, generate_series(1, 250) i "
           "WHERE id = '%s'" % sb)
    want = int(s.psql("SELECT count(DISTINCT chat_id) FROM messages WHERE instance_id = '%s'" % sb))
    seen, cursor, pages = [], None, 0
    while True:
        r = api.get("/api/v1/chats?limit=100" + ("&cursor=" + cursor if cursor else ""))
        if r.status != 200 or pages > 5:
            break
        seen += r.json()["chats"]
        cursor, pages = r.json()["nextCursor"], pages + 1
        if cursor is None:
            break
    ids = [c["chatId"] for c in seen]
    t.ok(want >= 252 and len(ids) == want and len(set(ids)) == want and pages == 3,
         "three pages of 100 give every chat once", (want, len(ids), len(set(ids)), pages))
    times = [c["lastMessage"]["createdAt"] for c in seen]
    t.ok(times == sorted(times, reverse=True), "newest first across the pages")
    t.eq(api.get("/api/v1/chats").json()["nextCursor"] is not None and
         len(api.get("/api/v1/chats").json()["chats"]), 50, "50 to a page unless asked")

    r = api.get("/api/v1/chats?search=guest%2012").json()["chats"]
    t.eq(sorted(c["name"] for c in r), ["Guest 12"] + ["Guest %d" % i for i in range(120, 130)],
         "search finds the names that contain it, whatever the case")
    r = api.get("/api/v1/chats?search=%2B966%2055%20000%200012").json()["chats"]
    t.eq([c["chatId"] for c in r], ["966550000012@c.us"], "and the number, whatever its separators")
    t.eq(api.get("/api/v1/chats?search=nobody").json()["chats"], [], "nothing found is an empty page")

    chat = "966550000007@c.us"
    s.psql("INSERT INTO messages (tenant_id, instance_id, direction, chat_id, type, content, status, created_at) "
           "SELECT tenant_id, id, 'in', '%s', 'text', '{\"text\": \"older\"}', 'received', now() - "
           "interval '2 days' FROM instances WHERE id = '%s'" % (chat, sb))
    c = [c for c in api.get("/api/v1/chats?search=%s&instanceId=%s" % (chat[:12], sb)).json()["chats"]][0]
    t.ok(c["unreadCount"] == 2 and c["lastMessage"]["content"]["text"] == "hello 7" and c["name"] == "Guest 7",
         "an older message counts as unread but does not displace the last one", c)
    r = api.post("/api/v1/chats/%s/read?instanceId=%s" % (chat.replace("@", "%40"), sb))
    t.ok(r.status == 200 and r.json()["marked"] == 2, "mark it read", r.body)
    c = api.get("/api/v1/chats?search=%s" % chat[:12]).json()["chats"][0]
    t.eq(c["unreadCount"], 0, "and its unread count is 0")
    t.eq(api.post("/api/v1/chats/%s/read" % chat.replace("@", "%40")).json()["marked"], 0,
         "marking it again changes nothing")
    t.eq(api.get("/api/v1/chats?search=%s" % chat[:12]).json()["chats"][0]["unreadCount"], 0, "still 0")

    for q in ("limit=0", "limit=201", "limit=x", "cursor=x", "instanceId=nope", "search=" + "a" * 101,
              "search=%ff", "search=a%00b", "search=a%0Ab"):
        r = api.get("/api/v1/chats?" + q)
        t.ok(r.status == 400 and err(r) == "validation_failed", "a bad argument is 400 (%s)" % q[:20], r.body)

    other, _ = signup(s, "chats@other.test", tenant="Other")
    r = other.get("/api/v1/chats")
    t.ok(r.status == 200 and r.json()["chats"] == [] and r.json()["nextCursor"] is None,
         "another tenant sees none of these chats", r.body)
    r = other.get("/api/v1/chats?cursor=%s&search=guest" % seen[0]["lastMessage"]["id"])
    t.ok(r.status == 200 and r.json()["chats"] == [], "not even through a cursor of theirs", r.body)


@t.case("sandbox: logout and restart")
def sandbox_logout():
    r = api.post("/api/v1/instances/%s/logout" % sb)
    t.eq(r.status, 202, "logout")
    t.ok(wait_for(lambda: state(api, sb).get("status") == "disconnected", 10), "the session disconnects")
    r = send_text(api, sb, "+966501234567", "while logged out")
    queued = r.json()["messageId"]
    t.ok(holds(lambda: message(api, queued).get("status") == "pending", 1), "messages wait while disconnected",
         message(api, queued))
    api.post("/api/v1/instances/%s/restart" % sb)
    t.ok(wait_for(lambda: state(api, sb).get("status") == "qr", 10), "restart after logout asks to pair again")
    api.post("/api/v1/instances/%s/sandbox/pair" % sb)
    t.ok(wait_for(status_is(api, queued, "read"), 15), "and the waiting message goes out once paired")


@t.case("idempotency and bad input")
def idempotency_bad_input():
    body = {"instanceId": sb, "to": "+966501234568", "text": "once"}
    r1 = api.call("POST", "/api/v1/messages/send-text", body=body, headers={"Idempotency-Key": "order-42"})
    r2 = api.call("POST", "/api/v1/messages/send-text", body=body, headers={"Idempotency-Key": "order-42"})
    t.ok(r1.status == r2.status == 202 and r1.json() == r2.json() and r2.header("Idempotent-Replayed"),
         "a retried POST with the same Idempotency-Key gets the first answer", (r1.body, r2.body))
    t.eq(s.psql("SELECT count(*) FROM messages WHERE content->>'text' = 'once'"), "1", "and sends once")
    r3 = api.call("POST", "/api/v1/messages/send-text", body=dict(body, text="twice"),
                  headers={"Idempotency-Key": "order-42"})
    t.eq((r3.status, err(r3)), (422, "idempotency_mismatch"), "the key with another body is 422")
    r = api.call("POST", "/api/v1/messages/send-text", body=body, headers={"Idempotency-Key": "bad key!"})
    t.eq(r.status, 400, "a malformed key is 400")

    bad = [
        ({"instanceId": sb, "text": "x"}, "to"),
        ({"instanceId": sb, "to": "12", "text": "x"}, "to"),
        ({"instanceId": sb, "to": "+966501234567", "chatId": "966501234567@c.us", "text": "x"}, "to"),
        ({"instanceId": sb, "chatId": "966501234567@g.us", "text": "x"}, "chatId"),
        ({"instanceId": sb, "to": "+966501234567", "text": "x" * 4097}, "text"),
        ({"instanceId": sb, "to": "+966501234567", "text": ""}, "text"),
        ({"instanceId": "nope", "to": "+966501234567", "text": "x"}, "instanceId"),
        ({"instanceId": sb, "to": "+966501234567", "text": 5}, "text"),
        ({"instanceId": sb, "to": "+966501234567", "text": "x", "mentionedIds": [1]}, "mentionedIds"),
    ]
    before = s.psql("SELECT count(*) FROM messages")
    for b2, field in bad:
        r = api.post("/api/v1/messages/send-text", b2)
        t.ok(r.status == 400 and field in r.json()["error"].get("details", {}), "send-text refuses bad %s" % field,
             r.body)
    r = api.post("/api/v1/messages/send-media", {"instanceId": sb, "to": "+966501234567", "type": "image",
                                                 "url": "javascript:alert(1)"})
    t.ok(r.status == 400 and "url" in r.json()["error"]["details"], "send-media needs an http(s) URL")
    r = api.post("/api/v1/messages/send-media", {"instanceId": sb, "to": "+966501234567", "type": "movie",
                                                 "url": "https://x.test/a.mp4"})
    t.eq(r.status, 400, "send-media checks the type")
    # upload instead of a URL (multipart)
    png = (b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

    def form(fields, file_bytes, filename="a.png"):
        bnd = "----wqmedia"
        out = b""
        for k, v in fields.items():
            out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (bnd, k, v)).encode()
        out += ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n" % (bnd, filename)).encode()
        out += file_bytes + ("\r\n--%s--\r\n" % bnd).encode()
        return out, {"Content-Type": "multipart/form-data; boundary=" + bnd}

    raw, hdr = form({"instanceId": sb, "to": "+966501234567", "type": "image", "caption": "uploaded"}, png)
    r = api.call("POST", "/api/v1/messages/send-media", raw=raw, headers=hdr)
    t.eq(r.status, 202, "send-media with an uploaded file is 202")
    up = message(api, r.json()["messageId"])
    url = up.get("content", {}).get("url", "")
    t.ok(url.startswith("http://127.0.0.1:%d/api/v1/media/" % s.port) and up["content"]["caption"] == "uploaded",
         "the file gets a public URL", up)
    global media_token
    media_token = url.rsplit("/", 1)[1]
    got = s.get(url.split(str(s.port), 1)[1])
    t.ok(got.status == 200 and got.body == png and got.header("Content-Type") == "image/png",
         "the provider can fetch it without credentials")
    t.eq(s.get("/api/v1/media/" + "0" * 64).status, 404, "an unknown media token is 404")
    raw, hdr = form({"instanceId": sb, "to": "+966501234567", "type": "image"}, b"<html>not an image</html>")
    r = api.call("POST", "/api/v1/messages/send-media", raw=raw, headers=hdr)
    t.eq((r.status, err(r)), (415, "unsupported_media_type"), "a file that is not an image is refused as one")
    raw, hdr = form({"instanceId": sb, "to": "+966501234567", "type": "image"}, png + b"\0" * (5 << 20))
    r = api.call("POST", "/api/v1/messages/send-media", raw=raw, headers=hdr)
    t.eq((r.status, err(r)), (413, "payload_too_large"), "an image over 5 MB is refused")
    raw, hdr = form({"instanceId": sb, "type": "image"}, png)
    r = api.call("POST", "/api/v1/messages/send-media", raw=raw, headers=hdr)
    t.eq(r.status, 400, "an upload without a recipient is 400")
    r = api.call("POST", "/api/v1/messages/send-media", raw=b"--x\r\n", headers={
        "Content-Type": "multipart/form-data; boundary=x"})
    t.eq(r.status, 400, "a malformed multipart body is 400")
    t.eq(s.psql("SELECT count(*) FROM media"), "1", "refused uploads stored nothing")
    r = send_text(api, "00000000-0000-4000-8000-000000000000", "+966501234567", "x")
    t.eq((r.status, err(r)), (404, "not_found"), "an unknown instance is 404")
    other, _ = signup(s, "eve@other.test", tenant="Other")
    r = send_text(other, sb, "+966501234567", "not yours")
    t.eq((r.status, err(r)), (404, "not_found"), "another tenant's instance is 404")
    t.eq(other.get("/api/v1/messages/" + mid).status, 404, "another tenant's message is 404")
    t.eq(other.get("/api/v1/messages").json()["messages"], [], "another tenant lists none of them")
    r = api.post("/api/v1/messages/send-interactive", {"instanceId": sb, "to": "+966501234567", "interactive": {
        "type": "button", "body": {"text": "Pick"}, "action": {"buttons": []}}})
    t.eq((r.status, err(r)), (402, "subscription_required"), "interactive messages are premium")
    t.eq(int(s.psql("SELECT count(*) FROM messages")), int(before) + 1, "no refused send queued anything")

    code = s.ctl("accesscode", "create", "--plan", "pro", "--days", "30").stdout.strip()
    t.eq(owner.post("/api/v1/subscription/redeem", {"code": code}).status, 200, "go pro (an owner redeems)")


@t.case("cloud: every kind of message through the fake Graph API")
def cloud_sends():
    global c1, hook1
    c1, hook1 = cloud_instance("cloud-1", "1065403522")
    fake.add_number(phoneNumberId="1065403522", accessToken="tok-" + "a" * 20, appSecret="app-secret-1",
                    webhookUrl=hook1, statusDelayMs=30)
    t.ok(wait_for(lambda: state(api, c1).get("status") == "ready", 10), "a cloud instance is ready")

    sends = [
        ("send-text", {"to": "+16505551234", "text": "hello cloud"}, "text"),
        ("send-media", {"to": "+16505551234", "type": "image", "url": "https://cdn.test/a.png",
                        "caption": "a picture"}, "image"),
        ("send-media", {"to": "+16505551234", "type": "document", "url": "https://cdn.test/a.pdf",
                        "filename": "a.pdf"}, "document"),
        ("send-template", {"to": "+16505551234", "template": {"name": "hello_world", "language": "en_US"}},
         "template"),
        ("send-interactive", {"to": "+16505551234", "interactive": {
            "type": "button", "body": {"text": "Pick one"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "y", "title": "Yes"}}]}}}, "interactive"),
    ]
    ids = {}
    for path, b2, kind in sends:
        r = api.post("/api/v1/messages/" + path, dict(b2, instanceId=c1))
        t.eq(r.status, 202, "%s through the cloud provider is 202" % path)
        ids[kind] = r.json().get("messageId")
    for kind, mid2 in ids.items():
        t.ok(wait_for(status_is(api, mid2, "read"), 20), "%s: accepted by the Graph API and read" % kind,
             message(api, mid2))
    seen = {m2["type"]: m2["body"] for m2 in fake.list_messages("1065403522")}
    t.ok(seen.get("text", {}).get("text", {}).get("body") == "hello cloud" and
         seen["text"]["biz_opaque_callback_data"] == ids["text"] and seen["text"]["to"] == "16505551234",
         "the text request follows the contract", seen.get("text"))
    t.ok(seen.get("image", {}).get("image") == {"link": "https://cdn.test/a.png", "caption": "a picture"},
         "the image request", seen.get("image"))
    t.ok(seen.get("template", {}).get("template", {}).get("language") == {"code": "en_US"}, "the template request")
    t.eq(message(api, ids["text"])["providerId"],
         [x["wamid"] for x in fake.list_messages("1065403522")
          if x["body"].get("biz_opaque_callback_data") == ids["text"]][0],
         "the wamid is kept as the provider id")


@t.case("cloud: an inbound webhook delivered twice")
def cloud_inbound_twice():
    wamid, hooks = fake.inbound("1065403522", {"from": "16505559876", "name": "Sheena Nelson", "text": "hi there",
                                              "twice": True})
    t.eq([h.state for h in hooks], ["delivered", "delivered"], "the fake delivered the signed webhook twice")
    t.ok(wait_for(lambda: ev.of("message.received", providerId=wamid), 10), "an inbound webhook message arrives")
    # the second copy is the same body: answered 200 as a duplicate, not stored again
    t.ok(wait_for(lambda: webhooks_about(wamid) == (1, 1), 15), "the body is stored once and processed",
         webhooks_about(wamid))
    t.eq(s.psql("SELECT count(*) FROM messages WHERE provider_id = '%s'" % wamid), "1",
         "delivered twice, stored once")
    # published after its commit: a second event would follow the processing at once
    t.ok(holds(lambda: len(ev.of("message.received", providerId=wamid)) == 1, 0.5), "and published once",
         ev.of("message.received", providerId=wamid))


@t.case("cloud: verification handshake and signatures")
def cloud_signatures():
    r = s.get("/api/v1/providers/cloud/%s/webhook?hub.mode=subscribe&hub.verify_token=verify-1065403522"
              "&hub.challenge=1158201444" % c1)
    t.ok(r.status == 200 and r.body == b"1158201444", "the verification handshake echoes the challenge")
    r = s.get("/api/v1/providers/cloud/%s/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1" % c1)
    t.eq(r.status, 403, "a wrong verify token is 403")
    payload = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    for name, hdr in (("no signature", {}), ("a wrong signature", {"X-Hub-Signature-256": sign(payload, "nope")}),
                      ("a malformed signature", {"X-Hub-Signature-256": "sha256=zz"})):
        r = s.request("POST", "/api/v1/providers/cloud/%s/webhook" % c1, body=payload,
                      headers=dict(hdr, **{"Content-Type": "application/json"}))
        t.eq((r.status, err(r)), (401, "bad_signature"), "a webhook with %s is 401" % name)
    r = s.request("POST", "/api/v1/providers/cloud/%s/webhook" % c1, body=b"{not json",
                  headers={"X-Hub-Signature-256": sign(b"{not json", "app-secret-1")})
    t.eq(r.status, 400, "a signed body that is not JSON is 400")
    r = s.request("POST", "/api/v1/providers/cloud/%s/webhook" % sb, body=payload,
                  headers={"X-Hub-Signature-256": sign(payload, "app-secret-1")})
    t.eq(r.status, 404, "a sandbox instance has no cloud webhook")
    t.eq(s.psql("SELECT count(*) FROM inbound_events WHERE body = '{not json'"), "0", "refused webhooks store nothing")


@t.case("cloud: receipts out of order")
def cloud_receipts():
    # read before delivered, each receipt twice
    fake.add_number(phoneNumberId="1065403522", accessToken="tok-" + "a" * 20, appSecret="app-secret-1",
                    webhookUrl=hook1, statusDelayMs=20, chaos={"shuffle": "reverse", "duplicate": 1.0})
    mid = send_text(api, c1, "+16505551234", "out of order").json()["messageId"]
    t.ok(wait_for(lambda: message(api, mid).get("status") == "read" and
                  len(fake.list_messages("1065403522")[-1].get("statuses", [])) >= 3, 15),
         "receipts in reverse order, each twice, end at read")
    wamid = message(api, mid)["providerId"]
    # sent, delivered and read, each twice: six webhooks, all answered; the
    # three distinct bodies stored (once each) and processed
    t.ok(wait_for(lambda: receipts_sent("1065403522", wamid) == ["delivered"] * 6 and
                  webhooks_about(wamid, "statuses") == (3, 3), 15), "all six receipts are answered and processed",
         (receipts_sent("1065403522", wamid), webhooks_about(wamid, "statuses")))
    t.eq(message(api, mid)["status"], "read", "and the status never moved back")
    t.ok(message(api, mid)["deliveredAt"] is not None, "delivered is recorded even when read came first")
    fake.add_number(phoneNumberId="1065403522", accessToken="tok-" + "a" * 20, appSecret="app-secret-1",
                    webhookUrl=hook1, statusDelayMs=30)


@t.case("cloud: provider errors")
def cloud_errors():
    fake.set_faults("1065403522", next=[{"code": 131047}])
    mid = send_text(api, c1, "+16505551234", "too late").json()["messageId"]
    t.ok(wait_for(status_is(api, mid, "failed"), 10), "131047 fails the message")
    t.eq(message(api, mid)["error"]["code"], 131047, "with the reason")
    before = fake.stats()
    fake.set_faults("1065403522", next=[{"http": 503}, {"http": 500}])
    mid = send_text(api, c1, "+16505551234", "transient").json()["messageId"]
    t.ok(wait_for(status_is(api, mid, "read"), 20), "5xx answers are retried with backoff until sent")
    after = fake.stats()
    t.eq((after["faultsInjected"] - before["faultsInjected"],
          after["rejected"].get("http503", 0) - before["rejected"].get("http503", 0),
          after["rejected"].get("http500", 0) - before["rejected"].get("http500", 0)), (2, 1, 1),
         "the Graph API did answer 503, then 500")
    fake.set_faults("1065403522", next=[{"hang": 5, "then": "close"}])
    mid = send_text(api, c1, "+16505551234", "hanging").json()["messageId"]
    t.ok(wait_for(status_is(api, mid, "read"), 25), "a hanging Graph API times out and the message is retried")
    t.eq(fake.stats()["hangs"] - after["hangs"], 1, "the Graph API did hang")


@t.case("cloud: throttling without loss")
def cloud_throttling():
    global c2, hook2
    # the fake allows 10/s while the instance believes 80/s
    c2, hook2 = cloud_instance("cloud-2", "1065403599", rate=80)
    fake.add_number(phoneNumberId="1065403599", accessToken="tok-" + "a" * 20, appSecret="app-secret-1",
                    webhookUrl=hook2, ratePerSecond=10, statuses=["sent"])
    t.ok(wait_for(lambda: state(api, c2).get("status") == "ready", 10), "second cloud instance ready")
    burst = [send_text(api, c2, "+1650555%04d" % i, "burst %d" % i).json()["messageId"] for i in range(60)]
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE id IN (%s) AND status = 'sent'" %
                                 ",".join("'%s'" % x for x in burst)) == "60", 60),
         "throttled (130429) messages are retried until all are sent",
         s.psql("SELECT status, count(*) FROM messages WHERE instance_id = '%s' GROUP BY 1" % c2))
    t.ok(fake.stats()["rateLimited"] > 0, "the fake did throttle", fake.stats())
    t.eq(s.psql("SELECT count(*) FROM messages WHERE instance_id = '%s' AND status = 'failed'" % c2), "0",
         "none of them failed")


@t.case("cloud: pacing")
def cloud_pacing():
    # a number at 20/s, its Graph API enforcing 20/s (sliding window)
    c3, hook3 = cloud_instance("cloud-3", "1065403600", rate=20)
    fake.add_number(phoneNumberId="1065403600", accessToken="tok-" + "a" * 20, appSecret="app-secret-1",
                    webhookUrl=hook3, ratePerSecond=20, statuses=["sent"])
    t.ok(wait_for(lambda: state(api, c3).get("status") == "ready", 10), "third cloud instance ready")
    throttled_before = fake.stats()["rateLimited"]
    t0 = time.monotonic()
    paced = [send_text(api, c3, "+1650556%04d" % i, "paced %d" % i).json()["messageId"] for i in range(60)]
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE instance_id = '%s' AND status = 'sent'"
                                 % c3) == "60", 30), "60 paced messages are sent")
    # 60 at 20/s cannot take less than two windows after the first 20: the lower
    # bound of the pacing is the feature itself (the one wall-clock check here)
    t.ok(time.monotonic() - t0 >= 2.0, "they are spread over the seconds, not sent at once")
    t.eq(fake.stats()["rateLimited"] - throttled_before, 0,
         "the Graph API never had to throttle them: never above the number's rate")


@t.case("cloud: token expiry")
def cloud_token_expiry():
    # 190 -> auth_failure and a notification; fixing the token resumes
    fake.set_faults("1065403522", next=[{"code": 190}])
    mid = send_text(api, c1, "+16505551234", "expired").json()["messageId"]
    t.ok(wait_for(lambda: state(api, c1).get("status") == "auth_failure", 10), "190 puts the instance in auth_failure")
    t.ok(wait_for(lambda: ev.notes("instance.auth_failure", instanceId=c1), 5), "and notifies the tenant")
    t.eq(message(api, mid)["status"], "pending", "the message is kept, not failed")
    r = api.patch("/api/v1/instances/" + c1, {"config": {"phoneNumberId": "1065403522", "accessToken": "tok-" + "a" * 20}})
    t.eq(r.status, 200, "update the token")
    t.ok(wait_for(status_is(api, mid, "read"), 20), "the session comes back and the message is sent",
         (message(api, mid), state(api, c1), open(s.path("log", "waqtor-engine.log")).read()[-3000:]))


@t.case("kill -9 of the engine mid-batch")
def engine_kill():
    fake.add_number(phoneNumberId="1065403599", accessToken="tok-" + "a" * 20, appSecret="app-secret-1",
                    webhookUrl=hook2, ratePerSecond=1000, statuses=["sent"])
    # the first 30 sends are answered, the next 20 hang at the Graph API:
    # claimed and in flight at the kill, however fast the machine. The
    # engine gives a held send up after WAQTOR_HTTP_TIMEOUT_MS (3 s here), so
    # the batch is posted beside the watch rather than before it (300 posts
    # on a loaded machine took longer than that, and the claims were gone)
    hangs = fake.stats()["hangs"]
    fake.set_faults("1065403599", next=[{"hang": 0, "then": "answer"}] * 30 + [{"hang": 10, "then": "close"}] * 20)
    batch = []
    poster = threading.Thread(target=lambda: batch.extend(
        send_text(api, c2, "+1650557%04d" % i, "batch %d" % i).json()["messageId"] for i in range(300)))
    poster.start()
    t.ok(wait_for(lambda: int(s.psql("SELECT count(*) FROM messages WHERE instance_id = '%s' AND status = 'sent' "
                                     "AND content->>'text' LIKE 'batch %%'" % c2)) > 20, 20, 0.02),
         "the engine is sending the batch")
    dead = s.psql("SELECT id FROM engines ORDER BY heartbeat_at DESC LIMIT 1")
    t.ok(wait_for(lambda: fake.stats()["hangs"] - hangs >= 50, 10, 0.02), "20 sends are held at the Graph API")
    s.kill("waqtor-engine")
    poster.join()
    sent_before = s.psql("SELECT count(*) FROM messages WHERE content->>'text' LIKE 'batch %' AND status <> 'pending'")
    t.ok(int(sent_before) < 300, "the engine died mid-batch (%s of 300 done)" % sent_before)
    claimed = s.psql("SELECT count(*) FROM messages WHERE claimed_by = '%s' AND status = 'pending'" % dead)
    s.up()
    t.ok(int(claimed) > 0 and wait_for(lambda: "claim(s) of its previous owner released" in
                                       open(s.path("log", "waqtor-engine.log")).read(), 20),
         "the engine taking the instance over voids the dead one's claims (%s) at once" % claimed)
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE content->>'text' LIKE 'batch %' AND "
                                 "status = 'sent'") == "300", 60),
         "after the restart every message of the batch ends sent",
         s.psql("SELECT status, count(*) FROM messages WHERE content->>'text' LIKE 'batch %' GROUP BY 1"))
    got = {m2["body"]["biz_opaque_callback_data"] for m2 in fake.list_messages("1065403599")}
    t.ok(set(batch) <= got, "the Graph API received all 300 (at least once)")


@t.case("PostgreSQL restart and Redis crash mid-stream")
def pg_redis_restart():
    pg_batch = [send_text(api, c2, "+1650558%04d" % i, "pg %d" % i).json()["messageId"] for i in range(200)]
    started = s.pg_started_at()
    redis_before = (s.pid("redis"), redis_run_id())
    unsent = s.psql("SELECT count(*) FROM messages WHERE content->>'text' LIKE 'pg %' AND status <> 'sent'")
    s.pg_ctl("-m", "immediate", "restart", "-w", "-l", s.path("log", "postgres.log"))
    t.ok(s.pg_started_at() != started, "PostgreSQL was restarted (another postmaster start time; "
         "%s of 200 were not sent yet)" % unsent)
    s.kill("redis")
    t.ok(wait_for(health_redis_down, 10), "the API sees Redis down")
    s.up()
    redis_after = (s.pid("redis"), redis_run_id())
    t.ok(redis_after[0] is not None and redis_after[0] != redis_before[0] and redis_after[1] != redis_before[1],
         "Redis was restarted (another pid and run_id)", (redis_before, redis_after))
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE content->>'text' LIKE 'pg %' AND "
                                 "status = 'sent'") == "200", 60),
         "a PostgreSQL restart and a Redis crash mid-stream lose no message",
         s.psql("SELECT status, count(*) FROM messages WHERE content->>'text' LIKE 'pg %' GROUP BY 1"))


@t.case("an inbound webhook while the engine is down")
def inbound_engine_dead():
    # stored while the engine is dead, processed when it returns
    s.kill("waqtor-engine")
    wamid, _ = fake.inbound("1065403522", {"from": "16505554321", "name": "Late", "text": "while you were out"})
    t.eq(webhooks_about(wamid), (1, 0), "a webhook that arrives while the engine is down is stored")
    s.up()
    t.ok(wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE provider_id = '%s'" % wamid) == "1", 20),
         "and becomes a message when the engine is back")


@t.case("two engines share the instances")
def two_engines():
    env = daemon_env(s.pid("waqtor-engine"))
    log2 = open(s.path("log", "engine-2.log"), "a")
    e2 = subprocess.Popen(s.as_service() + [s.path("app", "bin", "waqtor-engine")], env=env,
                          stdout=log2, stderr=log2)
    extra_engines.append(e2)
    for i in range(4):
        api.post("/api/v1/instances", {"name": "sb-%d" % i, "provider": "sandbox", "config": {"autoPairSeconds": 0}})
    t.ok(wait_for(lambda: s.psql("SELECT count(DISTINCT owner_engine) FROM instances WHERE lease_until > now()")
                  == "2", 15), "two engines split the instances between them",
         s.psql("SELECT owner_engine, count(*) FROM instances GROUP BY 1"))
    e2.kill()
    t.eq(e2.wait(timeout=10), -signal.SIGKILL, "the second engine is killed (it was running)")
    t.ok(wait_for(lambda: s.psql("SELECT count(DISTINCT owner_engine) FROM instances") == "1" and
                  s.psql("SELECT count(*) FROM instances WHERE lease_until < now() OR owner_engine IS NULL") == "0",
                  15), "when one is killed the other takes all of them over")
    sb3 = api.get("/api/v1/instances").json()["instances"][-1]["id"]
    t.ok(wait_for(lambda: state(api, sb3).get("status") == "ready", 10), "its instances are ready again")
    mid = send_text(api, sb3, "+966501234567", "after takeover").json()["messageId"]
    t.ok(wait_for(status_is(api, mid, "read"), 15), "and messages keep flowing")


@t.case("no provider secret in the logs")
def no_secrets():
    logs = "".join(open(s.path("log", n)).read() for n in ("waqtor-engine.log", "waqtor-api.log"))
    t.ok("tok-aaaa" not in logs and "app-secret-1" not in logs, "no provider secret reaches the logs")
    access = open(s.path("log", "nginx-access.log")).read()
    t.ok("/webhook?(query elided)" in access and "/api/v1/media/(token elided)" in access,
         "nginx logs the handshake and media fetches", access[-600:])
    t.ok("verify-1065403522" not in access and "hub.verify_token" not in access and media_token not in access,
         "without the verify token or the media capability")


try:
    t.run(diag=s.logs)
finally:
    if ev is not None:
        ev.close()
    for p in extra_engines:
        if p.poll() is None:
            p.kill()
    s.destroy()
    fake.stop()
t.done()
