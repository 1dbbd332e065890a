-- Write speed of the record store and the event outbox (a full pull writes every record and,
-- for each record it creates or changes, one event).
--
-- The provider's payload and an event's data are written once, by the hub's own JSON writer, and
-- read back only whole (as text): nothing queries inside them. `jsonb` parsed and rebuilt every
-- one on write (a fifth of PostgreSQL's time in a pull); `json` only checks the syntax and keeps
-- the text as written, which is also the text the content hash was taken of. `canonical` stays
-- `jsonb`: local writes merge into it with `||`.
ALTER TABLE sync_records ALTER COLUMN payload TYPE json USING payload::json;

ALTER TABLE event_outbox ALTER COLUMN data TYPE json USING data::json;
