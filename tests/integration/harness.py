"""Integration test harness: real PostgreSQL, Redis, nginx and our daemons.

Each Stack is a whole WaQtor stack started by `./waqtor up` in its own temp
state directory on a free port, and always torn down (`./waqtor down`, then
the directory removed). Tests print TAP through Tap, for automake's driver.
"""
import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

SRC = os.environ.get("WAQTOR_SRC_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("WAQTOR_BUILD_DIR") or os.path.join(SRC, "build")
IS_ROOT = os.geteuid() == 0


_held = []


def exclusive(name):
    """Holds a lock of this build tree for the rest of the process, so
    that the files taking it never run at the same time under make -j: the
    browser tests (Chromium takes both cores) and those whose checks count
    what an engine did under time limits (a campaign's exact sends)."""
    import fcntl
    f = open(os.path.join(BUILD, ".%s.lock" % name), "w")
    fcntl.flock(f, fcntl.LOCK_EX)
    _held.append(f)


class Tap:
    """TAP output for automake's driver. A file's checks are grouped into
    cases (@t.case), run in order by t.run(): a failed check prints its
    diagnostics and the case goes on; a case that raises is one failure
    naming the error, and every later case is reported skipped (not run), so
    a crash never hides which checks did not run. The exit status is 0 when
    every check passed; the driver counts each "not ok" once (it ignores the
    exit status), and a file that dies before its plan is one error."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.cases = []

    def ok(self, cond, name, diag=None):
        self.n += 1
        print(("ok" if cond else "not ok") + " %d - %s" % (self.n, name), flush=True)
        if not cond:
            self.failed += 1
            if diag is not None:
                for line in str(diag).splitlines()[:40]:
                    print("#   " + line, flush=True)
        return cond

    def eq(self, got, want, name, diag=None):
        extra = "" if diag is None else "\n" + str(diag)
        return self.ok(got == want, name, "got:  %r\nwant: %r%s" % (got, want, extra))

    def relay(self, cmd, cwd, env, timeout, name, diag=lambda: ""):
        """Runs a TAP producer (node --test, vitest) and prints its results
        renumbered into this file's, then two checks of its own: that it
        finished within timeout seconds (it is killed otherwise) and that it
        ran and passed (diag() adds to their diagnostics, e.g. the stack's
        logs). Returns its output."""
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            out, _ = p.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:  # report what ran, and that it hung
            p.kill()
            out, _ = p.communicate()
            timed_out = True
        ran = 0
        for line in out.splitlines():
            if re.match(r"^\s*1\.\.\d+$", line) or line.startswith("TAP version"):
                continue
            m = re.match(r"^(not ok|ok) \d+( .*)?$", line)
            if m:
                ran += 1
                self.n += 1
                if m.group(1) == "not ok":
                    self.failed += 1
                line = "%s %d%s" % (m.group(1), self.n, m.group(2) or "")
            print(line, flush=True)
        self.ok(not timed_out, "%s finished within %d s (killed otherwise; the tests after the last one "
                "above did not run)" % (name, timeout), out[-3000:])
        self.ok(p.returncode == 0 and ran > 0, "%s ran and passed (%d results)" % (name, ran),
                out[-3000:] + "\n" + diag() if p.returncode != 0 or not ran else None)
        return out

    def skip(self, name, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, why), flush=True)

    def case(self, name):
        """Decorator: registers a function as the file's next case."""
        def register(fn):
            self.cases.append((name, fn))
            return fn
        return register

    def run(self, diag=None):
        """Runs the cases in order. diag() adds context (e.g. the stack's
        logs) to a crash report."""
        crashed = None
        for name, fn in self.cases:
            if crashed is not None:
                self.skip(name, "not run: case '%s' crashed" % crashed)
                continue
            print("# case: %s" % name, flush=True)
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - reported, then the rest is skipped
                import traceback
                crashed = name
                extra = ""
                if diag is not None:
                    try:
                        extra = "\n" + diag()
                    except Exception as e2:  # noqa: BLE001
                        extra = "\n(no diagnostics: %r)" % e2
                self.ok(False, "case '%s' crashed: %r" % (name, e), traceback.format_exc() + extra)
        return crashed is None

    def done(self):
        print("1..%d" % self.n, flush=True)
        sys.exit(1 if self.failed else 0)

    def bail(self, why):
        print("Bail out! %s" % why, flush=True)
        sys.exit(1)


def tool(name, package):
    """The path of a program the tests need, or a clear error naming the
    Debian package that brings it."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError("%s is not installed (Debian package %s)" % (name, package))
    return path


def comm(pid):
    """A process's name, or None once it is gone."""
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def pg_bindir(pgdata):
    """The directory of the PostgreSQL programs that run the cluster in
    pgdata: those of the version that made it (PG_VERSION). They are never
    on PATH on Debian."""
    with open(os.path.join(pgdata, "PG_VERSION")) as f:
        version = f.read().strip()
    d = "/usr/lib/postgresql/%s/bin" % version
    if not os.access(os.path.join(d, "pg_ctl"), os.X_OK):
        raise RuntimeError("PostgreSQL %s's programs are not in %s (Debian package postgresql-%s)"
                           % (version, d, version))
    return d


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def holds(pred, seconds, interval=0.05):
    """True when pred() stays true for the whole window: for what must NOT
    happen (a message that must stay pending), checked all along rather than
    once after a sleep; False as soon as it does not hold."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not pred():
            return False
        time.sleep(interval)
    return bool(pred())


def wait_for(pred, timeout=15.0, interval=0.1):
    """Polls pred() until it returns a true value (returned) or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            v = pred()
        except Exception:  # a probe that fails means "not yet"
            v = None
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(interval)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body)


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=10):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


_stacks = []


def _teardown_all():
    for s in list(_stacks):
        s.destroy()


atexit.register(_teardown_all)
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, lambda *_: sys.exit(1))


class Stack:
    """A whole stack. With tap, its teardown also checks the logs for
    sanitizer reports (ASan, UBSan, LeakSanitizer) as one more test."""

    def __init__(self, tap=None, **env):
        self.tap = tap
        self.state = tempfile.mkdtemp(prefix="wq-")
        os.chmod(self.state, 0o755)  # services run as the waqtor user
        self.port = free_port()
        self.env = dict(os.environ)
        self.env.update({
            "WAQTOR_STATE": self.state,
            "WAQTOR_PORT": str(self.port),
            "WAQTOR_BUILD_DIR": BUILD,
            "WAQTOR_SKIP_BUILD": "1",
            "WAQTOR_SKIP_INSTALL": "1",
            "WAQTOR_API_WORKERS": "2",
            "WAQTOR_ENGINES": "1",  # "the engine" of the tests; a test may ask for more
            "WAQTOR_HEARTBEAT_MS": "300",
            "WAQTOR_SHUTDOWN_SECS": "10",
        })
        self.env.update({k: str(v) for k, v in env.items()})
        _stacks.append(self)

    # -- lifecycle ---------------------------------------------------------
    def waqtor(self, *args, check=True, timeout=180):
        p = subprocess.run([os.path.join(SRC, "waqtor")] + list(args), env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError("./waqtor %s failed (%d):\n%s\n%s" % (
                " ".join(args), p.returncode, p.stdout, self.logs()))
        return p

    def up(self):
        return self.waqtor("up")

    def down(self):
        return self.waqtor("down", check=False)

    def destroy(self):
        if self not in _stacks:
            return
        _stacks.remove(self)
        try:
            self.down()
            if self.tap is not None:
                reports = self.sanitizer_reports()
                self.tap.ok(not reports, "no sanitizer report in the stack's logs", "\n".join(reports))
        finally:
            shutil.rmtree(self.state, ignore_errors=True)

    def sanitizer_reports(self):
        found = []
        logdir = os.path.join(self.state, "log")
        for name in sorted(os.listdir(logdir)) if os.path.isdir(logdir) else []:
            with open(os.path.join(logdir, name), errors="replace") as f:
                lines = f.readlines()
            for i, line in enumerate(lines):
                if "Sanitizer" in line or "runtime error:" in line:
                    found.append("%s: %s" % (name, "".join(lines[i:i + 12])))
                    break
        return found

    def logs(self):
        out = []
        logdir = os.path.join(self.state, "log")
        for name in sorted(os.listdir(logdir)) if os.path.isdir(logdir) else []:
            with open(os.path.join(logdir, name), errors="replace") as f:
                lines = [l for l in f.readlines() if "nginx-access" not in name][-15:]
            out.append("--- %s\n%s" % (name, "".join(lines)))
        return "\n".join(out)

    # -- processes ---------------------------------------------------------
    def pid(self, name):
        try:
            with open(os.path.join(self.state, "run", name + ".pid")) as f:
                pid = int(f.read().strip())
            with open("/proc/%d/status" % pid) as f:
                if any(l.startswith("State:") and "Z" in l for l in f):
                    return None  # killed, not yet reaped by its parent
            return pid
        except (OSError, ValueError):
            return None

    def children(self, pid):
        """A daemon's workers: its children but its metrics server."""
        out = subprocess.run([tool("pgrep", "procps"), "-P", str(pid)], stdout=subprocess.PIPE,
                             text=True).stdout.split()
        return sorted(int(x) for x in out if comm(int(x)) != "waqtor-metrics")

    def path(self, *parts):
        return os.path.join(self.state, *parts)

    # -- clients -----------------------------------------------------------
    def request(self, method, path, body=None, headers=None, timeout=10):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
                headers = dict(headers or {}, **{"Content-Type": "application/json"})
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            c.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def health(self):
        try:
            return self.get("/api/v1/health")
        except OSError:
            return None

    def unix_get(self, sock, path):
        c = UnixHTTPConnection(sock)
        try:
            c.request("GET", path)
            r = c.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            c.close()

    def redis(self, *args):
        return subprocess.run([tool("redis-cli", "redis-tools"), "-s", self.path("run", "redis.sock")] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=20).stdout.strip()

    def psql(self, sql):
        psql = os.path.join(pg_bindir(self.path("pg", "data")), "psql")
        p = subprocess.run([psql, "-X", "-h", self.path("pg", "sock"), "-U", "waqtor",
                            "-d", "waqtor", "-tAc", sql], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=30)
        if p.returncode != 0:
            raise RuntimeError("psql: " + p.stdout)
        return p.stdout.strip()

    def pg_ctl(self, *args):
        """pg_ctl of the stack's cluster, as the services' user; raises when it
        fails (a fault injection that did not happen must fail the test)."""
        cmd = self.as_service() + [os.path.join(pg_bindir(self.path("pg", "data")), "pg_ctl"),
                                   "-D", self.path("pg", "data")] + list(args)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        if p.returncode != 0:
            raise RuntimeError("pg_ctl %s failed (%d): %s" % (" ".join(args), p.returncode, p.stdout))
        return p.stdout

    def pg_started_at(self):
        """When the cluster's postmaster started: changes on every restart."""
        return self.psql("SELECT pg_postmaster_start_time()")

    def kill(self, name, sig=signal.SIGKILL):
        """Sends sig to a daemon of the stack and waits until it is gone
        (for SIGKILL) so that what follows sees it dead; raises if it was not
        running."""
        pid = self.pid(name)
        if pid is None:
            raise RuntimeError("%s is not running" % name)
        os.kill(pid, sig)
        if sig == signal.SIGKILL and not wait_for(lambda: self.pid(name) != pid or
                                                  not os.path.exists("/proc/%d" % pid), 10, 0.02):
            raise RuntimeError("%s (pid %d) did not die" % (name, pid))
        return pid

    def as_service(self):
        """Command prefix that runs as the services' user."""
        if IS_ROOT:
            return ["setpriv", "--reuid=waqtor", "--regid=waqtor", "--init-groups"]
        return []

    def ctl(self, *args, input=None, env=None):
        e = dict(self.env)
        e.update({
            "WAQTOR_DATABASE_URL": "postgresql:///waqtor?host=%s&user=waqtor" % self.path("pg", "sock"),
            "WAQTOR_SQL_DIR": self.path("app", "sql"),
        })
        e.update(env or {})
        return subprocess.run(self.as_service() + [self.path("app", "bin", "waqtorctl")] + list(args),
                              env=e, input=input, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=60)


class Client:
    """A caller of the API through nginx: a browser session (cookie, with the
    Origin header browsers send) or an integration (X-API-Key)."""

    def __init__(self, stack, key=None, cookie=None, origin=True):
        self.stack = stack
        self.key = key
        self.cookie = cookie
        self.origin = origin

    def call(self, method, path, body=None, headers=None, raw=None, timeout=10):
        h = dict(headers or {})
        if self.key:
            h["X-API-Key"] = self.key
        if self.cookie:
            h["Cookie"] = "wq_session=" + self.cookie
        if self.origin:
            h.setdefault("Origin", "http://127.0.0.1:%d" % self.stack.port)
        h["Host"] = "127.0.0.1:%d" % self.stack.port
        r = self.stack.request(method, path, body=raw if raw is not None else body, headers=h, timeout=timeout)
        set_cookie = r.header("Set-Cookie")
        if set_cookie and set_cookie.startswith("wq_session="):
            value = set_cookie.split(";")[0].split("=", 1)[1]
            self.cookie = value or None
        return r

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body=body if body is not None else {}, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)


def err(r):
    """The error code of an API answer, or None."""
    try:
        return r.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def signup(stack, email, tenant="Acme", name="Ann Owner", password="correct horse 1"):
    """A new tenant with its owner logged in: (client, body)."""
    c = Client(stack)
    r = c.post("/api/v1/auth/signup", {"tenantName": tenant, "name": name,
                                       "email": email, "password": password})
    if r.status != 201:
        raise RuntimeError("signup %s: %d %s" % (email, r.status, r.body))
    return c, r.json()


class Events:
    """Collects the event envelopes published on Redis for one pattern
    (e.g. waqtor:<tenant>:*), from a redis-cli subscriber in a thread."""

    def __init__(self, stack, pattern):
        import threading
        self.items = []
        self.lock = threading.Lock()
        self.proc = subprocess.Popen([tool("redis-cli", "redis-tools"), "-s", stack.path("run", "redis.sock"),
                                      "psubscribe", pattern], stdout=subprocess.PIPE, text=True)
        # Subscribed once Redis has confirmed it: psubscribe, pattern, count.
        reply = [self.proc.stdout.readline().rstrip("\n") for _ in range(3)]
        if reply[:2] != ["psubscribe", pattern]:
            self.proc.kill()
            raise RuntimeError("psubscribe %s: %r" % (pattern, reply))
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        # redis-cli prints a message's parts one a line when not on a tty:
        # pmessage, pattern, channel, payload (compact JSON: one line)
        lines = iter(self.proc.stdout)
        for line in lines:
            if line.rstrip("\n") != "pmessage":
                continue
            try:
                next(lines)
                channel = next(lines).rstrip("\n")
                env = json.loads(next(lines))
            except (StopIteration, ValueError):
                continue
            with self.lock:
                self.items.append((channel, env))

    def of(self, type_, **data):
        with self.lock:
            return [e for _, e in self.items if e.get("type") == type_ and
                    all(e.get("data", {}).get(k) == v for k, v in data.items())]

    def notes(self, kind, **about):
        """The notification.new events of kind whose data (what the
        notification is about) has these values."""
        return [e for e in self.of("notification.new", kind=kind)
                if all(e["data"].get("data", {}).get(k) == v for k, v in about.items())]

    def channels(self):
        with self.lock:
            return {c for c, _ in self.items}

    def close(self):
        self.proc.kill()
        self.proc.wait()


def daemon_env(pid):
    """The environment a running daemon was started with."""
    with open("/proc/%d/environ" % pid, "rb") as f:
        pairs = [p.split(b"=", 1) for p in f.read().split(b"\0") if b"=" in p]
    return {k.decode(): v.decode() for k, v in pairs}


# -- FastCGI, to talk to waqtor-api without nginx ----------------------------
FCGI_BEGIN, FCGI_END, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT = 1, 3, 4, 5, 6


def fcgi_record(rtype, content, req_id=1):
    pad = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", 1, rtype, req_id, len(content), pad, 0) + content + b"\0" * pad


def fcgi_params(params):
    out = b""
    for k, v in params.items():
        k, v = k.encode(), v.encode()
        for n in (len(k), len(v)):
            out += bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
        out += k + v
    return out


def fcgi_begin(params):
    """The records that open a responder request, up to (not including) stdin."""
    return (fcgi_record(FCGI_BEGIN, struct.pack(">HB5x", 1, 0)) +
            fcgi_record(FCGI_PARAMS, fcgi_params(params)) + fcgi_record(FCGI_PARAMS, b""))


def fcgi_read_stdout(sock):
    """Reads records until END_REQUEST; returns the concatenated stdout."""
    buf, out = b"", b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return out
        buf += chunk
        while len(buf) >= 8:
            _, rtype, _, clen, pad, _ = struct.unpack(">BBHHBB", buf[:8])
            if len(buf) < 8 + clen + pad:
                break
            content, buf = buf[8:8 + clen], buf[8 + clen + pad:]
            if rtype == FCGI_STDOUT:
                out += content
            elif rtype == FCGI_END:
                return out
