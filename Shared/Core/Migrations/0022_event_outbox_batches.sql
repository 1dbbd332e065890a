-- The event outbox holds one row per transaction and organization, with all its events side by
-- side in arrays, instead of one row per event. A pull page of 1,000 records wrote 1,000 rows and
-- 2,000 index entries, and the relay rewrote every row to mark it relayed: a third of
-- PostgreSQL's time in a pull (docs/performance.md). Now one row, and one mark, per transaction.
--
-- Each event's data is its JSON text, written by the hub's own writer and sent on as text: `text`
-- skips the syntax check `json` made of every event. Large arrays are compressed with lz4, much
-- cheaper than the default pglz.
ALTER TABLE event_outbox RENAME TO event_outbox_single;
ALTER INDEX event_outbox_pending RENAME TO event_outbox_single_pending;
ALTER INDEX event_outbox_relayed RENAME TO event_outbox_single_relayed;

CREATE TABLE event_outbox (
    sequence    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      uuid        NOT NULL,
    event_ids   uuid[]      NOT NULL,
    types       text[]      NOT NULL,
    data        text[]      COMPRESSION lz4 NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    relayed_at  timestamptz,
    CHECK (cardinality(event_ids) > 0 AND cardinality(types) = cardinality(event_ids) AND cardinality(data) = cardinality(event_ids))
);

-- What the old table still held (waiting, or relayed and kept for a resend), one event a row.
INSERT INTO event_outbox (org_id, event_ids, types, data, occurred_at, relayed_at)
SELECT org_id, ARRAY[id], ARRAY[type], ARRAY[data::text], occurred_at, relayed_at FROM event_outbox_single ORDER BY sequence;
DROP TABLE event_outbox_single;

-- As in 0012: the relay reads the rows not relayed yet in order, the prune the relayed ones.
CREATE INDEX event_outbox_pending ON event_outbox (sequence) WHERE relayed_at IS NULL;
CREATE INDEX event_outbox_relayed ON event_outbox (relayed_at) WHERE relayed_at IS NOT NULL;
