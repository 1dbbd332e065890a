-- A pulled record may be stored as the provider wrote it (a Stripe listing's text) or as the hub
-- writes JSON (webhooks, single fetches, other connectors); the flag says which. Hashes of two
-- writings of one object differ, so only then are the payloads compared as JSON.
ALTER TABLE sync_records ADD COLUMN payload_is_providers boolean NOT NULL DEFAULT false;

-- Whether two payload texts hold the same JSON. Text `jsonb` refuses (a \u0000, a number out of
-- its range, text that is not JSON) and a missing payload count as different, as the hashes do.
CREATE FUNCTION hub_same_json(a text, b text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN coalesce(a::jsonb = b::jsonb, false);
EXCEPTION WHEN others THEN
    RETURN false;
END
$$;
