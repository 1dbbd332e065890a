-- Write speed of the record store's keys (docs/performance.md). A pull upserts every record by
-- (connection_id, entity, external_id).
--
-- The foreign key to connections ran a lookup per inserted row (a sixth of the upsert's time).
-- Connections are never deleted (disconnecting keeps the row), and every writer takes the
-- connection id from a row it read; deleting a connection that still has records is refused
-- below instead, once per deleted connection rather than once per written record.
ALTER TABLE sync_records DROP CONSTRAINT IF EXISTS sync_records_connection_id_fkey;

CREATE OR REPLACE FUNCTION hub_connection_keeps_records() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM sync_records WHERE connection_id = OLD.id) THEN
        RAISE EXCEPTION 'connection % still has synced records', OLD.id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END
$$;

DROP TRIGGER IF EXISTS connections_keep_records ON connections;
CREATE TRIGGER connections_keep_records BEFORE DELETE ON connections
    FOR EACH ROW EXECUTE FUNCTION hub_connection_keeps_records();

-- Entity names and provider ids are identifiers, compared byte for byte: the database's default
-- collation (C.UTF-8 or a language's) sent every key comparison of the unique and listing indexes
-- through strcoll. Rebuilds the two indexes once.
ALTER TABLE sync_records
    ALTER COLUMN entity TYPE text COLLATE "C",
    ALTER COLUMN external_id TYPE text COLLATE "C";
