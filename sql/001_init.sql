-- Initial schema: tenants, users, API keys, instances, messages.
-- Every tenant-owned row carries tenant_id; later migrations add row-level
-- security on top of the API's own scoping.

CREATE TABLE tenants (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	plan		text NOT NULL DEFAULT 'free',
	plan_expires_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	email		text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	password_hash	text NOT NULL,
	role		text NOT NULL DEFAULT 'member'
			CHECK (role IN ('owner', 'admin', 'member')),
	phone		text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
-- Login is by e-mail alone, so an address belongs to one user platform-wide.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_tenant_idx ON users (tenant_id);

CREATE TABLE api_keys (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	prefix		text NOT NULL UNIQUE,
	key_hash	bytea NOT NULL,
	created_by	uuid REFERENCES users(id) ON DELETE SET NULL,
	last_used_at	timestamptz,
	revoked_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

CREATE TABLE instances (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	provider	text NOT NULL CHECK (provider IN ('sandbox', 'cloud')),
	config		jsonb NOT NULL DEFAULT '{}',
	status		text NOT NULL DEFAULT 'disconnected'
			CHECK (status IN ('connecting', 'qr', 'ready',
			    'disconnected', 'auth_failure')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (tenant_id, name)
);

CREATE TABLE messages (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	instance_id	uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
	direction	text NOT NULL CHECK (direction IN ('out', 'in')),
	chat_id		text NOT NULL,
	type		text NOT NULL,
	content		jsonb NOT NULL DEFAULT '{}',
	status		text NOT NULL DEFAULT 'pending'
			CHECK (status IN ('pending', 'sent', 'delivered', 'read',
			    'failed', 'received')),
	provider_id	text,
	error		jsonb,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_tenant_time_idx ON messages (tenant_id, created_at DESC, id);
CREATE INDEX messages_chat_idx ON messages (instance_id, chat_id, created_at DESC);
-- The outbox: pending outbound messages, claimed in batches per instance.
CREATE INDEX messages_outbox_idx ON messages (instance_id, created_at)
	WHERE status = 'pending' AND direction = 'out';
CREATE UNIQUE INDEX messages_provider_id_key ON messages (instance_id, provider_id)
	WHERE provider_id IS NOT NULL;
