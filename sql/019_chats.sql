-- The chat list: one row per (instance, chat), kept by triggers on messages
-- in the same transaction as the message, so GET /chats reads a page of it
-- by an index (newest first, keyset cursor) instead of grouping every
-- message of the tenant. last_*: the chat's latest message by created_at
-- (a transaction's start: one that commits late does not displace a later
-- message); unread: its received messages not yet marked read by us;
-- name: the latest contact name a received message carried.
CREATE TABLE chats (
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	instance_id	uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
	chat_id		text NOT NULL,
	last_id		uuid NOT NULL,
	last_at		timestamptz NOT NULL,
	unread		int NOT NULL DEFAULT 0 CHECK (unread >= 0),
	name		text,
	name_at		timestamptz,
	PRIMARY KEY (instance_id, chat_id)
);
CREATE INDEX chats_tenant_recent_idx
	ON chats (tenant_id, last_at DESC, instance_id DESC, chat_id DESC);
-- (written only by the triggers below, which run as the owner)
SELECT waqtor_tenant_rls('chats'::regclass);
GRANT SELECT ON chats TO waqtor_app;

CREATE FUNCTION chat_message() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO chats AS c (tenant_id, instance_id, chat_id, last_id,
		    last_at, unread, name, name_at)
		VALUES (NEW.tenant_id, NEW.instance_id, NEW.chat_id, NEW.id,
		    NEW.created_at, (NEW.direction = 'in' AND NOT NEW.read_by_us)::int,
		    NEW.contact_name, CASE WHEN NEW.contact_name IS NOT NULL
		    THEN NEW.created_at END)
		ON CONFLICT (instance_id, chat_id) DO UPDATE SET
		    last_id = CASE WHEN EXCLUDED.last_at >= c.last_at
			THEN EXCLUDED.last_id ELSE c.last_id END,
		    last_at = greatest(c.last_at, EXCLUDED.last_at),
		    unread = c.unread + EXCLUDED.unread,
		    name = CASE WHEN EXCLUDED.name_at >= coalesce(c.name_at,
			'-infinity') THEN EXCLUDED.name ELSE c.name END,
		    name_at = greatest(c.name_at, EXCLUDED.name_at);
	ELSE	-- a received message marked read (the trigger's WHEN)
		UPDATE chats SET unread = unread - 1
		WHERE instance_id = NEW.instance_id AND chat_id = NEW.chat_id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER messages_chat AFTER INSERT ON messages
	FOR EACH ROW EXECUTE FUNCTION chat_message();
CREATE TRIGGER messages_chat_read AFTER UPDATE OF read_by_us ON messages
	FOR EACH ROW WHEN (NEW.direction = 'in' AND NEW.read_by_us AND
	    NOT OLD.read_by_us)
	EXECUTE FUNCTION chat_message();

-- the chats of the messages there already are
INSERT INTO chats (tenant_id, instance_id, chat_id, last_id, last_at, unread,
    name, name_at)
SELECT l.tenant_id, l.instance_id, l.chat_id, l.id, l.created_at,
    (SELECT count(*) FROM messages u WHERE u.instance_id = l.instance_id AND
	u.chat_id = l.chat_id AND u.direction = 'in' AND NOT u.read_by_us),
    n.contact_name, n.created_at
FROM (SELECT DISTINCT ON (instance_id, chat_id) tenant_id, instance_id,
	chat_id, id, created_at FROM messages
	ORDER BY instance_id, chat_id, created_at DESC) l
LEFT JOIN LATERAL (SELECT contact_name, created_at FROM messages n WHERE
	n.instance_id = l.instance_id AND n.chat_id = l.chat_id AND
	n.contact_name IS NOT NULL ORDER BY n.created_at DESC LIMIT 1) n ON true;
