-- The notification center: each user's inbox of what happened to the
-- tenant. The engine and the API say what happened as a tenant-wide
-- notification.new event naming its kind and cause ({"kind", "cause",
-- "title", "message", "link", ...}); waqtor_emit() turns it, in the same
-- transaction, into one notification per member whose role may see the
-- kind and who did not mute it, each one its own notification.new event
-- carrying the notification (and its userId: pushd gives a user's
-- notifications to that user's sockets only). The same kind and cause
-- makes notifications at most once per the kind's debounce period.

-- Who hears of what, and how it looks: the one table of notification kinds.
CREATE TABLE notification_kinds (
	kind		text PRIMARY KEY,
	type		text NOT NULL
			CHECK (type IN ('info', 'success', 'warning', 'error')),
	icon		text NOT NULL,		-- a PrimeIcons class
	least_role	text NOT NULL CHECK (least_role IN ('member', 'admin', 'owner')),
	debounce	interval NOT NULL,	-- the same cause at most once per
	title		text NOT NULL		-- unless the emitter gives one
);
INSERT INTO notification_kinds VALUES
	('campaign.completed', 'success', 'pi pi-check-circle', 'member', '1 hour', 'Campaign completed'),
	('campaign.failed', 'error', 'pi pi-times-circle', 'member', '1 hour', 'Campaign failed'),
	('campaign.paused', 'warning', 'pi pi-pause-circle', 'member', '1 hour', 'Campaign paused'),
	('campaign.daily_cap', 'warning', 'pi pi-clock', 'member', '12 hours', 'Daily campaign limit reached'),
	('instance.disconnected', 'warning', 'pi pi-wifi', 'member', '1 hour', 'WhatsApp disconnected'),
	('instance.auth_failure', 'error', 'pi pi-lock', 'member', '1 hour', 'WhatsApp login failed'),
	('message.refused', 'warning', 'pi pi-ban', 'member', '1 hour', 'Message refused'),
	('webhook.delivery.failed', 'warning', 'pi pi-exclamation-triangle', 'admin', '1 hour', 'Webhook deliveries failed'),
	('webhook.endpoint.disabled', 'error', 'pi pi-times-circle', 'admin', '1 hour', 'Webhook endpoint disabled'),
	('subscription.expiring', 'warning', 'pi pi-calendar', 'owner', '30 days', 'Subscription expiring'),
	('subscription.expired', 'error', 'pi pi-calendar-times', 'owner', '30 days', 'Subscription expired'),
	('quota.reached', 'warning', 'pi pi-chart-bar', 'admin', '1 day', 'Plan limit reached');
GRANT SELECT ON notification_kinds TO waqtor_app;

CREATE FUNCTION role_rank(role text) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE role WHEN 'member' THEN 1 WHEN 'admin' THEN 2
	    WHEN 'owner' THEN 3 ELSE 0 END
$$;

CREATE TABLE notifications (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	user_id		uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind		text NOT NULL REFERENCES notification_kinds(kind),
	title		text NOT NULL,
	message		text NOT NULL,
	link		text,
	data		jsonb NOT NULL DEFAULT '{}',
	read_at		timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_age_idx ON notifications (created_at);

-- When a cause last made notifications (the debounce).
CREATE TABLE notification_causes (
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	cause		text NOT NULL,
	last_at		timestamptz NOT NULL,
	PRIMARY KEY (tenant_id, cause)
);

-- The kinds a user does not want.
ALTER TABLE users ADD COLUMN notifications_muted text[] NOT NULL DEFAULT '{}';

SELECT waqtor_tenant_table(t::regclass) FROM unnest(ARRAY['notifications',
	'notification_causes']) AS t;

-- The seed's Notification, with the kind and what it is about (data).
CREATE FUNCTION notification_json(n notifications) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', n.id, 'userId', n.user_id, 'kind', n.kind,
	    'type', k.type, 'title', n.title, 'message', n.message, 'icon',
	    k.icon, 'link', n.link, 'read', n.read_at IS NOT NULL, 'readAt',
	    api_time(n.read_at), 'createdAt', api_time(n.created_at), 'data',
	    n.data)
	FROM notification_kinds k WHERE k.kind = n.kind
$$;

-- The events of evs, in order, each tenant-wide notification.new replaced
-- by the users' notifications it makes (none when debounced or when no one
-- is to hear it).
CREATE FUNCTION notifications_expand(evs json) RETURNS SETOF json
LANGUAGE plpgsql AS $$
DECLARE
	v	json;
	d	jsonb;
	k	notification_kinds;
	n	notifications;
	tenant	uuid;
BEGIN
	FOR v IN SELECT j FROM json_array_elements(evs) WITH ORDINALITY AS a(j, i)
	    ORDER BY i LOOP
		d := v->'data';
		IF v->>'type' IS DISTINCT FROM 'notification.new' OR
		    d ? 'userId' THEN
			RETURN NEXT v;
			CONTINUE;
		END IF;
		SELECT * INTO k FROM notification_kinds WHERE kind = d->>'kind';
		IF NOT FOUND THEN
			RAISE WARNING 'notification of unknown kind % dropped',
			    d->>'kind';
			CONTINUE;
		END IF;
		tenant := (v->>'tenantId')::uuid;
		INSERT INTO notification_causes AS c (tenant_id, cause, last_at)
		VALUES (tenant, k.kind || ':' || COALESCE(d->>'cause', ''), now())
		ON CONFLICT (tenant_id, cause) DO UPDATE SET last_at = now()
		    WHERE c.last_at <= now() - k.debounce;
		CONTINUE WHEN NOT FOUND;	-- said within the period
		FOR n IN INSERT INTO notifications (tenant_id, user_id, kind,
		    title, message, link, data)
		    SELECT tenant, u.id, k.kind, COALESCE(d->>'title', k.title),
		    COALESCE(d->>'message', ''), d->>'link', d - ARRAY['kind',
		    'cause', 'title', 'message', 'link']
		    FROM users u WHERE u.tenant_id = tenant AND
		    role_rank(u.role) >= role_rank(k.least_role) AND
		    NOT k.kind = ANY (u.notifications_muted)
		    ORDER BY u.created_at, u.id
		    RETURNING * LOOP
			RETURN NEXT json_build_object('type', 'notification.new',
			    'tenantId', tenant, 'instanceId', v->>'instanceId',
			    'data', notification_json(n));
		END LOOP;
	END LOOP;
END
$$;

-- waqtor_emit() (sql/013_events.sql) with notifications expanded first
-- (a batch without any, the outbox's thousands of message.sent, as it is).
ALTER FUNCTION waqtor_emit(json) RENAME TO waqtor_emit_events;
CREATE FUNCTION waqtor_emit(evs json)
RETURNS TABLE (type text, tenant_id uuid, envelope text)
LANGUAGE sql AS $$
	SELECT * FROM waqtor_emit_events(CASE WHEN EXISTS (SELECT 1 FROM
	    json_array_elements(evs) v WHERE v->>'type' = 'notification.new')
	    THEN (SELECT COALESCE(json_agg(x ORDER BY i), '[]') FROM
	    notifications_expand(evs) WITH ORDINALITY AS e(x, i)) ELSE evs END)
$$;
