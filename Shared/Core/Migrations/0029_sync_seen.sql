-- The records a full resync has seen so far, kept apart from the records themselves. Marking
-- each stored row (sync_records.seen_job) rewrote every row, changed or not, which made a resync
-- of unchanged records cost PostgreSQL about five times a first import. The resync's sweep reads
-- these to find what the provider no longer lists, then deletes them, with any left by the
-- resyncs of the same connection and entity that ended without a sweep.
-- external_id is in the "C" collation, as in sync_records: with another one, the key could not
-- serve a comparison between the two (the sweep scanned sync_seen once per record).
CREATE TABLE sync_seen (
    job_id      uuid NOT NULL,
    external_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (job_id, external_id)
);
