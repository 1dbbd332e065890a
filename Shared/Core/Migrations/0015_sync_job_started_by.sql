-- Who started a job: the token's subject for a trigger through the API; null for the
-- scheduler and provider webhooks (the trigger says which).
ALTER TABLE sync_jobs ADD COLUMN IF NOT EXISTS started_by text;
