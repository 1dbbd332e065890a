-- A job held back by a provider's rate limit says so while it waits: how many waits, how long
-- in all, and until when the current one lasts (sync-worker writes them; the API shows them).
ALTER TABLE sync_jobs
    ADD COLUMN IF NOT EXISTS rate_limit_waits integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS rate_limited_ms bigint NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS rate_limited_until timestamptz;
