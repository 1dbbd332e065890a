-- A record's canonical fields are written by the hub's own JSON writer and read back whole, like
-- its payload (0007): nothing queries inside them. As `jsonb` every pulled record's fields were
-- parsed and rebuilt on write (about a sixth of the upsert's time, docs/performance.md); as `json`
-- the text is only checked. The few local writes that merge fields into a record cast to `jsonb`
-- for `||` themselves. The change rewrites the table once: on a large store, apply it when a
-- pause of the record writes is acceptable.
ALTER TABLE sync_records
    ALTER COLUMN canonical TYPE json USING canonical::json,
    ALTER COLUMN canonical SET DEFAULT '{}'::json;
