-- The tenant's logo, uploaded by an admin as a user uploads an avatar
-- (fcgi/image.c: PNG, JPEG, GIF or WebP, typed from its bytes) and served
-- to the tenant's members at /api/v1/settings/logo. The branding's
-- app_logo points there while it exists, with ?v=<updated_at in epoch
-- seconds> so that each upload is a new URL to browsers' caches.
CREATE TABLE tenant_logos (
	tenant_id	uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
	content_type	text NOT NULL,
	data		bytea NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
SELECT waqtor_tenant_table('tenant_logos'::regclass);
