-- Finished jobs in the order they were created, for the retention pass (SyncJobRetention): it reads
-- the oldest past the retention without scanning the jobs still inside it.
CREATE INDEX IF NOT EXISTS sync_jobs_finished_created ON sync_jobs (created_at)
    WHERE status IN ('completed', 'failed', 'cancelled');
