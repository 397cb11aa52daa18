"""schemathesis hooks for tests/integration/test_schema.py (loaded through
SCHEMATHESIS_HOOKS).

Python's recursion limit is raised first: deep in generating a nested body
(send-interactive's), hypothesis parses a whole source file to describe a
lambda, and CPython 3.11's AST constructor then runs out of the default
1,000 and reports it as "SystemError: AST constructor recursion depth
mismatch" (CPython gh-106905), which kills the run.

An Idempotency-Key names one request: a key sent again with another body is
rightly 422 idempotency_mismatch (as the IETF Idempotency-Key draft has it),
which no schema can say, and generated keys repeat (hypothesis shrinks them
toward the same few strings). So each valid generated key is made unique
(an invalid one is left as it is, for the negative cases); the replay
itself is tested in tests/integration/test_messaging.py."""
import re
import sys
import uuid

import schemathesis

sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))


@schemathesis.hook
def map_headers(ctx, headers):
    key = headers.get("Idempotency-Key") if headers else None
    if isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", key):
        headers["Idempotency-Key"] = uuid.uuid4().hex
    return headers
