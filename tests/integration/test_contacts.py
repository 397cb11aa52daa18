"""Contacts, contact lists, CSV import and export, and the opt-out list,
through nginx on a real stack: phone normalisation with the tenant's default
country code, attribute merge patches, streamed imports (a BOM, quoted
commas and newlines, Arabic names, semicolons, bad encoding, bad phones by
line, all-or-nothing, duplicates merged, the modes add/update/opt_out, a
multi-megabyte file with the API worker's memory flat), export round trip,
and another tenant seeing none of it."""
import json
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Stack, Tap, err, signup, wait_for  # noqa: E402

t = Tap()
s = Stack(t, WAQTOR_API_WORKERS=1, WAQTOR_RATE_FREE=10000000)


def csv_import(api, list_id, data, mode=None, all_or_nothing=None, multipart=False, timeout=10):
    q = []
    if mode:
        q.append("mode=" + mode)
    if all_or_nothing is not None:
        q.append("allOrNothing=" + all_or_nothing)
    path = "/api/v1/contact-lists/%s/import%s" % (list_id, "?" + "&".join(q) if q else "")
    if isinstance(data, str):
        data = data.encode()
    if multipart:
        b = "----wq" + uuid.uuid4().hex
        body = ("--%s\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n"
                "Content-Type: text/csv\r\n\r\n" % (b, b)).encode() + data + ("\r\n--%s--\r\n" % b).encode()
        return api.call("POST", path, raw=body, headers={"Content-Type": "multipart/form-data; boundary=" + b},
                        timeout=timeout)
    return api.call("POST", path, raw=data, headers={"Content-Type": "text/csv"}, timeout=timeout)


def count(table):
    return int(s.psql("SELECT count(*) FROM %s" % table))


def asan_build():
    with open("/proc/%d/maps" % s.pid("waqtor-api")) as f:
        return "libasan" in f.read()


def worker_hwm_kb():
    """Peak RSS (VmHWM) of the one API worker."""
    pid = s.children(s.pid("waqtor-api"))[0]
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


@t.case("contacts: create, normalise, read, merge-patch, delete")
def contacts_crud():
    global api, owner
    s.up()
    owner, _ = signup(s, "ops@contacts.test")
    api = Client(s, key=owner.post("/api/v1/api-keys", {"name": "k"}).json()["key"], origin=False)

    r = api.post("/api/v1/contacts", {"phone": "+966 (50) 123-4567", "name": "سارة",
                                      "attributes": {"city": "Riyadh", "points": 12, "vip": True},
                                      "tags": ["vip", "vip", "ksa"]})
    t.eq(r.status, 201, "a contact is created", r.body)
    c = r.json()
    t.ok(c["phone"] == "966501234567" and c["name"] == "سارة" and c["attributes"]["points"] == 12 and
         sorted(c["tags"]) == ["ksa", "vip"] and c["optedOut"] is False, "its phone is E.164 digits, tags unique", c)
    r = api.post("/api/v1/contacts", {"phone": "00966501234567"})
    t.ok(r.status == 409 and err(r) == "conflict", "the same number in another notation is 409", r.body)
    r = api.post("/api/v1/contacts", {"phone": "0501234568"})
    t.ok(r.status == 400 and "country" in r.json()["error"]["details"]["phone"],
         "a national number without a default country code is 400 naming phone", r.body)
    t.eq(api.patch("/api/v1/settings", {"messaging": {"default_country_code": "966"}}).status, 200,
         "the default country code is set")
    r = api.post("/api/v1/contacts", {"phone": "050 123 4568", "name": "Omar"})
    t.ok(r.status == 201 and r.json()["phone"] == "966501234568", "then a national number gets it", r.body)
    omar = r.json()["id"]
    for bad, field in [({"phone": "12ab"}, "phone"), ({"phone": "+1234567"}, "phone"),
                       ({"phone": "+9665012345678901"}, "phone"),
                       ({"phone": "+966501234569", "attributes": {"a": {"nested": 1}}}, "attributes"),
                       ({"phone": "+966501234569", "attributes": {"bad key": 1}}, "attributes"),
                       ({"phone": "+966501234569", "attributes": []}, "attributes"),
                       ({"phone": "+966501234569", "name": "a\u0000b"}, None),
                       ({"phone": "+966501234569", "tags": [""]}, "tags")]:
        r = api.post("/api/v1/contacts", bad)
        t.ok(r.status == 400 and (field is None or field in r.json()["error"].get("details", {})),
             "bad contact %s is 400" % json.dumps(bad)[:60], r.body)
    t.eq(count("contacts"), 2, "and none of them was stored")

    r = api.patch("/api/v1/contacts/" + c["id"], {"attributes": {"city": None, "plan": "gold"}, "name": ""})
    t.ok(r.status == 200 and r.json()["attributes"] == {"points": 12, "vip": True, "plan": "gold"} and
         r.json()["name"] is None, "PATCH merges attributes (null removes) and clears the name", r.body)
    r = api.patch("/api/v1/contacts/" + omar, {"phone": "+966501234567"})
    t.ok(r.status == 409, "moving a contact onto another's phone is 409", r.body)
    r = api.get("/api/v1/contacts?search=omar")
    t.ok(r.status == 200 and [x["id"] for x in r.json()["contacts"]] == [omar], "search by name", r.body)
    r = api.get("/api/v1/contacts?search=%2B966%2050123456")
    t.eq(len(r.json()["contacts"]), 2, "search by phone digits, separators ignored")
    r = api.get("/api/v1/contacts?limit=1")
    page = r.json()
    r2 = api.get("/api/v1/contacts?limit=1&cursor=" + page["nextCursor"])
    t.ok(page["contacts"][0]["id"] == omar and r2.json()["contacts"][0]["id"] == c["id"] and
         r2.json()["nextCursor"] == c["id"],
         "pages go newest first, by cursor", (page, r2.body))
    t.ok(api.get("/api/v1/contacts?tag=ksa").json()["contacts"][0]["id"] == c["id"], "filter by tag")
    for q in ["limit=0", "limit=abc", "cursor=nope", "listId=1", "tag="]:
        t.eq(api.get("/api/v1/contacts?" + q).status, 400, "bad query %s is 400" % q)
    t.eq(api.delete("/api/v1/contacts/" + omar).status, 204, "delete")
    t.eq(api.get("/api/v1/contacts/" + omar).status, 404, "then it is gone")
    t.eq(api.get("/api/v1/contacts/not-a-uuid").status, 404, "a malformed id is 404")


@t.case("lists and membership; another tenant sees nothing")
def lists():
    global lst
    r = api.post("/api/v1/contact-lists", {"name": "Riyadh", "description": "fair"})
    t.eq(r.status, 201, "a list is created", r.body)
    lst = r.json()["id"]
    t.eq(api.post("/api/v1/contact-lists", {"name": "Riyadh"}).status, 409, "names are unique")
    cid = api.get("/api/v1/contacts").json()["contacts"][0]["id"]
    r = api.post("/api/v1/contact-lists/%s/members" % lst, {"contactIds": [cid, cid]})
    t.ok(r.status == 200 and r.json()["added"] == 1, "a contact is added once", r.body)
    t.eq(api.post("/api/v1/contact-lists/%s/members" % lst, {"contactIds": [cid]}).json()["added"], 0,
         "adding it again adds nothing")
    t.eq(api.get("/api/v1/contact-lists/" + lst).json()["memberCount"], 1, "the list counts its members")
    t.eq([x["id"] for x in api.get("/api/v1/contact-lists/%s/members" % lst).json()["contacts"]], [cid],
         "members are listed")

    other, _ = signup(s, "ops@other.test", tenant="Other")
    t.eq(other.get("/api/v1/contact-lists/" + lst).status, 404, "another tenant cannot read the list")
    t.eq(other.get("/api/v1/contacts/" + cid).status, 404, "nor the contact")
    t.eq(other.get("/api/v1/contacts").json()["contacts"], [], "nor list any contact")
    t.eq(other.patch("/api/v1/contacts/" + cid, {"name": "x"}).status, 404, "nor change it")
    t.eq(other.delete("/api/v1/contact-lists/" + lst).status, 404, "nor delete the list")
    t.eq(other.get("/api/v1/contact-lists/%s/export" % lst).status, 404, "nor export it")
    t.eq(csv_import(other, lst, "phone\n966500000001\n").status, 404, "nor import into it")
    mine = other.post("/api/v1/contact-lists", {"name": "Mine"}).json()["id"]
    r = other.post("/api/v1/contact-lists/%s/members" % mine, {"contactIds": [cid]})
    t.ok(r.status == 404 and r.json()["error"]["details"]["contactId"] == cid, "nor add the first tenant's contact to its list", r.body)
    t.eq(other.get("/api/v1/opt-outs").json()["optOuts"], [], "nor see its opt-outs")

    t.eq(api.delete("/api/v1/contact-lists/%s/members/%s" % (lst, cid)).status, 204, "a member is removed")
    t.eq(api.get("/api/v1/contacts/" + cid).status, 200, "the contact stays")


@t.case("CSV import: the formats spreadsheets write, errors by line, all or nothing")
def import_csv():
    before = count("contacts")
    bad = "\ufeffphone,name,city\r\n+966 50 000 0001,\"Doe, Jane\",Riyadh\r\n12,Short,Jeddah\r\n" \
          "966500000003,\"line\nbreak\",Dammam\r\nabc,Bad,x\r\n"
    r = csv_import(api, lst, bad)
    e = r.json()["error"] if r.status == 422 else {}
    t.ok(r.status == 422 and e["code"] == "invalid_rows" and e["details"]["invalid"] == 2 and
         [x["line"] for x in e["details"]["errors"]] == [3, 6],
         "two bad phones are 422 with their lines (a quoted newline counts)", r.body)
    t.eq(count("contacts"), before, "and nothing was imported")
    r = csv_import(api, lst, bad, all_or_nothing="false")
    b = r.json()
    t.ok(r.status == 200 and b["imported"] == 2 and b["invalid"] == 2 and b["created"] == 2 and
         b["addedToList"] == 2, "with allOrNothing=false the valid rows are imported", r.body)
    jane = api.get("/api/v1/contacts?search=doe").json()["contacts"]
    t.ok(len(jane) == 1 and jane[0]["name"] == "Doe, Jane" and jane[0]["phone"] == "966500000001" and
         jane[0]["attributes"] == {"city": "Riyadh"}, "a BOM is skipped, a quoted comma kept", jane)

    r = csv_import(api, lst, "Phone;Name;Tier\n0500000004;محمد الأحمد;gold\n0500000004;;silver\n"
                             "+966500000001;Jane D;platinum\n", multipart=True)
    b = r.json()
    t.ok(r.status == 200 and b["imported"] == 3 and b["duplicates"] == 1 and b["created"] == 1 and
         b["updated"] == 1, "semicolons, a national number, a duplicate merged, as a multipart form", r.body)
    m = api.get("/api/v1/contacts?search=966500000004").json()["contacts"][0]
    t.ok(m["name"] == "محمد الأحمد" and m["attributes"] == {"Tier": "gold"}, "in add mode the first value wins", m)
    jane = api.get("/api/v1/contacts?search=doe").json()["contacts"][0]
    t.ok(jane["name"] == "Doe, Jane" and jane["attributes"] == {"city": "Riyadh", "Tier": "platinum"},
         "and an existing contact keeps its values, gaining new attributes", jane)
    r = csv_import(api, lst, "phone,name,city\n966500000001,Jane Doe,Jeddah\n966500000001,,Mecca\n", mode="update")
    jane = api.get("/api/v1/contacts?search=966500000001").json()["contacts"][0]
    t.ok(r.status == 200 and jane["name"] == "Jane Doe" and jane["attributes"]["city"] == "Mecca",
         "in update mode the file overwrites, its last row winning", (r.body, jane))

    latin1 = "phone,name\n966500000005,Jos\xe9\n".encode("latin-1")
    r = csv_import(api, lst, latin1)
    t.ok(r.status == 422 and "UTF-8" in r.json()["error"]["details"]["errors"][0]["reason"],
         "a Latin-1 row is refused as not UTF-8", r.body)
    for body, why in [("name,city\nA,B\n", "no phone column"), ("", "empty"),
                      ("phone,phone\n1,2\n", "twice"), ("phone,bad name\n966500000006,x\n", "column name")]:
        r = csv_import(api, lst, body)
        t.ok(r.status == 422 and err(r) == "invalid_file" and why in r.json()["error"]["message"],
             "a file with %s is 422 invalid_file" % why, r.body)
    r = csv_import(api, lst, "phone,name\n966500000007,\"unterminated\n")
    t.ok(r.status == 422 and "quote" in json.dumps(r.json()), "an unterminated quote is reported", r.body)
    r = api.call("POST", "/api/v1/contact-lists/%s/import?mode=nope" % lst, raw=b"phone\n",
                 headers={"Content-Type": "text/csv"})
    t.eq(r.status, 400, "an unknown mode is 400")
    r = api.call("POST", "/api/v1/contact-lists/%s/import" % lst, raw=b"--x\r\nbroken",
                 headers={"Content-Type": "multipart/form-data; boundary=x"})
    t.eq(r.status, 422, "a broken multipart body is 422")

    r = csv_import(api, lst, "phone\n966500000004\n+966 50 000 0099\n", mode="opt_out")
    t.ok(r.status == 200 and r.json()["optedOut"] == 2, "opt_out mode puts the numbers on the opt-out list", r.body)
    t.ok(api.get("/api/v1/contacts?search=966500000004").json()["contacts"][0]["optedOut"],
         "and the contact shows it")


@t.case("export: the list as CSV, read back by the import")
def export():
    r = api.get("/api/v1/contact-lists/%s/export" % lst)
    t.ok(r.status == 200 and r.header("Content-Type").startswith("text/csv") and
         "attachment" in r.header("Content-Disposition"), "the export is a CSV attachment", r.header("Content-Type"))
    lines = r.body.decode().split("\r\n")
    t.eq(lines[0], "phone,name,Tier,city", "its header: phone, name, the attributes by name")
    t.ok('966500000001,Jane Doe,platinum,Mecca' in lines and '966500000004,محمد الأحمد,gold,' in lines,
         "each member's row", lines)
    evil = api.post("/api/v1/contacts", {"phone": "+966500000010", "name": "=HYPERLINK(\"x\")"}).json()["id"]
    api.post("/api/v1/contact-lists/%s/members" % lst, {"contactIds": [evil]})
    body = api.get("/api/v1/contact-lists/%s/export" % lst).body.decode()
    t.ok('"\'=HYPERLINK(""x"")"' in body, "a formula is defused", body[-200:])
    copy = api.post("/api/v1/contact-lists", {"name": "Copy"}).json()["id"]
    r = csv_import(api, copy, body, mode="update")
    t.ok(r.status == 200 and r.json()["created"] == 0 and r.json()["addedToList"] == len(lines) - 1,
         "and imports back as the same contacts", r.body)


@t.case("a large file streams: 100,000 rows, the API worker's memory flat")
def big_import():
    big = api.post("/api/v1/contact-lists", {"name": "Big"}).json()["id"]
    rows = ["phone,name,code"] + ["9667%08d,Customer %d,C%d" % (i, i, i) for i in range(100000)]
    data = ("\n".join(rows) + "\n").encode()
    hwm = worker_hwm_kb()
    r = csv_import(api, big, data, timeout=120)
    t.ok(r.status == 200 and r.json()["created"] == 100000, "%.1f MB, 100,000 rows imported" % (len(data) / 1e6),
         r.body[:300])
    grown = worker_hwm_kb() - hwm
    if asan_build():  # its quarantine keeps freed memory: peaks say nothing here
        t.skip("the worker's peak memory stays flat", "ASan build")
    else:
        t.ok(grown < len(data) // 1024 // 2, "the worker's peak memory grew %d kB for a %d kB file" %
             (grown, len(data) // 1024))
    t.eq(api.get("/api/v1/contact-lists/" + big).json()["memberCount"], 100000, "all are members")
    r = csv_import(api, big, b"phone\n" + b"9" * (65 * 1024 * 1024), timeout=60)
    t.eq(r.status, 413, "a file over 64 MB is 413")


@t.case("opt-outs: add, idempotent, list, remove")
def optouts():
    r = api.post("/api/v1/opt-outs", {"phone": "+966 50 000 0020", "reason": "asked"})
    t.ok(r.status == 201 and r.json()["phone"] == "966500000020" and r.json()["source"] == "api", "added", r.body)
    t.eq(api.post("/api/v1/opt-outs", {"phone": "966500000020"}).status, 200, "adding it again is 200")
    r = api.get("/api/v1/opt-outs?search=96650000002")
    t.eq([x["phone"] for x in r.json()["optOuts"]], ["966500000020"], "listed")
    t.eq(api.delete("/api/v1/opt-outs/%2B966500000020").status, 204, "removed (in any notation)")
    t.eq(api.delete("/api/v1/opt-outs/966500000020").status, 404, "then it is gone")
    t.eq(api.get("/api/v1/opt-outs?search=x").status, 400, "a bad search is 400")
    audit = owner.get("/api/v1/audit").json()
    acts = [e["action"] for e in audit.get("entries", audit.get("items", []))]
    t.ok("optout.add" in acts and "optout.remove" in acts and "contacts.import" in acts,
         "the audit log has them", acts[:10])


@t.case("stop keywords: folded Arabic and Latin, a reply, START undoes it")
def keywords():
    sb = api.post("/api/v1/instances", {"name": "sb", "provider": "sandbox", "config": {}}).json()["id"]
    api.post("/api/v1/instances/%s/sandbox/pair" % sb)
    t.ok(wait_for(lambda: api.get("/api/v1/instances/%s/state" % sb).json().get("status") == "ready", 15),
         "a sandbox instance is ready")

    def inject(frm, text):
        r = api.post("/api/v1/instances/%s/sandbox/inbound" % sb, {"from": frm, "text": text})
        t.ok(r.status in (200, 202), "inbound %r from %s" % (text, frm), r.body)

    def opted(phone):
        return api.get("/api/v1/opt-outs?search=" + phone).json()["optOuts"]

    def replies(phone):
        msgs = api.get("/api/v1/messages?direction=out&chatId=%s%%40c.us" % phone).json()["messages"]
        return [m["content"].get("text") for m in msgs]

    inject("+966500000031", "  Stop! ")
    inject("+966500000032", "إِلْغَاء")
    inject("+966500000033", "الـغـاء")
    inject("+966500000034", "please stop sending")
    for p in ("966500000031", "966500000032", "966500000033"):
        t.ok(wait_for(lambda: opted(p), 10) and opted(p)[0]["source"] == "keyword" and
             opted(p)[0]["instanceId"] == sb, "%s is opted out by keyword" % p, opted(p))
        t.ok(wait_for(lambda: any("no" in (x or "") and "START" in (x or "") for x in replies(p)), 10),
             "and is told how to come back", replies(p))
    t.ok(not opted("966500000034"), "a sentence that contains stop is no keyword")
    inject("+966500000031", "STOP")
    inject("+966500000031", "start")
    t.ok(wait_for(lambda: not opted("966500000031"), 10), "START takes the number off the list")
    t.ok(wait_for(lambda: len(replies("966500000031")) == 2, 10), "with one reply for each change",
         replies("966500000031"))
    api.patch("/api/v1/settings", {"messaging": {"stop_keywords": ["basta"], "stop_reply": ""}})
    inject("+966500000035", "BASTA")
    inject("+966500000036", "stop")
    t.ok(wait_for(lambda: opted("966500000035"), 10), "the tenant's own keywords replace the defaults")
    t.ok(not opted("966500000036") and replies("966500000035") == [], "and an empty reply sends nothing")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
