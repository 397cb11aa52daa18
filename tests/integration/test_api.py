"""The API's contract: docs/openapi.yaml and the route table agree, and
bad requests get precise JSON errors (directly over FastCGI too)."""
import json
import os
import socket
import tempfile
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import BUILD, SRC, FCGI_STDIN, Stack, Tap, fcgi_begin, fcgi_read_stdout, fcgi_record  # noqa: E402

t = Tap()
s = Stack(t)


def spec_check(route_lines):
    """docs/build-reference.py --check: the spec parses, is consistent, and
    its operations are exactly these routes."""
    with tempfile.NamedTemporaryFile("w", suffix=".routes", delete=False) as f:
        f.write(route_lines)
    try:
        return subprocess.run([sys.executable, os.path.join(SRC, "docs", "build-reference.py"), "--check",
                               os.path.join(SRC, "docs", "openapi.yaml"), f.name],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    finally:
        os.unlink(f.name)


def fcgi(params, body=b""):
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(10)
    sock.connect(s.path("run", "api.sock"))
    try:
        msg = fcgi_begin(params)
        if body:
            msg += fcgi_record(FCGI_STDIN, body)
        sock.sendall(msg + fcgi_record(FCGI_STDIN, b""))
        out = fcgi_read_stdout(sock).decode()
    finally:
        sock.close()
    head, _, body = out.partition("\r\n\r\n")
    status = int(head.split("\r\n")[0].split()[1])
    headers = dict(l.split(": ", 1) for l in head.split("\r\n")[1:])
    return status, headers, body


@t.case("the route table and docs/openapi.yaml")
def route_table():
    routes = subprocess.run([os.path.join(BUILD, "waqtor-api"), "--routes"], stdout=subprocess.PIPE,
                            text=True, check=True).stdout
    t.ok(len(routes.splitlines()) > 0, "the route table is listed")
    r = spec_check(routes)
    t.ok(r.returncode == 0, "docs/openapi.yaml describes exactly the route table", r.stdout)
    r = spec_check(routes + "GET /api/v1/not-documented\n")
    t.ok(r.returncode != 0 and "/api/v1/not-documented" in r.stdout, "an undocumented route is caught", r.stdout)


@t.case("settings: README, redaction, a bad one")
def settings():
    names = [l.split()[0] for l in subprocess.run(
        [os.path.join(BUILD, "waqtorctl"), "config"], stdout=subprocess.PIPE, text=True,
        check=True).stdout.splitlines()[1:]]
    with open(os.path.join(SRC, "README.md")) as f:
        readme = f.read()
    t.ok(len(names) > 5, "waqtorctl config lists the settings", names)
    t.eq([n for n in names if "`%s`" % n not in readme], [], "the README's table has every setting")
    r = subprocess.run([os.path.join(BUILD, "waqtorctl"), "config"], stdout=subprocess.PIPE, text=True,
                       env=dict(os.environ, WAQTOR_DATABASE_URL="postgresql://u:hunter2@db/x",
                                WAQTOR_REDIS_URL="redis://:s3cret@cache:6379"))
    t.ok("hunter2" not in r.stdout and "s3cret" not in r.stdout and "u:***@db" in r.stdout,
         "waqtorctl config redacts credentials", r.stdout)
    r = subprocess.run([os.path.join(BUILD, "waqtor-api")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=dict(os.environ, WAQTOR_API_WORKERS="0"), timeout=10)
    t.ok(r.returncode == 2 and "WAQTOR_API_WORKERS" in r.stderr, "a bad setting stops a daemon, naming it",
         r.stderr)


@t.case("direct FastCGI: request ids, bad lengths, paths")
def direct_fastcgi():
    s.up()
    st, h, body = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/version"})
    t.ok(st == 200 and h.get("X-Request-Id"), "direct FastCGI request gets a request id", h)
    st, h, body = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/health",
                        "CONTENT_LENGTH": "12x"})
    t.ok(st == 400 and json.loads(body)["error"]["code"] == "bad_request",
         "a malformed Content-Length is 400", body)
    st, h, body = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/health",
                        "CONTENT_LENGTH": "-1"})
    t.eq(st, 400, "a negative Content-Length is 400")
    st, h, body = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/health",
                        "CONTENT_LENGTH": "10"}, b"abc")
    t.ok(st == 400 and "shorter" in body, "a body shorter than announced is 400", body)
    st, h, body = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/health",
                        "CONTENT_LENGTH": "99999999999999999999999"})
    t.eq(st, 400, "an overflowing Content-Length is 400")
    st, h, body = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/version?x=1"})
    t.eq(st, 200, "a query string does not change the route")
    st, h, body = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/version/"})
    t.eq(st, 404, "a trailing slash is another path")
    st, h, body = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/" + "a" * 5000})
    t.ok(st == 404 and json.loads(body)["error"]["code"] == "not_found",
         "an over-long path is 404 (longer than any endpoint)", body)
    st, h, body = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/version",
                        "HTTP_X_REQUEST_ID": "x" * 65})
    t.ok(st == 200 and h["X-Request-Id"] != "x" * 65, "an over-long request id is replaced", h)


@t.case("an unknown method; no worker died")
def unknown_method():
    r = s.request("BREW", "/api/v1/health")
    t.ok(r.status in (400, 405), "an unknown method is refused", r.status)
    master = s.pid("waqtor-api")
    t.ok(master is not None, "the API master runs")
    t.eq(len(s.children(master)), 2, "no worker died on bad input")


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
