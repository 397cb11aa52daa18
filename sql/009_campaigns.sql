-- Campaigns: one state row per recipient, exact and resumable. The engine
-- (engine/campaign.c) turns pending recipients into outbox messages at the
-- campaign's pace; from then on the message's status is the recipient's
-- (trigger below), and per-status counts are kept by triggers, so every
-- path (engine, receipts, the API's cancel and retry) keeps them exact.

CREATE TABLE campaigns (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	instance_id	uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	status		text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft',
			    'scheduled', 'running', 'paused', 'completed',
			    'cancelled', 'failed')),
	message		jsonb NOT NULL,
	variables	jsonb NOT NULL DEFAULT '{}',
	contact_list_id	uuid REFERENCES contact_lists(id) ON DELETE SET NULL,
	schedule_at	timestamptz,
	rate_per_minute	int CHECK (rate_per_minute BETWEEN 1 AND 60000),
	min_delay_ms	int NOT NULL DEFAULT 0 CHECK (min_delay_ms BETWEEN 0 AND 3600000),
	max_delay_ms	int NOT NULL DEFAULT 0 CHECK (max_delay_ms BETWEEN 0 AND 3600000),
	pause_reason	text,
	total		int NOT NULL DEFAULT 0,
	started_at	timestamptz,
	completed_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_page_idx ON campaigns (tenant_id, created_at DESC, id DESC);
CREATE INDEX campaigns_active_idx ON campaigns (instance_id)
	WHERE status IN ('scheduled', 'running');

CREATE TABLE campaign_recipients (
	campaign_id	uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	seq		int NOT NULL,
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	chat_id		text NOT NULL,
	name		text,
	variables	jsonb NOT NULL DEFAULT '{}',
	status		text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending',
			    'queued', 'sent', 'delivered', 'read', 'failed',
			    'skipped')),
	reason		text,
	error		jsonb,
	message_id	uuid,
	not_before	timestamptz,
	queued_at	timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (campaign_id, seq)
) WITH (fillfactor = 80);
-- Room on each page and no index on status past pending: a recipient's
-- moves after it is queued (sent, delivered, read) are HOT updates.
CREATE INDEX campaign_recipients_pending_idx ON campaign_recipients (campaign_id, seq)
	WHERE status = 'pending';
CREATE UNIQUE INDEX campaign_recipients_message_idx ON campaign_recipients (message_id)
	WHERE message_id IS NOT NULL;

CREATE TABLE campaign_counts (
	campaign_id	uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	status		text NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (campaign_id, status)
);

-- Campaign messages go through the same outbox; single sends (priority 0)
-- are claimed before campaign retries (1).
ALTER TABLE messages
	ADD COLUMN campaign_id	uuid REFERENCES campaigns(id) ON DELETE SET NULL,
	ADD COLUMN priority	smallint NOT NULL DEFAULT 0;
DROP INDEX messages_outbox_idx;
CREATE INDEX messages_outbox_idx ON messages (instance_id, priority, next_attempt_at)
	WHERE status = 'pending' AND direction = 'out';

SELECT waqtor_tenant_table(t::regclass) FROM unnest(ARRAY['campaigns',
	'campaign_recipients', 'campaign_counts']) AS t;

-- Counts per (campaign, status), moved by every change of recipients.
CREATE FUNCTION campaign_count() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO campaign_counts AS c (campaign_id, tenant_id, status, n)
		SELECT campaign_id, min(tenant_id::text)::uuid, status, count(*)
		FROM new_rows GROUP BY campaign_id, status
		ON CONFLICT (campaign_id, status) DO UPDATE SET n = c.n + EXCLUDED.n;
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE campaign_counts c SET n = c.n - d.k
		FROM (SELECT campaign_id, status, count(*) AS k FROM old_rows
		    GROUP BY campaign_id, status) d
		WHERE c.campaign_id = d.campaign_id AND c.status = d.status;
	ELSE
		-- what each status gained less what it lost (no join of the
		-- old rows with the new: the same rows, so the sums say it)
		WITH delta AS (
			SELECT campaign_id, min(tenant_id::text)::uuid AS tenant_id,
			    status, sum(k) AS k FROM (
			    SELECT campaign_id, tenant_id, status, 1 AS k FROM new_rows
			    UNION ALL
			    SELECT campaign_id, tenant_id, status, -1 FROM old_rows) x
			GROUP BY campaign_id, status HAVING sum(k) <> 0)
		INSERT INTO campaign_counts AS c (campaign_id, tenant_id, status, n)
		SELECT campaign_id, tenant_id, status, k FROM delta
		ON CONFLICT (campaign_id, status) DO UPDATE SET n = c.n + EXCLUDED.n;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER campaign_recipients_ins AFTER INSERT ON campaign_recipients
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION campaign_count();
CREATE TRIGGER campaign_recipients_upd AFTER UPDATE ON campaign_recipients
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION campaign_count();
CREATE TRIGGER campaign_recipients_del AFTER DELETE ON campaign_recipients
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION campaign_count();

-- A campaign message's status is its recipient's (pending in the outbox is
-- "queued"); a failure brings its reason along. Receipts that come after
-- the campaign completed still count.
CREATE FUNCTION campaign_message_status() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	-- (no join with the old rows: the recipient's status is the old one)
	UPDATE campaign_recipients r SET status = x.status, error = x.error,
	    reason = CASE WHEN x.status = 'failed' THEN x.error->>'message' END,
	    updated_at = now()
	FROM (SELECT id, error, CASE status WHEN 'pending' THEN 'queued'
	    ELSE status END AS status FROM new_rows
	    WHERE campaign_id IS NOT NULL) x
	WHERE r.message_id = x.id AND r.status <> x.status;
	RETURN NULL;
END
$$;
CREATE TRIGGER messages_campaign_status AFTER UPDATE ON messages
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION campaign_message_status();

CREATE FUNCTION campaign_json(c campaigns) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', c.id, 'name', c.name,
	    'instanceId', c.instance_id, 'status', c.status,
	    'pauseReason', c.pause_reason, 'message', c.message,
	    'variables', c.variables, 'contactListId', c.contact_list_id,
	    'scheduleAt', api_time(c.schedule_at),
	    'pacing', json_build_object('ratePerMinute', c.rate_per_minute,
	        'minDelayMs', c.min_delay_ms, 'maxDelayMs', c.max_delay_ms),
	    'total', c.total,
	    'counts', (SELECT json_build_object(
	        'pending', COALESCE(sum(n) FILTER (WHERE status = 'pending'), 0),
	        'queued', COALESCE(sum(n) FILTER (WHERE status = 'queued'), 0),
	        'sent', COALESCE(sum(n) FILTER (WHERE status = 'sent'), 0),
	        'delivered', COALESCE(sum(n) FILTER (WHERE status = 'delivered'), 0),
	        'read', COALESCE(sum(n) FILTER (WHERE status = 'read'), 0),
	        'failed', COALESCE(sum(n) FILTER (WHERE status = 'failed'), 0),
	        'skipped', COALESCE(sum(n) FILTER (WHERE status = 'skipped'), 0))
	        FROM campaign_counts WHERE campaign_id = c.id),
	    'startedAt', api_time(c.started_at),
	    'completedAt', api_time(c.completed_at),
	    'createdAt', api_time(c.created_at),
	    'updatedAt', api_time(c.updated_at))
$$;

CREATE FUNCTION campaign_recipient_json(r campaign_recipients) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('seq', r.seq, 'chatId', r.chat_id,
	    'to', '+' || split_part(r.chat_id, '@', 1), 'name', r.name,
	    'variables', r.variables, 'status', r.status, 'reason', r.reason,
	    'errorCode', (r.error->>'code')::bigint, 'messageId', r.message_id,
	    'queuedAt', api_time(r.queued_at), 'updatedAt', api_time(r.updated_at))
$$;
