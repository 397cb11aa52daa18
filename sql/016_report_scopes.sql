-- Reports that stay fast however many campaigns and error codes a tenant
-- has: report_hours keeps every key (instance, campaign, direction, status,
-- error code), so a tenant's 90 days ran to hundreds of thousands of rows
-- to sum. report_scope_hours keeps the same hours by direction and status
-- only, once for the whole tenant (scope: the nil UUID) and once per
-- instance (scope: its id): at most about 13,000 rows per scope for 90
-- days, whatever the volume. The campaign report and a campaign filter
-- still read report_hours, through its campaign index.
CREATE TABLE report_scope_hours (
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	scope		uuid NOT NULL,	-- the nil UUID: the tenant; else an instance
	hour		timestamptz NOT NULL,
	direction	text NOT NULL,
	status		text NOT NULL,
	n		bigint NOT NULL,
	delivered_ms	bigint NOT NULL,
	delivered_n	bigint NOT NULL,
	read_ms		bigint NOT NULL,
	read_n		bigint NOT NULL,
	replied		bigint NOT NULL,
	smartbot	bigint NOT NULL,
	contacts	hll NOT NULL,
	PRIMARY KEY (tenant_id, scope, hour, direction, status)
);
SELECT waqtor_tenant_table('report_scope_hours'::regclass);

INSERT INTO report_scope_hours SELECT h.tenant_id, s.scope, h.hour,
    h.direction, h.status, sum(h.n), sum(h.delivered_ms), sum(h.delivered_n),
    sum(h.read_ms), sum(h.read_n), sum(h.replied), sum(h.smartbot),
    hll_union_agg(h.contacts)
FROM report_hours h CROSS JOIN LATERAL (VALUES
    ('00000000-0000-0000-0000-000000000000'::uuid), (h.instance_id)) s(scope)
GROUP BY 1, 2, 3, 4, 5;

CREATE OR REPLACE FUNCTION report_fold() RETURNS bigint
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
	), scoped AS (
		INSERT INTO report_scope_hours AS h SELECT d.tenant_id, s.scope,
		    d.hour, d.direction, d.status, sum(d.n), sum(d.delivered_ms),
		    sum(d.delivered_n), sum(d.read_ms), sum(d.read_n),
		    sum(d.replied), sum(d.smartbot),
		    COALESCE(hll_union_agg(d.contacts), hll_empty())
		FROM d CROSS JOIN LATERAL (VALUES
		    ('00000000-0000-0000-0000-000000000000'::uuid),
		    (d.instance_id)) s(scope)
		GROUP BY 1, 2, 3, 4, 5
		ON CONFLICT (tenant_id, scope, hour, direction, status) DO UPDATE
		    SET n = h.n + EXCLUDED.n,
		    delivered_ms = h.delivered_ms + EXCLUDED.delivered_ms,
		    delivered_n = h.delivered_n + EXCLUDED.delivered_n,
		    read_ms = h.read_ms + EXCLUDED.read_ms, read_n = h.read_n +
		    EXCLUDED.read_n, replied = h.replied + EXCLUDED.replied,
		    smartbot = h.smartbot + EXCLUDED.smartbot, contacts =
		    hll_union(h.contacts, EXCLUDED.contacts)
		RETURNING 1
	)
	SELECT count(*) FROM d WHERE (SELECT count(*) FROM up) >= 0 AND
	    (SELECT count(*) FROM scoped) >= 0
$$;

-- The rollups and unfolded deltas of the caller's tenant in [from, to),
-- narrowed to an instance and a campaign when given: the one source of
-- every report. Without a campaign the scoped rollups serve (they know no
-- error code: '').
CREATE OR REPLACE FUNCTION report_rows(p_from timestamptz, p_to timestamptz,
    p_instance uuid, p_campaign uuid)
RETURNS TABLE (hour timestamptz, direction text, status text,
    error_code text, n bigint, delivered_ms bigint, delivered_n bigint,
    read_ms bigint, read_n bigint, replied bigint, smartbot bigint,
    contacts hll)
LANGUAGE sql STABLE AS $$
	SELECT hour, direction, status, '', n, delivered_ms, delivered_n,
	    read_ms, read_n, replied, smartbot, contacts
	FROM report_scope_hours
	WHERE p_campaign IS NULL AND
	    tenant_id = current_setting('waqtor.tenant_id')::uuid AND
	    scope = COALESCE(p_instance,
	        '00000000-0000-0000-0000-000000000000') AND
	    hour >= date_trunc('hour', p_from) AND hour < p_to
	UNION ALL
	SELECT hour, direction, status, error_code, n, delivered_ms,
	    delivered_n, read_ms, read_n, replied, smartbot, contacts
	FROM report_hours
	WHERE p_campaign IS NOT NULL AND
	    tenant_id = current_setting('waqtor.tenant_id')::uuid AND
	    campaign_key = p_campaign AND
	    hour >= date_trunc('hour', p_from) AND hour < p_to AND
	    (p_instance IS NULL OR instance_id = p_instance)
	UNION ALL
	SELECT hour, direction, status, error_code, n, delivered_ms,
	    delivered_n, read_ms, read_n, replied, smartbot, contacts
	FROM report_deltas
	WHERE tenant_id = current_setting('waqtor.tenant_id')::uuid AND
	    hour >= date_trunc('hour', p_from) AND hour < p_to AND
	    (p_instance IS NULL OR instance_id = p_instance) AND
	    (p_campaign IS NULL OR campaign_id = p_campaign)
$$;
