"""schemathesis hooks for tests/integration/test_schema.py (loaded through
SCHEMATHESIS_HOOKS).

An Idempotency-Key names one request: a key sent again with another body is
rightly 422 idempotency_mismatch (as the IETF Idempotency-Key draft has it),
which no schema can say, and generated keys repeat (hypothesis shrinks them
toward the same few strings). So each valid generated key is made unique
(an invalid one is left as it is, for the negative cases); the replay
itself is tested in tests/integration/test_messaging.py."""
import re
import uuid

import schemathesis


@schemathesis.hook
def map_headers(ctx, headers):
    key = headers.get("Idempotency-Key") if headers else None
    if isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", key):
        headers["Idempotency-Key"] = uuid.uuid4().hex
    return headers
