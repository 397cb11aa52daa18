"""SmartBot rules through nginx on a real stack: CRUD and the checks a rule
gets at every save (PCRE2's message and offset for a bad regex, keywords
that fold to nothing, reply variables, instances of the tenant's own),
the priority order and reorder, the test endpoint's decision and reasons
(Arabic folding, whole words, fuzzy, schedules in the tenant's time zone,
groups, instances); in the engine, inbound texts answered through the
outbox (smartbot.reply, hits), never twice for a redelivered message, and
never in a loop: cooldown, handover to a person, the per-chat cap, the
tenant's own numbers, stop keywords; rule changes reach the engine at once
(smartbot.rule-updated); and another tenant seeing none of it."""
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Events, Stack, Tap, err, holds, signup, wait_for  # noqa: E402

t = Tap()
# two engines, as ./waqtor up runs: each reloads on a change, one event is sent
s = Stack(t, WAQTOR_API_WORKERS=1, WAQTOR_RATE_FREE=10000000, WAQTOR_ENGINES=2)


def rule(**kw):
    body = {"name": "r", "match": "word", "keywords": ["price"], "replies": [{"text": "ok"}]}
    body.update(kw)
    return body


def count():
    return int(s.psql("SELECT count(*) FROM smartbot_rules"))


def test(text, **kw):
    r = api.post("/api/v1/smartbot/test", dict({"text": text}, **kw))
    assert r.status == 200, r.body
    return r.json()


@t.case("rules: create, read, change, delete")
def crud():
    global api, owner, sb
    s.up()
    owner, _ = signup(s, "bot@acme.test")
    api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "k"}).json()["key"], origin=False)
    sb = api.post("/api/v1/instances", {"name": "sb", "provider": "sandbox"}).json()["id"]

    r = api.post("/api/v1/smartbot/rules", rule(name="Prices", keywords=["price", "سعر"],
                                                replies=[{"text": "Hi {{name}}, prices: https://acme.test/p"},
                                                         {"text": "أهلا {{name}}"}], cooldownSeconds=300))
    t.eq(r.status, 201, "a rule is created", r.body)
    p = r.json()
    t.ok(p["priority"] == 1 and p["normalize"] is True and p["threshold"] == 0.8 and p["enabled"] is True and
         p["instanceIds"] is None and p["schedule"] is None and p["hits"] == 0 and p["lastHitAt"] is None and
         p["keywords"] == ["price", "سعر"], "with its defaults", p)
    t.eq(api.get("/api/v1/smartbot/rules/" + p["id"]).json(), p, "GET gives it back")
    r = api.post("/api/v1/smartbot/rules", rule(name="Hours", match="regex", keywords=[],
                                                pattern=r"\bopen(ing)?\s+hours?\b", replies=[{"text": "9 to 5"}],
                                                instanceIds=[sb]))
    t.ok(r.status == 201 and r.json()["priority"] == 2 and r.json()["instanceIds"] == [sb],
         "a second one comes after it", r.body)
    hours = r.json()["id"]
    r = api.patch("/api/v1/smartbot/rules/" + hours, {"enabled": False, "instanceIds": None})
    t.ok(r.status == 200 and r.json()["enabled"] is False and r.json()["instanceIds"] is None and
         r.json()["pattern"] == r"\bopen(ing)?\s+hours?\b", "PATCH changes what it sends, null clears", r.body)
    r = api.patch("/api/v1/smartbot/rules/" + hours, {"match": "contains"})
    t.ok(r.status == 400 and "pattern" in r.json()["error"]["details"],
         "a change is checked with the rule as a whole (contains has no pattern)", r.body)
    t.eq(api.get("/api/v1/smartbot/rules/" + hours).json()["match"], "regex", "and changes nothing")
    r = api.get("/api/v1/smartbot/rules")
    t.eq([x["name"] for x in r.json()["rules"]], ["Prices", "Hours"], "the list is in priority order")
    t.eq(api.delete("/api/v1/smartbot/rules/" + hours).status, 204, "DELETE")
    t.eq(api.get("/api/v1/smartbot/rules/" + hours).status, 404, "then it is gone")
    t.eq(api.delete("/api/v1/smartbot/rules/" + hours).status, 404, "and a second DELETE is 404")
    t.eq(api.get("/api/v1/smartbot/rules/not-a-uuid").status, 404, "a malformed id is 404")


@t.case("rules: bad input is refused and changes nothing")
def bad_input():
    before = count()
    cases = [
        (rule(match="regex", keywords=[], pattern="order (\\d+"), 422, "invalid_rule"),
        (rule(match="regex", keywords=[], pattern="[a-"), 422, "invalid_rule"),
        (rule(match="regex", keywords=[]), 400, "validation_failed"),
        (rule(match="regex", pattern="x"), 400, "validation_failed"),
        (rule(keywords=[]), 400, "validation_failed"),
        (rule(keywords=[""]), 400, "validation_failed"),
        (rule(keywords=["!!! ..."]), 422, "invalid_rule"),
        (rule(keywords=["a"] * 51), 400, "validation_failed"),
        (rule(match="fallback"), 400, "validation_failed"),
        (rule(match="fuzzy", threshold=0), 400, "validation_failed"),
        (rule(match="fuzzy", threshold=5e-324), 400, "validation_failed"),
        (rule(match="fuzzy", threshold=None), 400, "validation_failed"),
        (rule(match="fuzzy", threshold=1.5), 400, "validation_failed"),
        (rule(match="fuzzy", threshold="high"), 400, "validation_failed"),
        (rule(match="soundex"), 400, "validation_failed"),
        (rule(replies=[]), 400, "validation_failed"),
        (rule(replies=[{"text": "x" * 4097}]), 400, "validation_failed"),
        (rule(replies=[{"text": "hi"}] * 11), 400, "validation_failed"),
        (rule(replies=[{"text": "your code {{code}}"}]), 400, "validation_failed"),
        (rule(replies=[{"template": {"name": "x", "language": "en"}}]), 400, "validation_failed"),
        (rule(replies=[{"media": {"type": "image", "url": "javascript:x"}}]), 400, "validation_failed"),
        (rule(replies=["hi"]), 400, "validation_failed"),
        (rule(instanceIds=["00000000-0000-4000-8000-000000000000"]), 422, "unknown_instance"),
        (rule(instanceIds=["nope"]), 400, "validation_failed"),
        (rule(schedule={"days": ["mon"], "from": "25:00", "to": "10:00"}), 400, "validation_failed"),
        (rule(schedule={"days": ["someday"], "from": "09:00", "to": "10:00"}), 400, "validation_failed"),
        (rule(schedule={"days": [], "from": "09:00", "to": "10:00"}), 400, "validation_failed"),
        (rule(schedule={"days": ["mon"], "from": "24:00", "to": "10:00"}), 400, "validation_failed"),
        (rule(cooldownSeconds=-1), 400, "validation_failed"),
        (rule(typingDelayMs=60000), 400, "validation_failed"),
        (rule(name="x" * 201), 400, "validation_failed"),
        (rule(name="a\u0000b"), 400, "invalid_json"),
        (rule(color="red"), 400, "validation_failed"),
        (rule(enabled=None), 400, "validation_failed"),
    ]
    for body, status, code in cases:
        r = api.post("/api/v1/smartbot/rules", body)
        t.ok(r.status == status and err(r) == code, "%s is %d %s" % (
            {k: v for k, v in body.items() if k not in ("name",) or len(str(v)) < 20}, status, code), r.body)
    r = api.post("/api/v1/smartbot/rules", rule(match="regex", keywords=[], pattern="order (\\d+"))
    d = r.json()["error"]
    t.ok(d["details"]["offset"] == 10 and "missing closing parenthesis" in d["message"],
         "a bad regex: PCRE2's message and offset", d)
    r = api.call("POST", "/api/v1/smartbot/rules", raw=b'{"name": "x", "match": "word"', headers={
        "Content-Type": "application/json"})
    t.eq(err(r), "invalid_json", "malformed JSON is 400")
    t.eq(count(), before, "none of them made a rule")


@t.case("reorder")
def reorder():
    global ids
    api.post("/api/v1/smartbot/rules", rule(name="Greeting", match="exact", keywords=["hi", "مرحبا", "hello"],
                                            replies=[{"text": "Hello {{name}}!"}]))
    api.post("/api/v1/smartbot/rules", rule(name="Fallback", match="fallback", keywords=[],
                                            replies=[{"text": "Sorry, I did not get that"}]))
    ids = [x["id"] for x in api.get("/api/v1/smartbot/rules").json()["rules"]]
    t.eq(len(ids), 3, "three rules")
    r = api.post("/api/v1/smartbot/rules/reorder", {"ruleIds": [ids[1], ids[0], ids[2]]})
    t.ok(r.status == 200 and [x["id"] for x in r.json()["rules"]] == [ids[1], ids[0], ids[2]] and
         [x["priority"] for x in r.json()["rules"]] == [1, 2, 3], "reorder sets the order", r.body)
    for bad in ([ids[0], ids[1]], [ids[0], ids[0], ids[1]], ids + ["00000000-0000-4000-8000-000000000000"],
                [ids[0], ids[1], "00000000-0000-4000-8000-000000000000"]):
        r = api.post("/api/v1/smartbot/rules/reorder", {"ruleIds": bad})
        t.ok(r.status == 422 and err(r) == "incomplete_order", "an order that is not every rule once is 422",
             r.body)
    r = api.post("/api/v1/smartbot/rules/reorder", {"ruleIds": ["x"]})
    t.eq(r.status, 400, "ids that are not ids are 400")
    t.eq([x["id"] for x in api.get("/api/v1/smartbot/rules").json()["rules"]], [ids[1], ids[0], ids[2]],
         "and change nothing")
    api.post("/api/v1/smartbot/rules/reorder", {"ruleIds": ids})


@t.case("test: which rule answers, and why")
def decide():
    r = test("What's the PRICE??", **{"from": "+966500000001"})
    t.ok(r["ruleId"] == ids[0] and r["normalizedText"] == "what s the price" and
         r["rules"][0]["outcome"] == "answers" and r["rules"][0]["matched"] == "price" and
         r["rules"][1]["outcome"] == "not_reached" and r["rules"][2]["outcome"] == "not_reached",
         "the first matching rule answers; the rest are not reached", r)
    t.ok(r["reply"]["text"] in ("Hi , prices: https://acme.test/p", "أهلا "), "its reply, rendered", r["reply"])
    api.post("/api/v1/contacts", {"phone": "+966500000001", "name": "سارة"})
    replies = {test("ما سعر التوصيل؟", **{"from": "+966500000001"})["reply"]["text"] for _ in range(12)}
    t.eq(replies, {"Hi سارة, prices: https://acme.test/p", "أهلا سارة"},
         "Arabic matches; {{name}} is the contact's; variations are picked at random")
    r = test("مَرْحَبًا")
    t.ok(r["ruleId"] == ids[1] and r["reply"] == {"text": "Hello !"}, "harakat do not matter", r)
    r = test("مرحـــبا")
    t.eq(r["ruleId"], ids[1], "nor does tatweel")
    r = test("the prices list")
    t.ok(r["ruleId"] == ids[2] and r["rules"][0]["outcome"] == "no_match" and r["rules"][2]["outcome"] ==
         "answers", "prices is no whole word price: the fallback answers", r)
    t.eq(test("كم السعر؟")["ruleId"], ids[2], "nor is al-si'r the word si'r")
    r = test("hi there")
    t.eq(r["rules"][1]["outcome"], "no_match", "exact is the whole text")
    api.patch("/api/v1/smartbot/rules/" + ids[0], {"enabled": False})
    r = test("price?")
    t.ok(r["rules"][0]["outcome"] == "disabled" and r["ruleId"] == ids[2], "a disabled rule is passed over", r)
    api.patch("/api/v1/smartbot/rules/" + ids[0], {"enabled": True, "instanceIds": [sb]})
    other = api.post("/api/v1/instances", {"name": "sb2", "provider": "sandbox"}).json()["id"]
    t.eq(test("price", instanceId=other)["rules"][0]["outcome"], "other_instance", "a rule for other instances")
    t.eq(test("price", instanceId=sb)["ruleId"], ids[0], "and for its own")
    t.eq(test("price", group=True)["rules"][0]["outcome"], "no_groups", "groups only when a rule allows them")
    r = api.post("/api/v1/smartbot/test", {"text": "price", "instanceId": "00000000-0000-4000-8000-000000000000"})
    t.eq(r.status, 404, "an unknown instance is 404")
    for bad in ({}, {"text": ""}, {"text": 5}, {"text": "x", "from": "abc"}, {"text": "x", "extra": 1}):
        r = api.post("/api/v1/smartbot/test", bad)
        t.eq(r.status, 400, "test %r is 400" % (bad,))
    t.eq(int(s.psql("SELECT sum(hits) FROM smartbot_rules")), 0, "tests count no hits")

    api.post("/api/v1/smartbot/rules", rule(name="Fuzzy", match="fuzzy", keywords=["delivery"], threshold=0.8,
                                            replies=[{"text": "We deliver"}]))
    ids.append(api.get("/api/v1/smartbot/rules").json()["rules"][-1]["id"])
    api.post("/api/v1/smartbot/rules/reorder", {"ruleIds": [ids[3], ids[0], ids[1], ids[2]]})
    r = test("when is the delivry?")
    t.ok(r["ruleId"] == ids[3] and r["rules"][0]["matched"] == "delivry" and 0.8 <= r["rules"][0]["score"] < 1,
         "fuzzy: a near miss, with its similarity", r)


@t.case("test: schedules in the tenant's time zone")
def schedules():
    api.patch("/api/v1/settings", {"general": {"time_zone": "Asia/Kolkata"}})
    now = datetime.now(ZoneInfo("Asia/Kolkata"))
    day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][now.weekday()]
    m = now.hour * 60 + now.minute
    # open for two hours around now, Kolkata time (unless too near midnight)
    if 60 <= m <= 22 * 60:
        start, end = "%02d:%02d" % ((m - 60) // 60, (m - 60) % 60), "%02d:%02d" % ((m + 60) // 60, (m + 60) % 60)
        api.patch("/api/v1/smartbot/rules/" + ids[3], {"schedule": {"days": [day], "from": start, "to": end}})
        t.eq(test("delivery")["ruleId"], ids[3], "open now, in Kolkata (%s %s-%s)" % (day, start, end))
        api.patch("/api/v1/smartbot/rules/" + ids[3], {"schedule": {"days": [day], "from": end, "to": "23:59"}})
        r = test("delivery")
        t.ok(r["ruleId"] is None and r["rules"][0]["outcome"] == "out_of_hours",
             "closed, without an out-of-hours reply: nothing answers", r)
        api.patch("/api/v1/smartbot/rules/" + ids[3], {"schedule": {
            "days": [day], "from": end, "to": "23:59", "outOfHoursReply": {"text": "Closed; it is {{time}} here"}}})
        r = test("delivery")
        t.ok(r["ruleId"] == ids[3] and r["outOfHours"] is True and
             r["reply"]["text"] == "Closed; it is %s here" % now.strftime("%H:%M") or
             r["reply"]["text"] == "Closed; it is %s here" % datetime.now(ZoneInfo("Asia/Kolkata")).strftime("%H:%M"),
             "with one, it answers with it, {{time}} in the tenant's zone", r)
    else:
        t.skip("schedules", "too near midnight in Kolkata for this check")
    api.patch("/api/v1/smartbot/rules/" + ids[3], {"schedule": None})
    api.patch("/api/v1/settings", {"general": {"time_zone": "UTC"}})


def inbound(frm, text, instance=None):
    r = api.post("/api/v1/instances/%s/sandbox/inbound" % (instance or sb), {"from": frm, "text": text})
    assert r.status == 202, r.body
    return r.json()["providerMessageId"]


def replies_to(frm, instance=None):
    return s.psql("SELECT coalesce(string_agg(content->>'text', '|' ORDER BY created_at), '') FROM messages "
                  "WHERE instance_id = '%s' AND chat_id = '%s@c.us' AND direction = 'out'" %
                  (instance or sb, frm.lstrip("+")))


def processed(wamid):
    return wait_for(lambda: s.psql("SELECT count(*) FROM messages WHERE provider_id = '%s'" % wamid) == "1", 10) \
        and wait_for(lambda: s.psql("SELECT count(*) FROM inbound_events WHERE body::jsonb->>'id' = '%s' AND "
                                    "processed_at IS NULL" % wamid) == "0", 10)


@t.case("engine: inbound texts are answered, once")
def answers():
    global ev, tenant
    tenant = s.psql("SELECT id FROM tenants WHERE name = 'Acme'")
    ev = Events(s, "waqtor:%s:*" % tenant)
    api.post("/api/v1/instances/%s/sandbox/pair" % sb)
    t.ok(wait_for(lambda: api.get("/api/v1/instances/%s/state" % sb).json().get("status") == "ready", 10),
         "the sandbox is ready")
    api.patch("/api/v1/smartbot/rules/" + ids[0], {"instanceIds": None, "cooldownSeconds": 300,
                                                    "replies": [{"text": "Hi {{name}}, prices at {{phone}}"}]})
    t.ok(wait_for(lambda: ev.of("smartbot.rule-updated", ruleId=ids[0], action="updated"), 10),
         "a change is published as smartbot.rule-updated")
    t.ok(holds(lambda: len(ev.of("smartbot.rule-updated", ruleId=ids[0], action="updated")) == 1, 1),
         "once, however many engines there are")
    hits = int(s.psql("SELECT hits FROM smartbot_rules WHERE id = '%s'" % ids[0]))
    w = inbound("+966500000001", "What's the price?")
    t.ok(wait_for(lambda: replies_to("+966500000001") != "", 10), "an inbound text is answered")
    t.eq(replies_to("+966500000001"), "Hi سارة, prices at +966500000001", "by the first matching rule, rendered")
    t.ok(wait_for(lambda: s.psql("SELECT status FROM messages WHERE instance_id = '%s' AND chat_id = "
                                 "'966500000001@c.us' AND direction = 'out'" % sb) in ("sent", "delivered",
                                                                                        "read"), 10),
         "and the reply is sent through the outbox")
    t.ok(wait_for(lambda: ev.of("smartbot.reply", to="966500000001"), 10), "smartbot.reply is published")
    e = ev.of("smartbot.reply", to="966500000001")[0]["data"]
    t.ok(e["trigger"] == "What's the price?" and e["response"] == "Hi سارة, prices at +966500000001" and
         e["ruleId"] == ids[0] and e["timestamp"].endswith("Z"), "in the seed's shape {to,trigger,response,"
         "timestamp}", e)
    r = api.get("/api/v1/smartbot/rules/" + ids[0]).json()
    t.ok(r["hits"] == hits + 1 and r["lastHitAt"] is not None, "the rule counts its hit", r)
    # the provider delivers the same message again
    s.psql("INSERT INTO inbound_events (tenant_id, instance_id, source, body) SELECT tenant_id, instance_id, "
           "source, body FROM inbound_events WHERE body::jsonb->>'id' = '%s'; NOTIFY waqtor_inbound" % w)
    t.ok(processed(w) and wait_for(lambda: s.psql("SELECT count(*) FROM inbound_events WHERE body::jsonb->>'id' = '%s' "
                                                  "AND processed_at IS NOT NULL" % w) == "2", 10),
         "a redelivered message is processed")
    t.eq(replies_to("+966500000001").count("|"), 0, "and gets no second reply")
    w = inbound("+966500000001", "price again?")
    t.ok(processed(w), "within its cooldown")
    t.eq(replies_to("+966500000001").count("|"), 0, "the rule is silent")
    w = inbound("+966500000001", "hello")
    t.ok(processed(w) and wait_for(lambda: replies_to("+966500000001").count("|") == 1, 10),
         "another rule still answers", replies_to("+966500000001"))
    w = inbound("+966500000009", "STOP")
    t.ok(processed(w) and wait_for(lambda: replies_to("+966500000009") != "", 10), "a stop keyword")
    t.ok("receive more messages" in replies_to("+966500000009") and "|" not in replies_to("+966500000009"),
         "gets the opt-out reply, never a rule's (not even the fallback)", replies_to("+966500000009"))
    processed(inbound("+966500000009", "START"))
    processed(inbound("+966500000009", "hello"))
    t.ok(wait_for(lambda: replies_to("+966500000009").endswith("|Hello سارة!") or
                  replies_to("+966500000009").endswith("|Hello !"), 10),
         "the opt-out replies are automatic, no person's: the bot is not handed over", replies_to("+966500000009"))


@t.case("engine: no loops")
def loops():
    # a person answers in the chat: the bot hands over
    api.post("/api/v1/messages/send-text", {"instanceId": sb, "to": "+966500000002", "text": "Sara here"})
    w = inbound("+966500000002", "hello")
    t.ok(processed(w), "a text after a person wrote in the chat")
    t.eq(replies_to("+966500000002"), "Sara here", "the bot stays silent (handover)")
    api.patch("/api/v1/settings", {"smartbot": {"handover_minutes": 0, "chat_replies_per_minute": 2}})
    r = api.get("/api/v1/settings").json()["smartbot"]
    t.eq(r, {"enabled": True, "handover_minutes": 0, "chat_replies_per_minute": 2}, "the SmartBot settings")
    for bad in ({"chat_replies_per_minute": 0}, {"handover_minutes": -1}, {"handover_minutes": 100000},
                {"enabled": "yes"}, {"loops": True}):
        r = api.patch("/api/v1/settings", {"smartbot": bad})
        t.eq(r.status, 400, "smartbot settings %r are refused" % (bad,))
    t.eq(api.get("/api/v1/settings").json()["smartbot"],
         {"enabled": True, "handover_minutes": 0, "chat_replies_per_minute": 2}, "and change nothing")
    # the settings are cached with the rules: a rule change reloads both
    api.patch("/api/v1/smartbot/rules/" + ids[2], {"replies": [{"text": "Sorry?"}]})
    t.ok(wait_for(lambda: ev.of("smartbot.rule-updated", ruleId=ids[2]), 10), "the fallback changes")
    for i in range(4):
        processed(inbound("+966500000003", "blah %d" % i))
    t.eq(replies_to("+966500000003"), "Sorry?|Sorry?", "a chat gets chat_replies_per_minute replies, no more")
    # two of the tenant's instances talking: never answered
    sb2 = s.psql("SELECT id FROM instances WHERE name = 'sb2'")  # made by the test case
    api.post("/api/v1/instances/%s/sandbox/pair" % sb2)
    t.ok(wait_for(lambda: api.get("/api/v1/instances/%s/state" % sb2).json().get("status") == "ready", 10),
         "a second instance")
    num = s.psql("SELECT client_info->>'phoneNumber' FROM instances WHERE id = '%s'" % sb2)
    processed(inbound(num, "hello"))
    t.eq(replies_to(num), "", "a text from another of the tenant's numbers is not answered")
    api.patch("/api/v1/settings", {"smartbot": {"enabled": False}})
    api.patch("/api/v1/smartbot/rules/" + ids[2], {"replies": [{"text": "Sorry!"}]})
    wait_for(lambda: ev.of("smartbot.rule-updated", ruleId=ids[2]) and len(ev.of("smartbot.rule-updated",
                                                                                   ruleId=ids[2])) >= 2, 10)
    processed(inbound("+966500000004", "blah"))
    t.eq(replies_to("+966500000004"), "", "with SmartBot off, nothing answers")
    api.patch("/api/v1/settings", {"smartbot": {"enabled": True, "handover_minutes": 30,
                                                "chat_replies_per_minute": 5}})


@t.case("another tenant sees none of it")
def tenants():
    other, _ = signup(s, "bot@other.test", tenant="Other")
    b = Client(s, key=other.post("/api/v1/api-keys", {"name": "k"}).json()["key"], origin=False)
    t.eq(b.get("/api/v1/smartbot/rules").json(), {"rules": []}, "its list is empty")
    for method, path, body in [("GET", "/api/v1/smartbot/rules/" + ids[0], None),
                               ("PATCH", "/api/v1/smartbot/rules/" + ids[0], {"enabled": False}),
                               ("DELETE", "/api/v1/smartbot/rules/" + ids[0], None)]:
        r = b.call(method, path, body=body) if body is not None else b.call(method, path)
        t.eq(r.status, 404, "%s of A's rule is 404 to B" % method)
    r = b.post("/api/v1/smartbot/rules/reorder", {"ruleIds": ids})
    t.eq(r.status, 422, "B cannot order A's rules")
    r = b.post("/api/v1/smartbot/rules", rule(instanceIds=[sb]))
    t.eq(err(r), "unknown_instance", "nor aim a rule at A's instance")
    t.eq(b.post("/api/v1/smartbot/test", {"text": "price"}).json()["ruleId"], None, "A's rules never answer B")
    t.ok(api.get("/api/v1/smartbot/rules/" + ids[0]).json()["enabled"] is True, "A's rule is untouched")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
