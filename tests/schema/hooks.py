"""schemathesis hooks for tests/integration/test_schema.py (loaded through
SCHEMATHESIS_HOOKS).

An Idempotency-Key names one request: a key sent again with another body is
rightly 422 idempotency_mismatch (as the IETF Idempotency-Key draft has it),
which no schema can say, and generated keys repeat (hypothesis shrinks them
toward the same few strings; the coverage phase sends the spec's example in
many cases). So each valid key is made unique just before it is sent (an
invalid one is left as it is, for the negative cases). `before_call` runs
before every call of every phase; `map_headers` only in some, which let the
coverage phase's repeated example through. The replay itself is tested in
tests/integration/test_messaging.py.

A time zone (format time-zone) must be a name of the tz database, which no
pattern holds: generated ones are drawn from a few real names."""
import re
import uuid

import schemathesis
from hypothesis import strategies as st

VALID_KEY = re.compile(r"[A-Za-z0-9._:-]{1,128}")

schemathesis.openapi.format("time-zone", st.sampled_from(
    ["UTC", "Asia/Riyadh", "Africa/Cairo", "Europe/London", "America/New_York", "Asia/Kolkata",
     "Australia/Adelaide", "America/St_Johns", "Etc/GMT+12"]))


@schemathesis.hook
def before_call(ctx, case, kwargs):
    key = case.headers.get("Idempotency-Key") if case.headers else None
    if isinstance(key, str) and VALID_KEY.fullmatch(key):
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
