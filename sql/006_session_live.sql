-- pushd accepts a realtime token only while the dashboard session it was
-- minted from lives (logout, a password change or removing the member
-- ends it); a revoked credential's open sockets are closed by the API's
-- message on waqtor:control.
CREATE FUNCTION auth_session_live(p_session uuid, p_tenant uuid)
RETURNS TABLE (user_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT user_id FROM sessions
	WHERE id = p_session AND tenant_id = p_tenant AND expires_at > now()
$$;
REVOKE ALL ON FUNCTION auth_session_live(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_session_live(uuid, uuid) TO waqtor_app;
