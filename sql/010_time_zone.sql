-- The tenant's time zone (settings group "general", an IANA name, UTC by
-- default): campaigns show their schedule in it, and SmartBot's schedules
-- and {{time}}/{{date}} are read in it. Times in the API stay UTC
-- (api_time); a *Local field beside one gives the same instant with the
-- tenant's offset.

ALTER TABLE tenant_settings ADD COLUMN general jsonb NOT NULL DEFAULT '{}';

CREATE FUNCTION tenant_time_zone(tenant uuid) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT COALESCE((SELECT general->>'time_zone' FROM tenant_settings
	    WHERE tenant_id = tenant), 'UTC')
$$;

-- RFC 3339 with the offset of tz at t: 2026-12-24T09:00:00+03:00.
CREATE FUNCTION api_local_time(t timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT to_char(t AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS') ||
	    CASE WHEN o < 0 THEN '-' ELSE '+' END ||
	    to_char(abs(o) / 3600, 'FM00') || ':' ||
	    to_char(abs(o) % 3600 / 60, 'FM00')
	FROM (SELECT EXTRACT(epoch FROM (t AT TIME ZONE tz) -
	    (t AT TIME ZONE 'UTC'))::int AS o) x
	WHERE t IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION campaign_json(c campaigns) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', c.id, 'name', c.name,
	    'instanceId', c.instance_id, 'status', c.status,
	    'pauseReason', c.pause_reason, 'message', c.message,
	    'variables', c.variables, 'contactListId', c.contact_list_id,
	    'scheduleAt', api_time(c.schedule_at),
	    'scheduleAtLocal', api_local_time(c.schedule_at, tz.name),
	    'timeZone', tz.name,
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
	FROM (SELECT tenant_time_zone(c.tenant_id) AS name) tz
$$;
