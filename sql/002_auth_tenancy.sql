-- Sessions, invitations, access codes, settings, the audit log; and tenant
-- isolation in depth: row-level security on every tenant table, applied to
-- the role waqtor_app that the daemons SET ROLE to and that owns nothing.
-- The tenant of a transaction is set with
--   SELECT set_config('waqtor.tenant_id', '<uuid>', true)
-- Lookups that must happen before the tenant is known (login by e-mail, an
-- API key by prefix, a session by token) go through the SECURITY DEFINER
-- functions auth_* below, and return only what authentication needs.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'waqtor_app') THEN
		CREATE ROLE waqtor_app NOLOGIN;
	END IF;
END
$$;
GRANT waqtor_app TO CURRENT_USER;

CREATE TABLE sessions (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	user_id		uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash	bytea NOT NULL UNIQUE,
	expires_at	timestamptz NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE invitations (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	email		text NOT NULL,
	role		text NOT NULL CHECK (role IN ('admin', 'member')),
	token_hash	bytea NOT NULL UNIQUE,
	invited_by	uuid REFERENCES users(id) ON DELETE SET NULL,
	expires_at	timestamptz NOT NULL,
	accepted_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_tenant_idx ON invitations (tenant_id);

-- Operator-made codes that put a tenant on a plan: not tenant data.
CREATE TABLE access_codes (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	code_hash	bytea NOT NULL UNIQUE,
	plan		text NOT NULL CHECK (plan IN ('pro', 'business')),
	days		int NOT NULL CHECK (days BETWEEN 1 AND 3650),
	uses_left	int NOT NULL CHECK (uses_left >= 0),
	expires_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_settings (
	tenant_id	uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
	settings	jsonb NOT NULL DEFAULT '{}',
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_settings (
	user_id		uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	settings	jsonb NOT NULL DEFAULT '{}',
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE avatars (
	user_id		uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	content_type	text NOT NULL,
	data		bytea NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	user_id		uuid REFERENCES users(id) ON DELETE SET NULL,
	api_key_id	uuid REFERENCES api_keys(id) ON DELETE SET NULL,
	action		text NOT NULL,
	ip		text,
	details		jsonb NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id DESC);

ALTER TABLE users ADD COLUMN avatar_updated_at timestamptz;

-- Row-level security: a row is visible and writable only inside its tenant.
-- Every tenant table, in this migration and later ones, is made so by this.
CREATE FUNCTION waqtor_tenant_table(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
	EXECUTE format('CREATE POLICY tenant_isolation ON %s TO waqtor_app '
	    'USING (tenant_id = NULLIF(current_setting(''waqtor.tenant_id'', true), '''')::uuid) '
	    'WITH CHECK (tenant_id = NULLIF(current_setting(''waqtor.tenant_id'', true), '''')::uuid)', t);
	EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO waqtor_app', t);
END
$$;
SELECT waqtor_tenant_table(t::regclass) FROM unnest(ARRAY['users', 'api_keys',
	'instances', 'messages', 'sessions', 'invitations', 'tenant_settings',
	'user_settings', 'avatars', 'audit_log']) AS t;
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants TO waqtor_app
	USING (id = NULLIF(current_setting('waqtor.tenant_id', true), '')::uuid)
	WITH CHECK (id = NULLIF(current_setting('waqtor.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO waqtor_app;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO waqtor_app;
-- access_codes: no grant; tenants reach it only through redeem_access_code().

-- ---------------------------------------------------------------- auth ----
-- The user with this e-mail (any tenant), for password login.
CREATE FUNCTION auth_user_by_email(p_email text)
RETURNS TABLE (user_id uuid, tenant_id uuid, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT id, tenant_id, password_hash FROM users WHERE lower(email) = lower(p_email)
$$;

-- A tenant's plan is active when it is not free and has not expired.
CREATE FUNCTION plan_active(p_plan text, p_expires timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT p_plan <> 'free' AND (p_expires IS NULL OR p_expires > now())
$$;

-- The live session with this token hash, with what a request needs.
CREATE FUNCTION auth_session(p_hash bytea)
RETURNS TABLE (session_id uuid, user_id uuid, tenant_id uuid, role text,
	plan text, plan_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT s.id, s.user_id, s.tenant_id, u.role, t.plan,
	       plan_active(t.plan, t.plan_expires_at)
	FROM sessions s JOIN users u ON u.id = s.user_id
	     JOIN tenants t ON t.id = s.tenant_id
	WHERE s.token_hash = p_hash AND s.expires_at > now()
$$;

-- The live API key with this prefix and hash; notes its use (at most once a
-- minute, so a busy key does not write on every request).
CREATE FUNCTION auth_api_key(p_prefix text, p_hash bytea)
RETURNS TABLE (key_id uuid, tenant_id uuid, plan text, plan_active boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	UPDATE api_keys k SET last_used_at = now()
	WHERE k.prefix = p_prefix AND k.key_hash = p_hash AND k.revoked_at IS NULL
	  AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute');
	RETURN QUERY
	SELECT k.id, k.tenant_id, t.plan, plan_active(t.plan, t.plan_expires_at)
	FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
	WHERE k.prefix = p_prefix AND k.key_hash = p_hash AND k.revoked_at IS NULL;
END
$$;

-- The pending invitation with this token hash, for accepting it.
CREATE FUNCTION auth_invitation(p_hash bytea)
RETURNS TABLE (invitation_id uuid, tenant_id uuid, email text, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT id, tenant_id, email, role FROM invitations
	WHERE token_hash = p_hash AND accepted_at IS NULL AND expires_at > now()
$$;

-- Spends one use of a live access code; its plan and days, or no row.
CREATE FUNCTION redeem_access_code(p_hash bytea)
RETURNS TABLE (plan text, days int)
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
	UPDATE access_codes SET uses_left = uses_left - 1
	WHERE code_hash = p_hash AND uses_left > 0
	  AND (expires_at IS NULL OR expires_at > now())
	RETURNING plan, days
$$;

REVOKE ALL ON FUNCTION auth_user_by_email(text), auth_session(bytea),
	auth_api_key(text, bytea), auth_invitation(bytea),
	redeem_access_code(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_user_by_email(text), auth_session(bytea),
	auth_api_key(text, bytea), auth_invitation(bytea),
	redeem_access_code(bytea) TO waqtor_app;
