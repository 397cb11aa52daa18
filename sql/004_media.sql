-- Files uploaded with send-media, kept so the provider can fetch them: the
-- Cloud API takes a public link, so each file has an unguessable token and
-- is served at /api/v1/media/{token} without credentials.
CREATE TABLE media (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	token		text NOT NULL UNIQUE,
	content_type	text NOT NULL,
	filename	text,
	size		int NOT NULL,
	data		bytea NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
SELECT waqtor_tenant_table('media');

-- The file behind a token, for the provider's anonymous fetch.
CREATE FUNCTION media_by_token(p_token text)
RETURNS TABLE (content_type text, filename text, data_b64 text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT content_type, filename, encode(data, 'base64') FROM media
	WHERE token = p_token
$$;
REVOKE ALL ON FUNCTION media_by_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION media_by_token(text) TO waqtor_app;
