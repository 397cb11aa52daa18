-- A user's own audit entries, newest first (GET /api/v1/me/activity),
-- without reading the whole tenant's log; deleting a user (which sets
-- their entries' user_id to NULL) finds them by it too.
CREATE INDEX audit_log_user_idx ON audit_log (user_id, id DESC)
	WHERE user_id IS NOT NULL;
