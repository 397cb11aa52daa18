"""waqtor-pushd accepts WebSockets at /socket.io/ through nginx and follows
Redis; waqtor-engine publishes its heartbeat envelope; both stop cleanly on
SIGTERM."""
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Stack, Tap, wait_for  # noqa: E402

t = Tap()
s = Stack(t)


def ws_open(path="/socket.io/?EIO=4&transport=websocket"):
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n" % (path, s.port, key)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return sock, head.decode(errors="replace")


def read_frame(sock):
    """(opcode, payload) of the next frame from the server (unmasked)."""
    hdr = sock.recv(2)
    if len(hdr) < 2:
        return None, b""
    n = hdr[1] & 0x7f
    if n == 126:
        n = int.from_bytes(sock.recv(2), "big")
    elif n == 127:
        n = int.from_bytes(sock.recv(8), "big")
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return hdr[0] & 0x0f, data


def pushd_health():
    return s.unix_get(s.path("run", "pushd.sock"), "/healthz").json()


try:
    s.up()

    # --- pushd --------------------------------------------------------------
    sock, head = ws_open()
    t.ok(head.startswith("HTTP/1.1 101"), "a WebSocket upgrade at /socket.io/ through nginx is accepted", head)
    h = wait_for(lambda: pushd_health().get("connections") == 1 and pushd_health(), 5)
    t.ok(h and h["status"] == "ok" and h["redis"] == "ok", "pushd counts the connection and is subscribed", h)
    other, head2 = ws_open("/elsewhere/")
    t.ok(not head2.startswith("HTTP/1.1 101"), "no WebSocket outside /socket.io/", head2)
    other.close()

    n = s.redis("PUBLISH", "waqtor:t1:status", '{"type":"session.status"}')
    t.eq(n, "1", "pushd is subscribed to the waqtor:* channels")

    pid = s.pid("waqtor-pushd")
    os.kill(pid, signal.SIGTERM)
    sock.settimeout(10)
    op, payload = read_frame(sock)
    while op in (1, 2, 9):  # the Engine.IO open packet, pings
        op, payload = read_frame(sock)
    t.eq(op, 8, "SIGTERM sends open WebSockets a close frame")
    t.eq(int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None, 1001,
         "with status 1001 (going away)")
    sock.close()
    t.ok(wait_for(lambda: s.pid("waqtor-pushd") is None, 10), "pushd exits on SIGTERM")
    t.ok("stopped" in open(s.path("log", "waqtor-pushd.log")).read().splitlines()[-1],
         "and logs that it stopped")

    # --- engine -------------------------------------------------------------
    sub = subprocess.Popen(["redis-cli", "-s", s.path("run", "redis.sock"), "--csv", "subscribe",
                            "waqtor:system:system"], stdout=subprocess.PIPE, text=True)
    env = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = sub.stdout.readline()
        if "engine.heartbeat" in line:
            env = json.loads(json.loads("[" + line + "]")[2])
            break
    sub.kill()
    sub.wait()
    t.ok(env is not None, "the engine publishes a heartbeat on waqtor:system:system")
    env = env or {}
    t.eq(sorted(env), ["data", "id", "instanceId", "tenantId", "ts", "type"], "the envelope's fields")
    t.ok(env.get("tenantId") is None and env.get("ts", "").endswith("Z") and
         env.get("data", {}).get("postgres") == "ok", "heartbeat envelope content", env)

    epid = s.pid("waqtor-engine")
    os.kill(epid, signal.SIGTERM)
    t.ok(wait_for(lambda: s.pid("waqtor-engine") is None, 10), "the engine exits on SIGTERM")
    t.ok("stopped" in open(s.path("log", "waqtor-engine.log")).read().splitlines()[-1],
         "and logs that it stopped")

    out = s.up().stdout
    t.ok("starting waqtor-engine" in out and "starting waqtor-pushd" in out, "up restarts both", out)
    sock, head = ws_open()
    t.ok(head.startswith("HTTP/1.1 101"), "WebSockets are accepted again")
    sock.close()
except Exception as e:
    t.ok(False, "unexpected error", "%r\n%s" % (e, s.logs()))
finally:
    s.destroy()
t.done()
