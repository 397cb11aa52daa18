-- Inbound events are processed one at a time, each in its own savepoint
-- (engine/inbound.c): one that fails never holds back another. A failure
-- is retried with backoff a few times (WAQTOR_INBOUND_MAX_ATTEMPTS); a
-- payload that breaks the provider's contract, or one that failed every
-- try, is parked as dead with its error, kept for the tenant and
-- `waqtorctl inbound` to see. Processed and dead events are deleted after
-- WAQTOR_INBOUND_RETENTION_HOURS. A body replayed to the webhook is stored
-- once (body_sha256).
ALTER TABLE inbound_events
	ADD COLUMN attempts	int NOT NULL DEFAULT 0,
	ADD COLUMN retry_at	timestamptz,
	ADD COLUMN dead_at	timestamptz,
	ADD COLUMN last_error	text,
	ADD COLUMN body_sha256	bytea;

DROP INDEX inbound_events_pending_idx;
CREATE INDEX inbound_events_pending_idx ON inbound_events (id)
	WHERE processed_at IS NULL AND dead_at IS NULL;
CREATE INDEX inbound_events_dead_idx ON inbound_events (tenant_id, id)
	WHERE dead_at IS NOT NULL;
CREATE INDEX inbound_events_done_idx ON inbound_events (processed_at)
	WHERE processed_at IS NOT NULL;
CREATE INDEX inbound_events_dead_at_idx ON inbound_events (dead_at)
	WHERE dead_at IS NOT NULL;
CREATE UNIQUE INDEX inbound_events_body_idx
	ON inbound_events (instance_id, body_sha256);
