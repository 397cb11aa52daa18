-- The engine: instance leases, session state, the outbox's claims and
-- retries, idempotent sends, and inbound provider events stored before they
-- are processed. The engine is a trusted system process working for every
-- tenant, so it connects as the owner role; the API stays under RLS.

CREATE TABLE engines (
	id		uuid PRIMARY KEY,
	host		text NOT NULL,
	pid		int NOT NULL,
	started_at	timestamptz NOT NULL DEFAULT now(),
	heartbeat_at	timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE instances
	ADD COLUMN owner_engine	uuid,
	ADD COLUMN lease_until	timestamptz,
	ADD COLUMN desired	text NOT NULL DEFAULT 'connected'
				CHECK (desired IN ('connected', 'logged_out')),
	ADD COLUMN restart_seq	int NOT NULL DEFAULT 0,
	ADD COLUMN qr		text,
	ADD COLUMN client_info	jsonb,
	ADD COLUMN paired_at	timestamptz;
CREATE INDEX instances_lease_idx ON instances (lease_until);

-- Messages: the outbox lives here. A pending outbound row is claimed by the
-- engine that owns its instance (claim_until), and retried at
-- next_attempt_at after a transient failure.
ALTER TABLE messages
	ADD COLUMN attempts		int NOT NULL DEFAULT 0,
	ADD COLUMN next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	ADD COLUMN claimed_by		uuid,
	ADD COLUMN claim_until		timestamptz,
	ADD COLUMN sent_at		timestamptz,
	ADD COLUMN delivered_at		timestamptz,
	ADD COLUMN read_at		timestamptz,
	ADD COLUMN contact_name		text,
	ADD COLUMN read_by_us		boolean NOT NULL DEFAULT false;
DROP INDEX messages_outbox_idx;
CREATE INDEX messages_outbox_idx ON messages (instance_id, next_attempt_at)
	WHERE status = 'pending' AND direction = 'out';
CREATE INDEX messages_unread_idx ON messages (instance_id, chat_id)
	WHERE direction = 'in' AND NOT read_by_us;

-- A status only moves forward: pending < sent < delivered < read; failed
-- replaces pending or sent only, and a later delivered/read overrides it.
CREATE FUNCTION status_rank(s text) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE s WHEN 'pending' THEN 0 WHEN 'sent' THEN 1
	    WHEN 'failed' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4
	    ELSE -1 END
$$;

-- The first answer to a POST with an Idempotency-Key, per tenant.
CREATE TABLE idempotency_keys (
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	key		text NOT NULL,
	request_hash	bytea NOT NULL,
	status		int NOT NULL,
	response	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, key)
);

-- Provider events (Cloud API webhooks, sandbox injections), stored as they
-- arrive so the webhook answers fast and nothing is lost; the engine
-- processes them in order.
CREATE TABLE inbound_events (
	id		bigserial PRIMARY KEY,
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	instance_id	uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
	source		text NOT NULL CHECK (source IN ('cloud', 'sandbox')),
	body		text NOT NULL,
	received_at	timestamptz NOT NULL DEFAULT now(),
	processed_at	timestamptz
);
CREATE INDEX inbound_events_pending_idx ON inbound_events (id)
	WHERE processed_at IS NULL;

SELECT waqtor_tenant_table('idempotency_keys');
SELECT waqtor_tenant_table('inbound_events');
GRANT USAGE ON SEQUENCE inbound_events_id_seq TO waqtor_app;

-- The instance a provider webhook names, before its tenant is known.
CREATE FUNCTION webhook_instance(p_id uuid)
RETURNS TABLE (tenant_id uuid, provider text, app_secret text, verify_token text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT tenant_id, provider, config->>'appSecret', config->>'verifyToken'
	FROM instances WHERE id = p_id
$$;
REVOKE ALL ON FUNCTION webhook_instance(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_instance(uuid) TO waqtor_app;
