-- The event log and the webhook delivery queue (ARCHITECTURE.md, Events).
--
-- Every tenant event is written by waqtor_emit() in the transaction of the
-- change it reports, together with one delivery per matching webhook
-- endpoint: a crash can lose neither. Socket.IO gets the same envelopes,
-- published after the commit.
--
-- An event's id is "evt_" + 16 hex digits of its transaction's id + 16 of a
-- sequence, so ids sort in the order of (transaction, statement). Readers of
-- the log stop short of the oldest transaction still running (the
-- snapshot's xmin): below it no event can appear any more, so a client
-- polling with ?after=<last id> never skips one that committed late.
--
-- The log is partitioned by day (UTC), so retention drops a day at a time
-- instead of deleting rows; waqtor_partitions() keeps the partitions, run
-- by the migration and by the engine's retention sweep. The delivery queue
-- is one table, so that claiming and settling a delivery is a lookup by
-- its key; the sweep deletes what is past the retention in rounds.

CREATE SEQUENCE event_seq;

-- A tenant table's row-level security (sql/002), now also for partitions:
-- the API reaches them only through their table, which alone is granted,
-- but a partition is a table with a tenant_id too.
CREATE FUNCTION waqtor_tenant_rls(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
	EXECUTE format('CREATE POLICY tenant_isolation ON %s TO waqtor_app '
	    'USING (tenant_id = NULLIF(current_setting(''waqtor.tenant_id'', true), '''')::uuid) '
	    'WITH CHECK (tenant_id = NULLIF(current_setting(''waqtor.tenant_id'', true), '''')::uuid)', t);
END
$$;
CREATE OR REPLACE FUNCTION waqtor_tenant_table(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM waqtor_tenant_rls(t);
	EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO waqtor_app', t);
END
$$;

CREATE TABLE events (
	id		text COLLATE "C" NOT NULL,
	tenant_id	uuid NOT NULL,
	type		text NOT NULL,
	instance_id	uuid,
	ts		timestamptz NOT NULL DEFAULT now(),
	data		json NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX events_tenant_idx ON events (tenant_id, id);
CREATE TABLE events_default PARTITION OF events DEFAULT;
SELECT waqtor_tenant_table('events'::regclass);
SELECT waqtor_tenant_rls('events_default'::regclass);

-- One event's delivery to one endpoint. status: pending (due at next_at),
-- sending (claimed by an engine until next_at, when another may take it
-- over), delivered, failed (gave up, or the endpoint refused it for good).
-- log: the attempts, newest last: {at, code, latencyMs, body, error}.
CREATE TABLE webhook_deliveries (
	endpoint_id	uuid NOT NULL,
	event_id	text COLLATE "C" NOT NULL,
	event_ts	timestamptz NOT NULL,
	tenant_id	uuid NOT NULL,
	event_type	text NOT NULL,
	status		text NOT NULL DEFAULT 'pending' CHECK (status IN
			    ('pending', 'sending', 'delivered', 'failed')),
	attempts	int NOT NULL DEFAULT 0,
	next_at		timestamptz NOT NULL DEFAULT now(),
	claimed_by	uuid,
	log		jsonb NOT NULL DEFAULT '[]',
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (endpoint_id,
	next_at) WHERE status IN ('pending', 'sending');
CREATE INDEX webhook_deliveries_event_ts_idx ON webhook_deliveries (event_ts);
SELECT waqtor_tenant_table('webhook_deliveries'::regclass);

-- The endpoint's health: when its current run of failures began.
ALTER TABLE webhook_endpoints ADD COLUMN failing_since timestamptz;

-- The 16 hex digits of a transaction id in an event id.
CREATE FUNCTION event_xid_hex(x xid8) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT lpad(to_hex(x::text::bigint), 16, '0')
$$;

-- Events up to here are final: no running transaction can add one below.
CREATE FUNCTION event_horizon() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT 'evt_' || event_xid_hex(pg_snapshot_xmin(pg_current_snapshot()))
$$;

-- A filter (a webhook endpoint's, the log's ?types=): empty for every
-- event, else exact types, "*", or a prefix and a wildcard ("message.*"),
-- as lib/event.c validates them.
CREATE FUNCTION event_matches(patterns text[], type text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT cardinality(patterns) = 0 OR EXISTS (SELECT 1 FROM
	    unnest(patterns) p WHERE p = type OR p = '*' OR (right(p, 2) = '.*'
	    AND starts_with(type, left(p, -1))))
$$;

-- The envelope of ARCHITECTURE.md.
CREATE FUNCTION event_json(e events) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', e.id, 'type', e.type, 'tenantId',
	    e.tenant_id, 'instanceId', e.instance_id, 'ts', api_time(e.ts),
	    'data', e.data)
$$;

-- Writes events, [{type, tenantId, instanceId, data, endpointId}], with
-- their deliveries, and wakes the engines' webhook senders. endpointId,
-- when given, is the one endpoint to get the event whatever its filter
-- (webhook.test). Returns the envelopes to publish, in order.
CREATE FUNCTION waqtor_emit(evs json)
RETURNS TABLE (type text, tenant_id uuid, envelope text)
LANGUAGE sql AS $$
	WITH x AS (
		SELECT 'evt_' || event_xid_hex(pg_current_xact_id()) ||
		    lpad(to_hex(nextval('event_seq')), 16, '0') AS id,
		    v->>'type' AS type, (v->>'tenantId')::uuid AS tenant_id,
		    (v->>'instanceId')::uuid AS instance_id,
		    COALESCE(v->'data', '{}') AS data,
		    (v->>'endpointId')::uuid AS endpoint_id
		FROM json_array_elements(evs) WITH ORDINALITY AS j(v, n)
		ORDER BY n
	), e AS (
		INSERT INTO events (id, tenant_id, type, instance_id, data)
		SELECT id, tenant_id, type, instance_id, data FROM x
		RETURNING *
	), d AS (
		INSERT INTO webhook_deliveries (endpoint_id, event_id, event_ts,
		    tenant_id, event_type)
		SELECT w.id, e.id, e.ts, e.tenant_id, e.type FROM e JOIN x
		    ON x.id = e.id JOIN webhook_endpoints w ON w.tenant_id =
		    e.tenant_id AND w.enabled AND CASE WHEN x.endpoint_id IS NULL
		    THEN event_matches(w.events, e.type) ELSE w.id = x.endpoint_id
		    END
		RETURNING 1
	), wake AS (
		SELECT pg_notify('waqtor_webhooks', '') FROM (SELECT 1 FROM d
		    LIMIT 1) one
	)
	SELECT e.type, e.tenant_id, event_json(e)::text FROM e
	WHERE (SELECT count(*) FROM wake) >= 0	-- (so that wake runs)
	ORDER BY e.id
$$;
GRANT USAGE ON SEQUENCE event_seq TO waqtor_app;

-- Keeps the log's daily partitions: today's and ahead_days more; those
-- older than keep_days are dropped. Rows that went to a default partition
-- (the engines were down for longer than ahead_days) move to their day's.
CREATE FUNCTION waqtor_partitions(keep_days int, ahead_days int)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	p	record;
	day	date;
	name	text;
	dropped	int := 0;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('waqtor_partitions'));
	FOR day IN SELECT generate_series((now() AT TIME ZONE 'UTC')::date,
	    (now() AT TIME ZONE 'UTC')::date + ahead_days, '1 day')::date LOOP
		name := 'events_' || to_char(day, 'YYYYMMDD');
		CONTINUE WHEN to_regclass(name) IS NOT NULL;
		EXECUTE 'CREATE TEMP TABLE moved ON COMMIT DROP AS WITH m AS '
		    '(DELETE FROM events_default WHERE ts >= $1 AND ts < $2 '
		    'RETURNING *) SELECT * FROM m' USING day::timestamp AT TIME
		    ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC';
		EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES '
		    'FROM (%L) TO (%L)', name, day::timestamp AT TIME ZONE 'UTC',
		    (day + 1)::timestamp AT TIME ZONE 'UTC');
		PERFORM waqtor_tenant_rls(name::regclass);
		INSERT INTO events SELECT * FROM moved;
		DROP TABLE moved;
	END LOOP;
	FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid =
	    i.inhrelid WHERE i.inhparent = 'events'::regclass AND
	    c.relname ~ '^events_[0-9]{8}$' AND to_date(right(c.relname, 8),
	    'YYYYMMDD') < (now() AT TIME ZONE 'UTC')::date - keep_days LOOP
		EXECUTE format('DROP TABLE %I', p.relname);
		dropped := dropped + 1;
	END LOOP;
	-- what reached the default partition and is past its time
	DELETE FROM events_default WHERE ts < ((now() AT TIME ZONE 'UTC')::date -
	    keep_days)::timestamp AT TIME ZONE 'UTC';
	RETURN dropped;
END
$$;
SELECT waqtor_partitions(7, 2);

-- When its admins were last told of deliveries that failed for good.
ALTER TABLE webhook_endpoints ADD COLUMN notified_at timestamptz;

-- The engine's delivery outcomes, [{endpoint_id, event_id, outcome, wait,
-- entry}] with outcome delivered, retry (again in wait
-- seconds), failed, gone (410) or release (cut short by a stop: no
-- attempt counted), written by the engine that claimed them. An endpoint
-- is healthy again on any success; it is disabled on a 410 or after
-- fail_days of nothing but failures. Returns what its admins should hear:
-- webhook.endpoint.disabled, and webhook.delivery.failed (at most hourly).
CREATE FUNCTION webhook_outcome_rows(results json)
RETURNS TABLE (endpoint_id uuid, event_id text, outcome text, wait int,
    entry jsonb)
LANGUAGE sql IMMUTABLE AS $$
	SELECT * FROM json_to_recordset(results) AS r(endpoint_id uuid,
	    event_id text, outcome text, wait int, entry jsonb)
$$;

CREATE FUNCTION webhook_outcomes(results json, engine uuid, fail_days int)
RETURNS TABLE (kind text, endpoint_id uuid, tenant_id uuid, url text,
    reason text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
	UPDATE webhook_deliveries d SET status = CASE r.outcome
	    WHEN 'delivered' THEN 'delivered' WHEN 'retry' THEN 'pending'
	    WHEN 'release' THEN 'pending' ELSE 'failed' END,
	    next_at = now() + make_interval(secs => r.wait),
	    attempts = d.attempts - (r.outcome = 'release')::int,
	    claimed_by = NULL,
	    log = CASE WHEN r.outcome = 'release' THEN d.log ELSE
	        (CASE WHEN jsonb_array_length(d.log) >= 20 THEN d.log - 0 ELSE
	        d.log END) || jsonb_build_array(jsonb_build_object('at',
	        api_time(now()), 'attempt', d.attempts) || r.entry) END,
	    updated_at = now()
	FROM webhook_outcome_rows(results) r WHERE d.endpoint_id = r.endpoint_id
	    AND d.event_id = r.event_id AND d.status = 'sending' AND
	    d.claimed_by = engine;
	UPDATE webhook_endpoints w SET failing_since = CASE WHEN r.ok THEN NULL
	    ELSE COALESCE(w.failing_since, now()) END
	FROM (SELECT endpoint_id, bool_or(outcome = 'delivered') AS ok FROM
	    webhook_outcome_rows(results) WHERE outcome <> 'release' GROUP BY endpoint_id) r
	WHERE w.id = r.endpoint_id;
	RETURN QUERY UPDATE webhook_endpoints w SET enabled = false,
	    disabled_reason = CASE WHEN EXISTS (SELECT 1 FROM webhook_outcome_rows(results) r
	        WHERE r.endpoint_id = w.id AND r.outcome = 'gone')
	        THEN 'the endpoint answered 410 Gone'
	        ELSE 'every delivery failed for ' || fail_days || ' days' END,
	    updated_at = now()
	WHERE w.enabled AND w.id IN (SELECT endpoint_id FROM webhook_outcome_rows(results)) AND
	    (EXISTS (SELECT 1 FROM webhook_outcome_rows(results) r WHERE r.endpoint_id = w.id
	    AND r.outcome = 'gone') OR w.failing_since < now() -
	    make_interval(days => fail_days))
	RETURNING 'webhook.endpoint.disabled'::text, w.id, w.tenant_id, w.url,
	    w.disabled_reason;
	RETURN QUERY UPDATE webhook_endpoints w SET notified_at = now()
	WHERE w.id IN (SELECT endpoint_id FROM webhook_outcome_rows(results) WHERE outcome IN
	    ('failed', 'gone')) AND (w.notified_at IS NULL OR w.notified_at <
	    now() - interval '1 hour')
	RETURNING 'webhook.delivery.failed'::text, w.id, w.tenant_id, w.url,
	    'deliveries failed for good: see its delivery log'::text;
END
$$;

-- A delivery as the API shows it (its endpoint's log).
CREATE FUNCTION webhook_delivery_json(d webhook_deliveries) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('eventId', d.event_id, 'eventType',
	    d.event_type, 'eventAt', api_time(d.event_ts), 'status', d.status,
	    'attempts', d.attempts, 'nextAttemptAt', CASE WHEN d.status =
	    'pending' THEN api_time(d.next_at) END, 'updatedAt',
	    api_time(d.updated_at), 'log', d.log)
$$;
