-- Uploaded media are kept WAQTOR_MEDIA_RETENTION_DAYS, then deleted in bulk
-- by the engine (engine/retention.c), found through this index.
CREATE INDEX media_created_idx ON media (created_at);
