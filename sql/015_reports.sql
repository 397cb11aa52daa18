-- Reports without scanning messages: triggers on messages and
-- smartbot_replies write each change as a delta row in the transaction that
-- makes it (insert-only: concurrent sends never wait on a shared counter),
-- and the engine folds the deltas into hourly rollups every few seconds
-- (report_fold()). A report sums the rollups of its hours plus the deltas
-- not yet folded, so it is exact the moment a change commits.
--
-- A message counts in the UTC hour it was created, whenever its receipts
-- arrive, by the status it has now; its campaign, instance and direction
-- are the other keys, and a failure's error code. Unique contacts are a
-- HyperLogLog of the chats (the hll extension: exact up to a few hundred
-- contacts, within about 1.6 % beyond).
CREATE EXTENSION IF NOT EXISTS hll;

-- An outbound message that got an answer: the chat's next inbound message
-- within a day marks the latest outbound one before it.
ALTER TABLE messages ADD COLUMN replied_at timestamptz;

CREATE TABLE report_deltas (
	tenant_id	uuid NOT NULL,
	instance_id	uuid NOT NULL,
	campaign_id	uuid,
	hour		timestamptz NOT NULL,
	direction	text NOT NULL,
	status		text NOT NULL,
	error_code	text NOT NULL DEFAULT '',
	n		int NOT NULL DEFAULT 0,
	delivered_ms	bigint NOT NULL DEFAULT 0,	-- sent_at to delivered_at
	delivered_n	int NOT NULL DEFAULT 0,
	read_ms		bigint NOT NULL DEFAULT 0,	-- sent_at to read_at
	read_n		int NOT NULL DEFAULT 0,
	replied		int NOT NULL DEFAULT 0,
	smartbot	int NOT NULL DEFAULT 0,
	contacts	hll
);
CREATE INDEX report_deltas_tenant_idx ON report_deltas (tenant_id, hour);

CREATE TABLE report_hours (
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	instance_id	uuid NOT NULL,			-- kept after a deletion
	campaign_key	uuid NOT NULL,			-- the nil UUID: none
	hour		timestamptz NOT NULL,
	direction	text NOT NULL,
	status		text NOT NULL,
	error_code	text NOT NULL,
	n		bigint NOT NULL,
	delivered_ms	bigint NOT NULL,
	delivered_n	bigint NOT NULL,
	read_ms		bigint NOT NULL,
	read_n		bigint NOT NULL,
	replied		bigint NOT NULL,
	smartbot	bigint NOT NULL,
	contacts	hll NOT NULL,
	PRIMARY KEY (tenant_id, hour, instance_id, campaign_key, direction,
	    status, error_code)
);
CREATE INDEX report_hours_campaign_idx ON report_hours (campaign_key, hour)
	WHERE campaign_key <> '00000000-0000-0000-0000-000000000000';

SELECT waqtor_tenant_table(t::regclass) FROM unnest(ARRAY['report_deltas',
	'report_hours']) AS t;

-- The contact set of one chat.
CREATE FUNCTION report_contact(chat text) RETURNS hll
LANGUAGE sql IMMUTABLE AS $$
	SELECT hll_add(hll_empty(), hll_hash_text(chat))
$$;

CREATE FUNCTION report_ms(a timestamptz, b timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
	SELECT GREATEST(0, (EXTRACT(epoch FROM b - a) * 1000)::bigint)
$$;

-- The messages already stored, counted once (later changes come as deltas).
INSERT INTO report_hours SELECT tenant_id, instance_id, COALESCE(campaign_id,
    '00000000-0000-0000-0000-000000000000'), date_trunc('hour', created_at),
    direction, status, COALESCE(error->>'code', ''), count(*),
    COALESCE(sum(report_ms(sent_at, delivered_at)) FILTER (WHERE
    delivered_at IS NOT NULL AND sent_at IS NOT NULL), 0),
    count(*) FILTER (WHERE delivered_at IS NOT NULL AND sent_at IS NOT NULL),
    COALESCE(sum(report_ms(sent_at, read_at)) FILTER (WHERE read_at IS NOT
    NULL AND sent_at IS NOT NULL), 0),
    count(*) FILTER (WHERE read_at IS NOT NULL AND sent_at IS NOT NULL), 0, 0,
    hll_add_agg(hll_hash_text(chat_id))
FROM messages GROUP BY 1, 2, 3, 4, 5, 6, 7;

CREATE FUNCTION report_message() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	m	messages := NEW;
	hr	timestamptz := date_trunc('hour', NEW.created_at);
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO report_deltas (tenant_id, instance_id, campaign_id,
		    hour, direction, status, error_code, n, contacts)
		VALUES (m.tenant_id, m.instance_id, m.campaign_id, hr,
		    m.direction, m.status, COALESCE(m.error->>'code', ''), 1,
		    report_contact(m.chat_id));
		IF m.direction = 'in' THEN
			-- the answer to the latest outbound message of the day
			UPDATE messages SET replied_at = m.created_at
			WHERE id = (SELECT id FROM messages o WHERE
			    o.instance_id = m.instance_id AND o.chat_id =
			    m.chat_id AND o.direction = 'out' AND o.created_at <=
			    m.created_at AND o.created_at > m.created_at -
			    interval '1 day' ORDER BY o.created_at DESC LIMIT 1)
			  AND replied_at IS NULL;
		END IF;
		RETURN NULL;
	END IF;
	IF OLD.status IS DISTINCT FROM m.status THEN
		INSERT INTO report_deltas (tenant_id, instance_id, campaign_id,
		    hour, direction, status, error_code, n)
		VALUES (m.tenant_id, m.instance_id, OLD.campaign_id, hr,
		    m.direction, OLD.status, COALESCE(OLD.error->>'code', ''), -1),
		    (m.tenant_id, m.instance_id, OLD.campaign_id, hr,
		    m.direction, m.status, COALESCE(m.error->>'code', ''), 1);
	END IF;
	IF (OLD.delivered_at IS NULL AND m.delivered_at IS NOT NULL AND
	    m.sent_at IS NOT NULL) OR (OLD.read_at IS NULL AND m.read_at IS NOT
	    NULL AND m.sent_at IS NOT NULL) OR (OLD.replied_at IS NULL AND
	    m.replied_at IS NOT NULL) THEN
		INSERT INTO report_deltas (tenant_id, instance_id, campaign_id,
		    hour, direction, status, delivered_ms, delivered_n, read_ms,
		    read_n, replied)
		SELECT m.tenant_id, m.instance_id, OLD.campaign_id, hr,
		    m.direction, m.status, CASE WHEN d THEN report_ms(m.sent_at,
		    m.delivered_at) ELSE 0 END, d::int, CASE WHEN r THEN
		    report_ms(m.sent_at, m.read_at) ELSE 0 END, r::int,
		    (OLD.replied_at IS NULL AND m.replied_at IS NOT NULL)::int
		FROM (SELECT OLD.delivered_at IS NULL AND m.delivered_at IS NOT
		    NULL AND m.sent_at IS NOT NULL AS d, OLD.read_at IS NULL AND
		    m.read_at IS NOT NULL AND m.sent_at IS NOT NULL AS r) x;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER messages_report AFTER INSERT OR UPDATE OF status,
	delivered_at, read_at, replied_at ON messages
	FOR EACH ROW EXECUTE FUNCTION report_message();

CREATE FUNCTION report_smartbot() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	INSERT INTO report_deltas (tenant_id, instance_id, hour, direction,
	    status, smartbot)
	VALUES (NEW.tenant_id, NEW.instance_id, date_trunc('hour',
	    NEW.created_at), 'out', 'pending', 1);
	RETURN NULL;
END
$$;
CREATE TRIGGER smartbot_replies_report AFTER INSERT ON smartbot_replies
	FOR EACH ROW EXECUTE FUNCTION report_smartbot();

-- Moves the deltas into the rollups: the rows it folded.
CREATE FUNCTION report_fold() RETURNS bigint
LANGUAGE sql AS $$
	WITH d AS (	-- (one engine at a time: the others skip a turn)
		DELETE FROM report_deltas WHERE pg_try_advisory_xact_lock(
		    hashtext('report_fold')) RETURNING *
	), up AS (
		INSERT INTO report_hours AS h SELECT tenant_id, instance_id,
		    COALESCE(campaign_id, '00000000-0000-0000-0000-000000000000'),
		    hour, direction, status, error_code, sum(n), sum(delivered_ms),
		    sum(delivered_n), sum(read_ms), sum(read_n), sum(replied),
		    sum(smartbot), COALESCE(hll_union_agg(contacts), hll_empty())
		FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7
		ON CONFLICT (tenant_id, hour, instance_id, campaign_key, direction,
		    status, error_code) DO UPDATE SET n = h.n + EXCLUDED.n,
		    delivered_ms = h.delivered_ms + EXCLUDED.delivered_ms,
		    delivered_n = h.delivered_n + EXCLUDED.delivered_n,
		    read_ms = h.read_ms + EXCLUDED.read_ms, read_n = h.read_n +
		    EXCLUDED.read_n, replied = h.replied + EXCLUDED.replied,
		    smartbot = h.smartbot + EXCLUDED.smartbot, contacts =
		    hll_union(h.contacts, EXCLUDED.contacts)
		RETURNING 1
	)
	SELECT count(*) FROM d WHERE (SELECT count(*) FROM up) >= 0
$$;

-- The rollups and unfolded deltas of the caller's tenant in [from, to),
-- narrowed to an instance and a campaign when given: the one source of
-- every report.
CREATE FUNCTION report_rows(p_from timestamptz, p_to timestamptz,
    p_instance uuid, p_campaign uuid)
RETURNS TABLE (hour timestamptz, direction text, status text,
    error_code text, n bigint, delivered_ms bigint, delivered_n bigint,
    read_ms bigint, read_n bigint, replied bigint, smartbot bigint,
    contacts hll)
LANGUAGE sql STABLE AS $$
	SELECT hour, direction, status, error_code, n, delivered_ms,
	    delivered_n, read_ms, read_n, replied, smartbot, contacts
	FROM report_hours
	WHERE tenant_id = current_setting('waqtor.tenant_id')::uuid AND
	    hour >= date_trunc('hour', p_from) AND hour < p_to AND
	    (p_instance IS NULL OR instance_id = p_instance) AND
	    (p_campaign IS NULL OR campaign_key = p_campaign)
	UNION ALL
	SELECT hour, direction, status, error_code, n, delivered_ms,
	    delivered_n, read_ms, read_n, replied, smartbot, contacts
	FROM report_deltas
	WHERE tenant_id = current_setting('waqtor.tenant_id')::uuid AND
	    hour >= date_trunc('hour', p_from) AND hour < p_to AND
	    (p_instance IS NULL OR instance_id = p_instance) AND
	    (p_campaign IS NULL OR campaign_id = p_campaign)
$$;

CREATE TYPE report_sums AS (
	sent bigint, delivered bigint, read bigint, failed bigint,
	pending bigint, inbound bigint, replied bigint, smartbot bigint,
	delivered_ms bigint, delivered_n bigint, read_ms bigint, read_n bigint,
	contacts hll
);

-- The API's figures of summed rows (NULL: nothing).
CREATE FUNCTION report_figures(s report_sums, OUT sent bigint,
    OUT delivered bigint, OUT read bigint, OUT failed bigint,
    OUT pending bigint, OUT inbound bigint, OUT "uniqueContacts" bigint,
    OUT replied bigint, OUT "replyRate" numeric, OUT "smartbotReplies" bigint,
    OUT "avgDeliveredMs" bigint, OUT "avgReadMs" bigint)
LANGUAGE sql IMMUTABLE AS $$
	SELECT COALESCE(s.sent, 0), COALESCE(s.delivered, 0),
	    COALESCE(s.read, 0), COALESCE(s.failed, 0), COALESCE(s.pending, 0),
	    COALESCE(s.inbound, 0),
	    COALESCE(round(hll_cardinality(s.contacts))::bigint, 0),
	    COALESCE(s.replied, 0), CASE WHEN s.sent > 0 THEN
	    round(s.replied::numeric / s.sent, 4) ELSE 0 END,
	    COALESCE(s.smartbot, 0), CASE WHEN s.delivered_n > 0 THEN
	    s.delivered_ms / s.delivered_n END, CASE WHEN s.read_n > 0 THEN
	    s.read_ms / s.read_n END
$$;

-- RFC 3339 in time zone tz, with its offset then.
CREATE FUNCTION report_local(t timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT to_char(t AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS') ||
	    CASE WHEN o < interval '0' THEN '-' ELSE '+' END ||
	    to_char(abs(extract(epoch FROM o))::int / 3600, 'FM00') || ':' ||
	    to_char(abs(extract(epoch FROM o))::int % 3600 / 60, 'FM00')
	FROM (SELECT (t AT TIME ZONE tz) - (t AT TIME ZONE 'UTC') AS o) x
$$;

-- The sums of report_rows() per bucket: 'all' (one row, bucket NULL), 'hour'
-- (UTC hours), or 'day' (the days of time zone tz, each bucket its local
-- midnight).
CREATE FUNCTION report_buckets(p_from timestamptz, p_to timestamptz,
    p_instance uuid, p_campaign uuid, p_bucket text, tz text)
RETURNS TABLE (bucket timestamptz, sums report_sums)
LANGUAGE sql STABLE AS $$
	SELECT CASE p_bucket WHEN 'hour' THEN r.hour WHEN 'day' THEN
	    date_trunc('day', r.hour AT TIME ZONE tz) AT TIME ZONE tz END,
	    ROW(COALESCE(sum(r.n) FILTER (WHERE r.direction = 'out' AND
	    r.status IN ('sent', 'delivered', 'read')), 0),
	    COALESCE(sum(r.n) FILTER (WHERE r.direction = 'out' AND
	    r.status IN ('delivered', 'read')), 0),
	    COALESCE(sum(r.n) FILTER (WHERE r.direction = 'out' AND
	    r.status = 'read'), 0),
	    COALESCE(sum(r.n) FILTER (WHERE r.direction = 'out' AND
	    r.status = 'failed'), 0),
	    COALESCE(sum(r.n) FILTER (WHERE r.direction = 'out' AND
	    r.status = 'pending'), 0),
	    COALESCE(sum(r.n) FILTER (WHERE r.direction = 'in'), 0),
	    COALESCE(sum(r.replied), 0), COALESCE(sum(r.smartbot), 0),
	    COALESCE(sum(r.delivered_ms), 0), COALESCE(sum(r.delivered_n), 0),
	    COALESCE(sum(r.read_ms), 0), COALESCE(sum(r.read_n), 0),
	    hll_union_agg(r.contacts))::report_sums
	FROM report_rows(p_from, p_to, p_instance, p_campaign) r
	GROUP BY 1
$$;
