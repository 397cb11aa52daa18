"""Runs the Node test suite of waqtor-pushd (tests/node/*.test.mjs, with the
official socket.io-client and engine.io-client) against a whole private
stack started the way harness.py does, and relays its TAP, adding the
stack's sanitizer check as one more test.

The stack runs pushd with short heartbeats and small queues so that
timeouts and limits can be seen in a few seconds; the suite gets the URL,
the state directory and the source tree in WQ_* variables.
"""
import os
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from harness import wait_for, SRC, Stack, Tap  # noqa: E402

t = Tap()
if not os.path.isdir(os.path.join(HERE, "node_modules", "socket.io-client")):
    print("1..0 # SKIP tests/node/node_modules missing: run npm ci in tests/node")
    sys.exit(0)

s = Stack(t,
          WAQTOR_PUSHD_PING_INTERVAL_MS=1000,
          WAQTOR_PUSHD_PING_TIMEOUT_MS=1000,
          WAQTOR_PUSHD_QUEUE_MAX=50,
          WAQTOR_PUSHD_RATE=50,
          WAQTOR_PUSHD_RECOVERY_MS=30000,
          WAQTOR_LOG_LEVEL="debug")  # the suite watches session closes in pushd's log
try:
    s.up()
    # These tests publish the engine's events themselves and set instance
    # states in SQL: the engine's own session events would interleave.
    os.kill(s.pid("waqtor-engine"), signal.SIGTERM)
    wait_for(lambda: s.pid("waqtor-engine") is None, 15)
    env = dict(s.env)
    env.update({
        "WQ_URL": "http://127.0.0.1:%d" % s.port,
        "WQ_STATE": s.state,
        "WQ_SRC": SRC,
        "WQ_ROOT_USER": "1" if os.geteuid() == 0 else "",
    })
    files = sorted(f for f in os.listdir(HERE) if f.endswith(".test.mjs"))
    t.relay(["node", "--test", "--test-reporter=tap"] + [os.path.join(HERE, f) for f in files],
            HERE, env, 600, "the node suite", s.logs)
finally:
    s.destroy()
t.done()
