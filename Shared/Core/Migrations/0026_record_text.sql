-- A record's payload and canonical fields are JSON written by the hub's own writer (or PostgreSQL's
-- own `jsonb` output, for local writes) and read back whole; nothing queries inside them. As
-- `json` every written record was checked twice by PostgreSQL's JSON lexer, about a sixth of the
-- pull's upsert (docs/performance.md). As `text` they are stored as written; the readers parse them
-- as JSON, so a record still reads as JSON or fails loudly. The change rewrites the table once: on a
-- large store, apply it when a pause of the record writes is acceptable.
ALTER TABLE sync_records
    ALTER COLUMN payload TYPE text,
    ALTER COLUMN canonical TYPE text,
    ALTER COLUMN canonical SET DEFAULT '{}';

-- The outbox's id and type arrays of a pull's 1,000 events (16 and 20 KB) were compressed with
-- the default pglz, which cost more than the data array's lz4 (0022). Applies to new rows.
ALTER TABLE event_outbox
    ALTER COLUMN event_ids SET COMPRESSION lz4,
    ALTER COLUMN types SET COMPRESSION lz4;
