-- Outbound webhooks (Standard Webhooks): a tenant's endpoints. The secret
-- signs every delivery and is shown once, at creation and at rotation; a
-- rotated one still signs beside the new one until previous_until, so
-- receivers can switch without losing a delivery.

CREATE TABLE webhook_endpoints (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	url		text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
	description	text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
	events		text[] NOT NULL DEFAULT '{}',	-- empty: every event
	enabled		boolean NOT NULL DEFAULT true,
	headers		jsonb NOT NULL DEFAULT '{}',
	secret		text NOT NULL,
	previous_secret	text,
	previous_until	timestamptz,
	disabled_reason	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints (tenant_id,
	created_at);

SELECT waqtor_tenant_table('webhook_endpoints'::regclass);

-- What the API shows: never a secret, nor a custom header's value (it may
-- be the receiver's credential).
CREATE FUNCTION webhook_endpoint_json(w webhook_endpoints) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', w.id, 'url', w.url,
	    'description', w.description, 'events', to_json(w.events),
	    'enabled', w.enabled,
	    'headers', (SELECT COALESCE(json_agg(k ORDER BY k), '[]')
	        FROM jsonb_object_keys(w.headers) k),
	    'disabledReason', w.disabled_reason,
	    'previousSecretUntil', api_time(w.previous_until),
	    'createdAt', api_time(w.created_at),
	    'updatedAt', api_time(w.updated_at))
$$;
