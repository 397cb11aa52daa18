-- SmartBot: a tenant's auto-reply rules, in priority order (first match
-- wins), and one row per inbound message the bot answered, which makes a
-- reply idempotent (a redelivered message is never answered twice) and
-- holds what cooldowns and the per-chat cap count. The engine caches the
-- compiled rules of each tenant; NOTIFY waqtor_smartbot (the tenant's id)
-- tells it a tenant's rules changed.

CREATE TABLE smartbot_rules (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	match		text NOT NULL CHECK (match IN ('exact', 'contains',
			    'starts_with', 'ends_with', 'word', 'regex', 'fuzzy',
			    'fallback')),
	keywords	text[] NOT NULL DEFAULT '{}',
	pattern		text,
	normalize	boolean NOT NULL DEFAULT true,
	threshold	real NOT NULL DEFAULT 0.8 CHECK (threshold >= 0.01 AND
			    threshold <= 1),
	priority	int NOT NULL,
	replies		jsonb NOT NULL,
	instance_ids	uuid[],		-- NULL: every instance
	enabled		boolean NOT NULL DEFAULT true,
	schedule	jsonb,		-- NULL: always
	cooldown_seconds int NOT NULL DEFAULT 0 CHECK (cooldown_seconds
			    BETWEEN 0 AND 604800),
	typing_delay_ms	int NOT NULL DEFAULT 0 CHECK (typing_delay_ms BETWEEN 0
			    AND 30000),
	allow_groups	boolean NOT NULL DEFAULT false,
	hits		bigint NOT NULL DEFAULT 0,
	last_hit_at	timestamptz,
	error		text,		-- why its last match failed (a regex's limit)
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX smartbot_rules_order_idx ON smartbot_rules (tenant_id, priority, id);

CREATE TABLE smartbot_replies (
	inbound_id	uuid PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	instance_id	uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
	chat_id		text NOT NULL,
	rule_id		uuid REFERENCES smartbot_rules(id) ON DELETE SET NULL,
	reply_id	uuid REFERENCES messages(id) ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX smartbot_replies_chat_idx ON smartbot_replies (instance_id,
	chat_id, created_at);

SELECT waqtor_tenant_table(t::regclass) FROM unnest(ARRAY['smartbot_rules',
	'smartbot_replies']) AS t;

-- the tenant's SmartBot settings (settings group "smartbot")
ALTER TABLE tenant_settings ADD COLUMN smartbot jsonb NOT NULL DEFAULT '{}';

CREATE FUNCTION smartbot_rule_json(s smartbot_rules) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', s.id, 'name', s.name, 'match', s.match,
	    'keywords', to_json(s.keywords), 'pattern', s.pattern,
	    'normalize', s.normalize, 'threshold', s.threshold::numeric(4,3),
	    'priority', s.priority, 'replies', s.replies,
	    'instanceIds', to_json(s.instance_ids), 'enabled', s.enabled,
	    'schedule', s.schedule, 'cooldownSeconds', s.cooldown_seconds,
	    'typingDelayMs', s.typing_delay_ms, 'allowGroups', s.allow_groups,
	    'hits', s.hits, 'lastHitAt', api_time(s.last_hit_at),
	    'error', s.error, 'createdAt', api_time(s.created_at),
	    'updatedAt', api_time(s.updated_at))
$$;
