#!/usr/bin/env python3
"""A fake of Meta's WhatsApp Cloud API (Graph API) for WaQtor's tests.

It imitates the contract in /work/shared/cloud-api.md, and only that: the
`cloud` provider must work against this fake and against Meta alike, so the
fake is deliberately strict where the contract is precise (request shape,
error bodies, webhook signatures) and chaotic where the contract warns
(statuses out of order, skipped, duplicated; inbound delivered twice).

Meta-side endpoints (what the provider calls)
---------------------------------------------
  POST /{version}/{PHONE_NUMBER_ID}/messages   version: v<digits>.<digits>
  POST /{version}/{PHONE_NUMBER_ID}/media      BEYOND cloud-api.md (minimal)

A /messages request is handled in this order; the first step that fails
answers:
  1. no `Authorization: Bearer <token>`         -> 401, code 190
  2. unknown phone number id                    -> 400, code 100
  3. token differs from the number's token      -> 401, code 190
  4. a forced fault, if one is queued (or drawn by errorRate) -> that fault
  5. Content-Type not application/json, body not JSON, bad shape -> 400, code 100
  6. more than ratePerSecond accepted in the last second (sliding window)
                                                -> 400, code 130429
  7. pair rate (only if pairRateSeconds > 0): same recipient again within
     pairRateSeconds                            -> 400, code 131056
  8. accepted: 200 with a fresh wamid; status webhooks are scheduled.

Every error body has the contract's shape:
  {"error":{"message":"(#130429) Rate limit hit","type":"OAuthException",
   "code":130429,"error_data":{"messaging_product":"whatsapp","details":"..."},
   "fbtrace_id":"..."}}

HTTP statuses: cloud-api.md only says "HTTP 4xx" for errors. The fake uses
400 for every 4xx error code except 190 (401) and 132001 (404), so a provider
must classify by `error.code`, never by the HTTP status (a forced fault can
carry any other status, e.g. {"code":130429,"status":429}, to prove it).
Forced 5xx answers (beyond cloud-api.md, which just says "5xx: transient")
carry a Graph-style body with code 1 (500) or 2 (502/503/504), or any raw
text given in the fault.

Status webhooks (Meta -> provider)
----------------------------------
For every accepted message, unless the number has statuses off or no
webhookUrl: sent -> delivered -> read, POSTed one after the other
statusDelayMs apart (default 50), each as
  {"object":"whatsapp_business_account","entry":[{"id":WABA_ID,"changes":[
   {"field":"messages","value":{"messaging_product":"whatsapp",
    "metadata":{"display_phone_number":..,"phone_number_id":..},
    "statuses":[{"id":wamid,"status":"sent","timestamp":"1749416390",
      "recipient_id":to,"biz_opaque_callback_data":..(if sent),
      "pricing":{"billable":true,"pricing_model":"PMP","category":"service"}
      (sent and delivered only)}]}}]}]}
signed with X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, appSecret)>.
Bodies are serialised like Meta's (compact, non-ASCII as \\uXXXX, "/" as
"\\/"): verify the signature on the raw bytes, never on re-encoded JSON.
A non-2xx answer (or a network error) is retried webhookRetries times
(default 3) with exponential backoff from webhookBackoffMs (default 200);
every attempt's status is recorded (GET /_fake/webhooks). The next status of
a message is only sent after the previous POST is done (delivered or given
up), so the default order is strict. Chaos switches reorder, skip, duplicate
or batch them (see `chaos` below).

Control API (tests -> fake), JSON in and out, all under /_fake/
---------------------------------------------------------------
  POST /_fake/numbers            register or replace a number:
       {"phoneNumberId":"1065..","accessToken":"..","appSecret":"..",
        "webhookUrl"?:"http://127.0.0.1:9/hook",
        "ratePerSecond"?:80, "pairRateSeconds"?:0 (0 = pair limit off),
        "statusDelayMs"?:50, "statuses"?:true|false|["sent","delivered"],
        "chaos"?:{"shuffle":false|true|"reverse", "duplicate":0..1|true,
                  "skipDelivered":false, "batch":false, "seed":int},
        "webhookRetries"?:3, "webhookBackoffMs"?:200, "webhookTimeoutMs"?:5000,
        "displayPhoneNumber"?:"15550783881", "wabaId"?:".."}
       -> {"phoneNumberId":..}
  GET  /_fake/numbers            registered numbers (no secrets)
  POST /_fake/numbers/{id}/faults
       {"next":[<fault>...], "append"?:false, "errorRate"?:0.1,
        "errorFault"?:<fault> (default {"http":500}), "seed"?:int}
       <fault> is one of
         {"code":131026, "status"?:400, "details"?:"..", "message"?:".."}
         {"http":503, "raw"?:"<html>..", "contentType"?:"text/html"}
         {"hang":5, "then"?:"close"|"answer"}  hold the request 5 s (or until
             the client gives up), then close without answering ("close",
             default) or go on and answer normally ("answer"); hang 0 + close
             = drop the connection at once
         {"asyncFail":131026}  answer 200 (accepted), then webhooks
             sent -> failed with errors[0].code = 131026
       Replaces the queue and errorRate (append: adds to the queue, keeps
       errorRate). Queued faults go first; errorRate draws only when the
       queue is empty. A fault is consumed by the next request that passes
       the token check, whatever its body.
       -> {"queued":n, "errorRate":x}
  POST /_fake/numbers/{id}/inbound
       {"from":"16505551234","name":"Sheena Nelson","type":"text","text":"hi",
        "twice"?:false, "async"?:false, "timestamp"?:1749416383}
       media types image|audio|video|document|sticker take "id"?, "mimeType"?,
       "sha256"?, "caption"?, "filename"? (document) at the top level.
       -> {"id":"wamid..","deliveries":[{"state":"delivered","attempts":[200]}]}
          (waits for delivery unless async)
  POST /_fake/verify   {"url","verifyToken","challenge"?,"mode"?:"subscribe"}
       performs Meta's GET handshake -> {"status":200,"body":"..","ok":true,
       "challenge":".."}  (ok = 200 and the body is exactly the challenge)
  GET  /_fake/messages?phoneNumberId=&wamid=   accepted messages:
       [{"wamid","phoneNumberId","to","type","time","body":<request JSON>,
         "statuses":["sent","delivered","read"]}]
  GET  /_fake/webhooks?phoneNumberId=&kind=status|inbound   every webhook:
       [{"id","kind","phoneNumberId","url","payload","duplicate","state",
         "attempts":[{"code":200|null,"error":null|"..","time":..}]}]
  GET  /_fake/stats    {"requests","accepted","acceptedByNumber",
       "rejected":{"<code>"|"http503"|"hang":n}, "rejectedTotal",
       "rateLimited","pairRateLimited","faultsInjected","hangs",
       "hangsAbandoned","inbound","media","maxPerSecond":{id:n},
       "webhooks":{"sent","failed","attempts","retries","pending"}}
  POST /_fake/reset    forget numbers, messages, stats, pending webhooks

Running
-------
  python3 tests/fakes/graph.py --port 0 [--host 127.0.0.1] [--quiet]
prints `listening on 127.0.0.1:<port>` as its first stdout line, logs one
line per request on stderr (never a token or secret), exits 0 on
SIGTERM/SIGINT. Loopback addresses only.

In-process: with tests/ on sys.path,
  from fakes.graph import FakeGraph
  fake = FakeGraph(quiet=True).start()       # or: with FakeGraph() as fake:
  fake.url                                   # http://127.0.0.1:<port>
  fake.add_number(phoneNumberId=.., accessToken=.., appSecret=.., webhookUrl=..)
  fake.set_faults(pnid, next=[{"code": 131026}])
  wamid, hooks = fake.inbound(pnid, {"from": .., "name": .., "text": "hi"})
  fake.list_messages(pnid); fake.list_webhooks(pnid); fake.stats(); fake.reset()
  fake.stop()
These take the same dicts as the control API (ControlError on bad input).
"""

import argparse
import base64
import hashlib
import heapq
import hmac
import http.client
import ipaddress
import itertools
import json
import os
import random
import re
import select
import signal
import socket
import sys
import threading
import time
import urllib.parse
from collections import deque
from email.parser import BytesParser
from email.policy import HTTP as HTTP_POLICY
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# --- Graph errors -------------------------------------------------------------

# code -> (default HTTP status, message, default details). Statuses: see the
# module docstring; the provider must key on the code.
ERRORS = {
    100: (400, "(#100) Invalid parameter", "Invalid parameter"),
    190: (401, "(#190) Invalid OAuth access token",
          "Error validating access token: the session has expired or the token is invalid"),
    130429: (400, "(#130429) Rate limit hit",
             "Message failed to send because there were too many messages sent "
             "from this phone number in a short period of time"),
    131026: (400, "(#131026) Message undeliverable",
             "Message failed to send because the recipient cannot receive it"),
    131047: (400, "(#131047) Re-engagement message",
             "Message failed to send because more than 24 hours have passed since "
             "the customer last replied to this number"),
    131048: (400, "(#131048) Spam rate limit hit",
             "Message failed to send because there are restrictions on how many "
             "messages can be sent from this phone number"),
    131049: (400, "(#131049) This message was not delivered to maintain healthy "
                  "ecosystem engagement",
             "In order to maintain a healthy ecosystem engagement, the message failed "
             "to be delivered"),
    131056: (400, "(#131056) (Business Account, Consumer Account) pair rate limit hit",
             "Message failed to send because there were too many messages sent from "
             "this phone number to the same phone number in a short period of time"),
    132001: (404, "(#132001) Template name does not exist in the translation",
             "The template does not exist in the requested language"),
}

# Forced 5xx answers (beyond cloud-api.md): Graph's generic transient errors.
SERVER_ERRORS = {
    500: (1, "An unknown error has occurred."),
    502: (2, "Service temporarily unavailable"),
    503: (2, "Service temporarily unavailable"),
    504: (2, "Service temporarily unavailable"),
}

MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")
SEND_TYPES = ("text",) + MEDIA_TYPES + ("interactive", "template")
STATUS_ORDER = ("sent", "delivered", "read")
INBOUND_MIME = {"image": "image/jpeg", "video": "video/mp4", "audio": "audio/ogg; codecs=opus",
                "document": "application/pdf", "sticker": "image/webp"}

MAX_BODY = 1 << 20          # /messages and control bodies
MAX_MEDIA_BODY = 16 << 20   # /media uploads


def fbtrace_id():
    return "A" + base64.urlsafe_b64encode(os.urandom(15)).decode()[:22]


class GraphError(Exception):
    """An error answered with the contract's error body."""

    def __init__(self, code, details=None, status=None, message=None):
        default_status, default_message, default_details = ERRORS.get(
            code, (400, "(#%d) Error" % code, "Error %d" % code))
        super().__init__(details or default_details)
        self.code = code
        self.status = status or default_status
        self.message = message or default_message
        self.details = details or default_details

    def body(self):
        return {"error": {"message": self.message, "type": "OAuthException", "code": self.code,
                          "error_data": {"messaging_product": "whatsapp",
                                         "details": self.details},
                          "fbtrace_id": fbtrace_id()}}


class ControlError(Exception):
    """A bad control API call: 400 (or `status`) {"error": msg}."""

    def __init__(self, msg, status=400):
        super().__init__(msg)
        self.status = status


def meta_json(obj):
    """Serialises like Meta's webhooks: compact, ASCII only, "/" escaped.
    ("/" only occurs inside JSON strings, so the replace is safe.)"""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()


def sign(body, secret):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- request validation (cloud-api.md "Sending") ---------------------------------

def _bad(details):
    raise GraphError(100, details)


def _nonempty_str(v):
    return isinstance(v, str) and v.strip() != ""


def validate_message(body):
    """Raises GraphError(100) naming the first problem in a /messages body."""
    if not isinstance(body, dict):
        _bad("The request body must be a JSON object")
    if body.get("messaging_product") != "whatsapp":
        _bad("Parameter messaging_product is required and must be 'whatsapp'")
    if body.get("recipient_type", "individual") != "individual":
        _bad("Parameter recipient_type must be 'individual'")
    to = body.get("to")
    if not isinstance(to, str) or not re.fullmatch(r"[0-9]{5,15}", to):
        _bad("Parameter to is required: the recipient's phone number, digits only")
    mtype = body.get("type")
    if mtype not in SEND_TYPES:
        _bad("Parameter type must be one of: " + ", ".join(SEND_TYPES))
    obj = body.get(mtype)
    if not isinstance(obj, dict):
        _bad("Parameter %s is required for type %s and must be an object" % (mtype, mtype))

    if mtype == "text":
        text = obj.get("body")
        if not _nonempty_str(text):
            _bad("Parameter text.body is required")
        if len(text) > 4096:
            _bad("Parameter text.body is too long: at most 4096 characters")
        if "preview_url" in obj and not isinstance(obj["preview_url"], bool):
            _bad("Parameter text.preview_url must be a boolean")
    elif mtype in MEDIA_TYPES:
        has_link, has_id = "link" in obj, "id" in obj
        if has_link == has_id:
            _bad("Parameter %s needs exactly one of link or id" % mtype)
        if has_link and not (isinstance(obj["link"], str) and
                             re.match(r"https?://[^\s]+$", obj["link"])):
            _bad("Parameter %s.link must be an http(s) URL" % mtype)
        if has_id and not _nonempty_str(obj["id"]):
            _bad("Parameter %s.id must be a media id" % mtype)
        if "caption" in obj:
            if not isinstance(obj["caption"], str):
                _bad("Parameter %s.caption must be a string" % mtype)
            if len(obj["caption"]) > 1024:
                _bad("Parameter %s.caption is too long: at most 1024 characters" % mtype)
        if "filename" in obj and not _nonempty_str(obj["filename"]):
            _bad("Parameter %s.filename must be a non-empty string" % mtype)
    elif mtype == "interactive":
        if obj.get("type") not in ("button", "list"):
            _bad("Parameter interactive.type must be 'button' or 'list'")
        ibody = obj.get("body")
        if not isinstance(ibody, dict) or not _nonempty_str(ibody.get("text")):
            _bad("Parameter interactive.body.text is required")
        action = obj.get("action")
        if not isinstance(action, dict) or not action:
            _bad("Parameter interactive.action is required and must be an object")
    elif mtype == "template":
        if not _nonempty_str(obj.get("name")):
            _bad("Parameter template.name is required")
        lang = obj.get("language")
        if not isinstance(lang, dict) or not _nonempty_str(lang.get("code")):
            _bad("Parameter template.language.code is required")
        comps = obj.get("components")
        if comps is not None and not (isinstance(comps, list) and
                                      all(isinstance(c, dict) for c in comps)):
            _bad("Parameter template.components must be an array of objects")

    if "context" in body:
        ctx = body["context"]
        if not isinstance(ctx, dict) or not _nonempty_str(ctx.get("message_id")):
            _bad("Parameter context.message_id is required when context is given")
    if "biz_opaque_callback_data" in body and not isinstance(body["biz_opaque_callback_data"], str):
        _bad("Parameter biz_opaque_callback_data must be a string")


def validate_fault(f):
    """Checks one fault spec of the control API; returns it normalised."""
    if not isinstance(f, dict):
        raise ControlError("a fault must be an object")
    kinds = [k for k in ("code", "http", "hang", "asyncFail") if k in f]
    if len(kinds) != 1:
        raise ControlError("a fault needs exactly one of code, http, hang, asyncFail: %r" % f)
    kind = kinds[0]
    if kind in ("code", "asyncFail", "http") and not isinstance(f[kind], int):
        raise ControlError("fault %s must be an integer" % kind)
    if kind == "http" and not 400 <= f["http"] <= 599:
        raise ControlError("fault http must be a 4xx or 5xx status")
    if kind == "hang":
        if not isinstance(f["hang"], (int, float)) or not 0 <= f["hang"] <= 600:
            raise ControlError("fault hang must be seconds in 0..600")
        if f.get("then", "close") not in ("close", "answer"):
            raise ControlError("fault then must be 'close' or 'answer'")
    if "status" in f and not (isinstance(f["status"], int) and 400 <= f["status"] <= 599):
        raise ControlError("fault status must be a 4xx or 5xx status")
    return dict(f)


# --- state ----------------------------------------------------------------------

class Number:
    """A registered phone number: its configuration and runtime state."""

    def __init__(self, cfg):
        def num(key, default, lo, hi):
            v = cfg.get(key, default)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
                raise ControlError("%s must be a number in %s..%s" % (key, lo, hi))
            return v

        self.id = cfg.get("phoneNumberId")
        if not isinstance(self.id, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", self.id):
            raise ControlError("phoneNumberId is required (digits)")
        self.token = cfg.get("accessToken")
        self.secret = cfg.get("appSecret")
        if not _nonempty_str(self.token) or not _nonempty_str(self.secret):
            raise ControlError("accessToken and appSecret are required")
        self.webhook_url = cfg.get("webhookUrl")
        if self.webhook_url is not None and not (
                isinstance(self.webhook_url, str) and re.match(r"https?://", self.webhook_url)):
            raise ControlError("webhookUrl must be an http(s) URL")
        self.rate = int(num("ratePerSecond", 80, 1, 100000))
        self.pair_seconds = num("pairRateSeconds", 0, 0, 86400)
        self.status_delay = num("statusDelayMs", 50, 0, 60000) / 1000.0
        self.retries = int(num("webhookRetries", 3, 0, 20))
        self.backoff = num("webhookBackoffMs", 200, 0, 60000) / 1000.0
        self.webhook_timeout = num("webhookTimeoutMs", 5000, 1, 600000) / 1000.0
        st = cfg.get("statuses", True)
        if st is True:
            self.statuses = list(STATUS_ORDER)
        elif st is False:
            self.statuses = []
        elif isinstance(st, list) and all(s in STATUS_ORDER for s in st):
            self.statuses = [s for s in STATUS_ORDER if s in st]
        else:
            raise ControlError("statuses must be true, false or a list of sent/delivered/read")
        chaos = cfg.get("chaos") or {}
        if not isinstance(chaos, dict):
            raise ControlError("chaos must be an object")
        self.shuffle = chaos.get("shuffle", False)
        if self.shuffle not in (False, True, "reverse"):
            raise ControlError("chaos.shuffle must be false, true or 'reverse'")
        dup = chaos.get("duplicate", 0)
        self.duplicate = 1.0 if dup is True else 0.0 if dup is False else dup
        if not isinstance(self.duplicate, (int, float)) or not 0 <= self.duplicate <= 1:
            raise ControlError("chaos.duplicate must be a probability or a boolean")
        self.skip_delivered = bool(chaos.get("skipDelivered", False))
        self.batch = bool(chaos.get("batch", False))
        self.chaos_rng = random.Random(chaos.get("seed"))
        self.display = str(cfg.get("displayPhoneNumber") or "1555" + self.id[-7:].rjust(7, "0"))
        self.waba = str(cfg.get("wabaId") or "1" + self.id[-14:])
        # runtime
        self.window = deque()         # monotonic times of accepts in the last second
        self.last_to = {}             # recipient -> monotonic time of the last accept
        self.max_rate = 0
        self.faults = deque()
        self.error_rate = 0.0
        self.error_fault = {"http": 500}
        self.fault_rng = random.Random()

    def public(self):
        return {"phoneNumberId": self.id, "webhookUrl": self.webhook_url,
                "ratePerSecond": self.rate, "pairRateSeconds": self.pair_seconds,
                "statusDelayMs": int(self.status_delay * 1000), "statuses": self.statuses,
                "chaos": {"shuffle": self.shuffle, "duplicate": self.duplicate,
                          "skipDelivered": self.skip_delivered, "batch": self.batch},
                "webhookRetries": self.retries, "webhookBackoffMs": int(self.backoff * 1000),
                "displayPhoneNumber": self.display, "wabaId": self.waba,
                "faultsQueued": len(self.faults), "errorRate": self.error_rate}


class Webhook:
    """One webhook POST (with its retries)."""
    _ids = itertools.count(1)

    def __init__(self, kind, number, payload, duplicate=False):
        self.id = next(Webhook._ids)
        self.kind = kind
        self.number_id = number.id
        self.url = number.webhook_url
        self.payload = payload
        self.raw = meta_json(payload)
        self.signature = sign(self.raw, number.secret)
        self.retries = number.retries
        self.backoff = number.backoff
        self.timeout = number.webhook_timeout
        self.duplicate = duplicate
        self.attempts = []
        self.state = "pending"
        self.done = threading.Event()

    def public(self):
        return {"id": self.id, "kind": self.kind, "phoneNumberId": self.number_id,
                "url": self.url, "payload": self.payload, "duplicate": self.duplicate,
                "state": self.state, "attempts": list(self.attempts)}


class Dispatcher:
    """Timed jobs run by a small pool of worker threads (webhook deliveries).

    A job is a callable; `at` is a time.monotonic() deadline. reset() drops
    queued jobs, and chains check the generation so in-flight ones stop too.
    """

    def __init__(self, workers=8):
        self._heap = []
        self._seq = itertools.count()
        self._cv = threading.Condition()
        self._stopping = False
        self._threads = [threading.Thread(target=self._run, name="fake-graph-hooks-%d" % i,
                                          daemon=True) for i in range(workers)]
        self.generation = 0

    def start(self):
        for t in self._threads:
            t.start()

    def stop(self):
        with self._cv:
            self._stopping = True
            self._heap.clear()
            self._cv.notify_all()
        for t in self._threads:
            t.join(timeout=2)

    def reset(self):
        with self._cv:
            self._heap.clear()
            self.generation += 1

    def schedule(self, delay, job):
        with self._cv:
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._seq), job))
            self._cv.notify()

    def _run(self):
        while True:
            with self._cv:
                while True:
                    if self._stopping:
                        return
                    now = time.monotonic()
                    if self._heap and self._heap[0][0] <= now:
                        _, _, job = heapq.heappop(self._heap)
                        break
                    self._cv.wait(self._heap[0][0] - now if self._heap else None)
            try:
                job()
            except Exception as e:  # a job must never kill a worker
                print("fake-graph: webhook job failed: %r" % e, file=sys.stderr, flush=True)


# --- the fake -------------------------------------------------------------------

class FakeGraph:
    """The fake Cloud API server. start() binds and serves in a thread."""

    def __init__(self, host="127.0.0.1", port=0, quiet=False):
        check_loopback(host)
        self.host = host
        self.port = port
        self.quiet = quiet
        self._lock = threading.Lock()
        self._server = None
        self._thread = None
        self._stopping = threading.Event()
        self._wamid_seq = itertools.count(1)
        self._media_seq = itertools.count(1)
        self.dispatcher = Dispatcher()
        self._clear()

    # -- lifecycle ------------------------------------------------------------
    def start(self):
        server_cls = _Server6 if ":" in self.host else _Server
        self._server = server_cls((self.host, self.port), _Handler)
        self._server.fake = self
        self.port = self._server.server_address[1]
        self.dispatcher.start()
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name="fake-graph-http", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()  # wakes hanging requests
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.dispatcher.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "http://%s:%d" % (host, self.port)

    def log(self, line):
        if not self.quiet:
            print("fake-graph: " + line, file=sys.stderr, flush=True)

    # -- state ----------------------------------------------------------------
    def _clear(self):
        self.numbers = {}
        self.messages = []
        self.webhooks = []
        self.media = {}
        self._stats = {"requests": 0, "accepted": 0, "acceptedByNumber": {}, "rejected": {},
                       "rejectedTotal": 0, "rateLimited": 0, "pairRateLimited": 0,
                       "faultsInjected": 0, "hangs": 0, "hangsAbandoned": 0, "inbound": 0,
                       "media": 0, "maxPerSecond": {},
                       "webhooks": {"sent": 0, "failed": 0, "attempts": 0, "retries": 0}}

    def reset(self):
        with self._lock:
            self.dispatcher.reset()
            self._clear()

    def count(self, key, n=1):
        with self._lock:
            self._stats[key] += n

    def count_rejected(self, key):
        with self._lock:
            self._stats["rejected"][str(key)] = self._stats["rejected"].get(str(key), 0) + 1
            self._stats["rejectedTotal"] += 1

    def stats(self):
        with self._lock:
            s = json.loads(json.dumps(self._stats))
            s["webhooks"]["pending"] = sum(1 for w in self.webhooks if w.state == "pending")
            for n in self.numbers.values():
                s["maxPerSecond"].setdefault(n.id, n.max_rate)
            return s

    def number(self, pnid):
        with self._lock:
            return self.numbers.get(pnid)

    def add_number(self, cfg=None, **kw):
        """Registers (or replaces) a number; cfg as POST /_fake/numbers."""
        n = Number(dict(cfg or {}, **kw))
        with self._lock:
            self.numbers[n.id] = n
        return n

    def set_faults(self, pnid, spec=None, **kw):
        spec = dict(spec or {}, **kw)
        n = self.number(pnid)
        if n is None:
            raise ControlError("unknown phoneNumberId", 404)
        nxt = spec.get("next", [])
        if not isinstance(nxt, list):
            raise ControlError("next must be an array of faults")
        faults = [validate_fault(f) for f in nxt]
        rate = spec.get("errorRate", n.error_rate if spec.get("append") else 0.0)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ControlError("errorRate must be in 0..1")
        err_fault = validate_fault(spec.get("errorFault", {"http": 500}))
        with self._lock:
            if not spec.get("append"):
                n.faults.clear()
            n.faults.extend(faults)
            n.error_rate = float(rate)
            n.error_fault = err_fault
            if "seed" in spec:
                n.fault_rng.seed(spec["seed"])
            return {"queued": len(n.faults), "errorRate": n.error_rate}

    def take_fault(self, n):
        """The next forced response for number n: queued first, then errorRate."""
        with self._lock:
            if n.faults:
                return n.faults.popleft()
            if n.error_rate and n.fault_rng.random() < n.error_rate:
                return dict(n.error_fault)
        return None

    def admit(self, n, to):
        """Throughput (sliding 1 s window) and pair-rate checks, then records
        the accept; returns its wall-clock time. Raises GraphError(130429 / 131056)."""
        with self._lock:
            now = time.monotonic()
            w = n.window
            while w and w[0] <= now - 1.0:
                w.popleft()
            if len(w) >= n.rate:
                self._stats["rateLimited"] += 1
                raise GraphError(130429)
            last = n.last_to.get(to)
            if n.pair_seconds and last is not None and now - last < n.pair_seconds:
                self._stats["pairRateLimited"] += 1
                raise GraphError(131056)
            w.append(now)
            n.last_to[to] = now
            n.max_rate = max(n.max_rate, len(w))
            self._stats["maxPerSecond"][n.id] = n.max_rate
            return time.time()  # taken inside the lock: same order as the window

    def new_wamid(self, to):
        # Real wamids are base64 and may contain "+", "/" and "=": so do these.
        raw = b"\x1c\x18\x0b" + to.encode() + b"\x15\x02\x00\x12\x18" + \
            next(self._wamid_seq).to_bytes(4, "big") + os.urandom(10)
        return "wamid." + base64.b64encode(raw).decode()

    def record_accept(self, n, body, wamid, when, fail_code=None):
        msg = {"wamid": wamid, "phoneNumberId": n.id, "to": body["to"], "type": body["type"],
               "time": when, "body": body, "statuses": []}
        with self._lock:
            self.messages.append(msg)
            self._stats["accepted"] += 1
            by = self._stats["acceptedByNumber"]
            by[n.id] = by.get(n.id, 0) + 1
        self.schedule_statuses(n, msg, fail_code)

    def list_messages(self, pnid=None, wamid=None):
        with self._lock:
            return [dict(m) for m in self.messages
                    if (pnid is None or m["phoneNumberId"] == pnid) and
                    (wamid is None or m["wamid"] == wamid)]

    def list_webhooks(self, pnid=None, kind=None):
        with self._lock:
            return [w.public() for w in self.webhooks
                    if (pnid is None or w.number_id == pnid) and (kind is None or w.kind == kind)]

    # -- webhooks -------------------------------------------------------------
    def _envelope(self, n, value):
        return {"object": "whatsapp_business_account",
                "entry": [{"id": n.waba, "changes": [{"field": "messages", "value": value}]}]}

    def _metadata(self, n):
        return {"display_phone_number": n.display, "phone_number_id": n.id}

    def schedule_statuses(self, n, msg, fail_code=None):
        """Builds a message's status webhooks (chaos applied) and starts the chain."""
        if not n.webhook_url or not n.statuses:
            return
        names = list(n.statuses)
        if fail_code is not None:  # asyncFail: sent, then failed
            names = ["sent", "failed"]
        elif n.skip_delivered and "delivered" in names:
            names.remove("delivered")
        base = time.time()
        statuses = []
        for i, name in enumerate(names):
            # Timestamps follow the true event order even when delivery is shuffled.
            st = {"id": msg["wamid"], "status": name,
                  "timestamp": str(int(base + (i + 1) * n.status_delay)),
                  "recipient_id": msg["to"]}
            if "biz_opaque_callback_data" in msg["body"]:
                st["biz_opaque_callback_data"] = msg["body"]["biz_opaque_callback_data"]
            if name in ("sent", "delivered"):
                st["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "service"}
            if name == "failed":
                _, emsg, edetails = ERRORS.get(fail_code, (400, "(#%d) Error" % fail_code,
                                                           "Error %d" % fail_code))
                title = re.sub(r"^\(#\d+\) ", "", emsg)
                st["errors"] = [{"code": fail_code, "title": title, "message": title,
                                 "error_data": {"details": edetails}}]
            statuses.append(st)
        with self._lock:
            rng = n.chaos_rng
            if n.shuffle == "reverse":
                statuses.reverse()
            elif n.shuffle and len(statuses) > 1:
                order = list(statuses)
                while order == statuses:  # a real permutation, never the natural order
                    rng.shuffle(order)
                statuses = order
            groups = [statuses] if n.batch else [[s] for s in statuses]
            dups = [n.duplicate and rng.random() < n.duplicate for _ in groups]
        hooks = []
        for group, dup in zip(groups, dups):
            value = {"messaging_product": "whatsapp", "metadata": self._metadata(n),
                     "statuses": group}
            payload = self._envelope(n, value)
            hooks.append(Webhook("status", n, payload))
            if dup:
                hooks.append(Webhook("status", n, payload, duplicate=True))
        msg["statuses"] = [s["status"] for s in statuses]
        self._start_chain(hooks, n.status_delay)

    def _start_chain(self, hooks, delay):
        """Delivers hooks one after the other, `delay` apart, each after the
        previous one is finished (delivered or given up)."""
        with self._lock:
            self.webhooks.extend(hooks)
        gen = self.dispatcher.generation

        def link(i):
            if i < len(hooks) and gen == self.dispatcher.generation:
                self._attempt(gen, hooks[i],
                              lambda: self.dispatcher.schedule(delay, lambda: link(i + 1)))
        self.dispatcher.schedule(delay, lambda: link(0))

    def _attempt(self, gen, hook, then):
        """One delivery attempt; on failure schedules a retry with backoff."""
        code, err = post_webhook(hook.url, hook.raw, hook.signature, hook.timeout)
        with self._lock:
            hook.attempts.append({"code": code, "error": err, "time": time.time()})
            self._stats["webhooks"]["attempts"] += 1
            ok = code is not None and 200 <= code < 300
            retry = not ok and len(hook.attempts) <= hook.retries and \
                gen == self.dispatcher.generation and not self._stopping.is_set()
            if retry:
                self._stats["webhooks"]["retries"] += 1
            else:
                hook.state = "delivered" if ok else "failed"
                self._stats["webhooks"]["sent" if ok else "failed"] += 1
        self.log("webhook %s #%d -> %s %s" % (hook.kind, hook.id, hook.url, code if code else err))
        if retry:
            backoff = hook.backoff * (2 ** (len(hook.attempts) - 1))
            self.dispatcher.schedule(backoff, lambda: self._attempt(gen, hook, then))
        else:
            hook.done.set()
            then()

    def inbound(self, pnid, spec=None, **kw):
        """Makes Meta POST an inbound message webhook; returns (wamid, hooks)."""
        spec = dict(spec or {}, **kw)
        n = self.number(pnid)
        if n is None:
            raise ControlError("unknown phoneNumberId", 404)
        if not n.webhook_url:
            raise ControlError("the number has no webhookUrl")
        frm, name = spec.get("from"), spec.get("name", "")
        if not isinstance(frm, str) or not re.fullmatch(r"[0-9]{5,15}", frm):
            raise ControlError("from must be a phone number, digits only")
        if not isinstance(name, str):
            raise ControlError("name must be a string")
        mtype = spec.get("type", "text")
        wamid = self.new_wamid(frm)
        ts = spec.get("timestamp", int(time.time()))
        msg = {"from": frm, "id": wamid, "timestamp": str(int(ts)), "type": mtype}
        if mtype == "text":
            if not isinstance(spec.get("text"), str):
                raise ControlError("text is required for type text")
            msg["text"] = {"body": spec["text"]}
        elif mtype in MEDIA_TYPES:
            media = {}
            if "caption" in spec and mtype != "audio":
                media["caption"] = spec["caption"]
            if mtype == "document":
                media["filename"] = spec.get("filename", "document.pdf")
            media["mime_type"] = spec.get("mimeType", INBOUND_MIME[mtype])
            media["sha256"] = spec.get("sha256", hashlib.sha256(os.urandom(16)).hexdigest())
            media["id"] = str(spec.get("id", self._media_id()))
            msg[mtype] = media
        else:
            raise ControlError("type must be text or one of " + ", ".join(MEDIA_TYPES))
        value = {"messaging_product": "whatsapp", "metadata": self._metadata(n),
                 "contacts": [{"profile": {"name": name}, "wa_id": frm}], "messages": [msg]}
        payload = self._envelope(n, value)
        hooks = [Webhook("inbound", n, payload)]
        if spec.get("twice"):  # at-least-once: the very same body again
            hooks.append(Webhook("inbound", n, payload, duplicate=True))
        self.count("inbound")
        self._start_chain(hooks, 0.0 if len(hooks) == 1 else max(n.status_delay, 0.01))
        if not spec.get("async"):
            for h in hooks:
                h.done.wait(timeout=60)
        return wamid, hooks

    def _media_id(self):
        return str(10 ** 15 + next(self._media_seq) * 7919 + random.randrange(1000))

    def add_media(self, meta):
        mid = self._media_id()
        with self._lock:
            self.media[mid] = meta
            self._stats["media"] += 1
        return mid


def post_webhook(url, body, signature, timeout):
    """POSTs one webhook like Meta; returns (HTTP status or None, error or None).
    http.client on purpose: no proxies from the environment, no redirects."""
    u = urllib.parse.urlsplit(url)
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    conn = cls(u.hostname, u.port, timeout=timeout)
    path = (u.path or "/") + ("?" + u.query if u.query else "")
    try:
        conn.request("POST", path, body=body, headers={
            "Content-Type": "application/json", "User-Agent": "facebookexternalua",
            "X-Hub-Signature-256": signature})
        r = conn.getresponse()
        r.read()
        return r.status, None
    except (OSError, http.client.HTTPException) as e:
        return None, "%s: %s" % (type(e).__name__, e)
    finally:
        conn.close()


def verify_handshake(url, token, challenge, mode="subscribe", timeout=5):
    """Meta's GET verification against url; reports what came back."""
    q = urllib.parse.urlencode({"hub.mode": mode, "hub.verify_token": token,
                                "hub.challenge": challenge})
    u = urllib.parse.urlsplit(url + ("&" if "?" in url else "?") + q)
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    conn = cls(u.hostname, u.port, timeout=timeout)
    try:
        conn.request("GET", u.path + "?" + u.query, headers={"User-Agent": "facebookplatform"})
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        return {"status": r.status, "body": text, "challenge": challenge,
                "ok": r.status == 200 and text == challenge}
    except (OSError, http.client.HTTPException) as e:
        return {"status": None, "body": None, "challenge": challenge, "ok": False,
                "error": "%s: %s" % (type(e).__name__, e)}
    finally:
        conn.close()


def check_loopback(host):
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError("the fake listens on loopback addresses only, not %r" % host)


# --- HTTP ------------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # bursts from many connections

    def handle_error(self, request, client_address):
        # a client that gave up (its timeout, a held "hang") is expected
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


GRAPH_PATH = re.compile(r"^/(v\d+\.\d+)/([^/]+)/(messages|media)$")
NUMBER_PATH = re.compile(r"^/_fake/numbers/([^/]+)/(faults|inbound)$")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, and Expect: 100-continue
    server_version = "FakeGraph/1.0"
    sys_version = ""

    @property
    def fake(self):
        return self.server.fake

    def setup(self):
        super().setup()
        # Headers and body are two writes: without this, Nagle plus the
        # client's delayed ACK adds ~40 ms to every keep-alive response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # replaced by one line per request
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    # -- plumbing -------------------------------------------------------------
    def _handle(self, method):
        start = time.monotonic()
        self._status = "-"
        url = urllib.parse.urlsplit(self.path)
        try:
            self.fake.count("requests")
            m = GRAPH_PATH.match(url.path)
            if url.path.startswith("/_fake/"):
                self._control(method, url)
            elif m and method == "POST":
                self._graph(m.group(2), m.group(3))
            else:
                self._read_body()
                self._graph_error(GraphError(100, "Unknown path components: " + url.path,
                                             status=404))
        except _Abort:
            pass
        except Exception as e:
            self.fake.log("internal error: %r" % e)
            self._send_json(500, {"error": "fake internal error: %r" % e})
        finally:
            # One line per request; the query is dropped (it could carry a
            # token: Graph accepts access_token= there), headers never logged.
            self.fake.log('%s "%s %s" %s %.1fms' % (self.client_address[0], method, url.path,
                                                     self._status,
                                                     (time.monotonic() - start) * 1000))

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def _read_body(self, limit=MAX_BODY):
        """The whole request body (Content-Length or chunked)."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
                if len(out) > limit:
                    self._too_large()
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = -1
        if n < 0 or n > limit:
            self._too_large()
        return self.rfile.read(n) if n else b""

    def _too_large(self):
        self.close_connection = True
        self._graph_error(GraphError(100, "Request body too large", status=413))
        raise _Abort()

    def _send(self, status, body, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status, obj):
        self._send(status, json.dumps(obj, separators=(",", ":")).encode(),
                   "application/json; charset=UTF-8")

    def _graph_error(self, err):
        self._send(err.status, json.dumps(err.body(), separators=(",", ":")).encode(),
                   "application/json; charset=UTF-8")

    def _client_gone(self):
        """True when the client closed its side (EOF readable on the socket)."""
        try:
            r, _, _ = select.select([self.connection], [], [], 0.05)
            return bool(r) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    # -- Graph endpoints ------------------------------------------------------
    def _graph(self, pnid, what):
        fake = self.fake
        body = self._read_body(MAX_MEDIA_BODY if what == "media" else MAX_BODY)
        try:
            n = self._authenticate(pnid)
            fault = fake.take_fault(n)
            fail_code = None
            if fault is not None:
                fake.count("faultsInjected")
                fail_code = self._apply_fault(fault)  # raises or returns
            if what == "media":
                self._media(n, body)
                return
            ctype = self.headers.get("Content-Type", "")
            if ctype.split(";")[0].strip().lower() != "application/json":
                raise GraphError(100, "Content-Type must be application/json")
            try:
                msg = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise GraphError(100, "The request body is not valid JSON")
            validate_message(msg)
            accepted_at = fake.admit(n, msg["to"])
        except GraphError as e:
            fake.count_rejected(e.code)
            self._graph_error(e)
            return
        wamid = fake.new_wamid(msg["to"])
        self._send_json(200, {"messaging_product": "whatsapp",
                              "contacts": [{"input": msg["to"], "wa_id": msg["to"]}],
                              "messages": [{"id": wamid, "message_status": "accepted"}]})
        fake.record_accept(n, msg, wamid, accepted_at, fail_code)

    def _authenticate(self, pnid):
        auth = self.headers.get("Authorization", "")
        m = re.fullmatch(r"Bearer\s+(\S+)\s*", auth)
        if not m:
            raise GraphError(190, "An access token is required: Authorization: Bearer <token>")
        n = self.fake.number(pnid)
        if n is None:
            raise GraphError(100, "Unsupported post request. Object with ID '%s' does not "
                                  "exist, cannot be loaded due to missing permissions, or "
                                  "does not support this operation" % pnid)
        if not hmac.compare_digest(m.group(1).encode(), n.token.encode()):
            raise GraphError(190)
        return n

    def _apply_fault(self, f):
        """Acts out a forced fault. Raises GraphError or _Abort, or returns
        (None to go on normally, or an asyncFail code)."""
        fake = self.fake
        if "code" in f:
            raise GraphError(f["code"], f.get("details"), f.get("status"), f.get("message"))
        if "asyncFail" in f:
            return f["asyncFail"]
        if "http" in f:
            status = f["http"]
            fake.count_rejected("http%d" % status)
            if "raw" in f:
                self._send(status, str(f["raw"]).encode(), f.get("contentType", "text/html"))
            else:
                code, message = SERVER_ERRORS.get(status, (1, "An unknown error has occurred."))
                err = GraphError(code, f.get("details", message), status, message)
                self._graph_error(err)
            raise _Abort()
        # hang: hold the request; stop early if the client gives up or we stop
        fake.count("hangs")
        deadline = time.monotonic() + f["hang"]
        while time.monotonic() < deadline and not fake._stopping.is_set():
            if self._client_gone():
                fake.count("hangsAbandoned")
                self.close_connection = True
                raise _Abort()
        if f.get("then", "close") == "close":
            fake.count_rejected("hang")
            self.close_connection = True  # no answer at all
            raise _Abort()
        return None

    def _media(self, n, body):
        """BEYOND cloud-api.md: minimal media upload, multipart/form-data with
        messaging_product=whatsapp and a `file` part -> {"id": media id}."""
        ctype = self.headers.get("Content-Type", "")
        if not ctype.lower().startswith("multipart/form-data"):
            raise GraphError(100, "Content-Type must be multipart/form-data")
        form = BytesParser(policy=HTTP_POLICY).parsebytes(
            b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body)
        fields, file_part = {}, None
        for part in form.iter_parts() if form.is_multipart() else []:
            name = part.get_param("name", header="content-disposition")
            if name == "file":
                file_part = part
            elif name:
                fields[name] = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
        if fields.get("messaging_product") != "whatsapp":
            raise GraphError(100, "Parameter messaging_product is required and must be 'whatsapp'")
        if file_part is None:
            raise GraphError(100, "Parameter file is required")
        data = file_part.get_payload(decode=True) or b""
        mid = self.fake.add_media({"phoneNumberId": n.id, "size": len(data),
                                   "mimeType": fields.get("type") or file_part.get_content_type(),
                                   "filename": file_part.get_filename(),
                                   "sha256": hashlib.sha256(data).hexdigest()})
        self._send_json(200, {"id": mid})

    # -- control API ----------------------------------------------------------
    def _control(self, method, url):
        fake = self.fake
        raw = self._read_body()
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        try:
            spec = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (UnicodeDecodeError, ValueError):
            return self._send_json(400, {"error": "body is not valid JSON"})
        if not isinstance(spec, dict):
            return self._send_json(400, {"error": "body must be a JSON object"})
        path = url.path.rstrip("/")
        m = NUMBER_PATH.match(path)
        try:
            if (method, path) == ("POST", "/_fake/numbers"):
                n = fake.add_number(spec)
                out = {"phoneNumberId": n.id}
            elif (method, path) == ("GET", "/_fake/numbers"):
                with fake._lock:
                    out = [n.public() for n in fake.numbers.values()]
            elif m and method == "POST" and m.group(2) == "faults":
                out = fake.set_faults(m.group(1), spec)
            elif m and method == "POST" and m.group(2) == "inbound":
                wamid, hooks = fake.inbound(m.group(1), spec)
                out = {"id": wamid, "deliveries": [
                    {"state": h.state, "attempts": [a["code"] for a in h.attempts]}
                    for h in hooks]}
            elif (method, path) == ("POST", "/_fake/verify"):
                if not isinstance(spec.get("url"), str) or not isinstance(
                        spec.get("verifyToken"), str):
                    raise ControlError("url and verifyToken are required")
                challenge = str(spec.get("challenge", random.randrange(10 ** 9)))
                out = verify_handshake(spec["url"], spec["verifyToken"], challenge,
                                       spec.get("mode", "subscribe"))
            elif (method, path) == ("GET", "/_fake/messages"):
                out = fake.list_messages(q.get("phoneNumberId"), q.get("wamid"))
            elif (method, path) == ("GET", "/_fake/webhooks"):
                out = fake.list_webhooks(q.get("phoneNumberId"), q.get("kind"))
            elif (method, path) == ("GET", "/_fake/stats"):
                out = fake.stats()
            elif (method, path) == ("POST", "/_fake/reset"):
                fake.reset()
                out = {"ok": True}
            else:
                raise ControlError("no such control endpoint: %s %s" % (method, path), 404)
        except ControlError as e:
            return self._send_json(e.status, {"error": str(e)})
        self._send_json(200, out)


class _Abort(Exception):
    """The response was sent (or deliberately not): stop handling."""


# --- command line ------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description="Fake WhatsApp Cloud API for WaQtor tests")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--host", default="127.0.0.1", help="a loopback address")
    ap.add_argument("--quiet", action="store_true", help="no per-request log lines")
    args = ap.parse_args(argv)
    try:
        fake = FakeGraph(args.host, args.port, quiet=args.quiet)
    except ValueError as e:
        ap.error(str(e))
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    fake.start()
    print("listening on %s:%d" % (args.host, fake.port), flush=True)
    while not done.wait(0.5):  # wait() in slices so signals are handled promptly
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
