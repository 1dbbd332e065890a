-- A local change of a record lays its fields over the stored ones object by object: PATCH
-- {"address":{"postal_code":"T23"}} changes the postal code and keeps the street, as JSON Merge
-- Patch (RFC 7396) does, except that a null is kept as the field's value (cleared), as at the top
-- level. Arrays and other values are replaced whole. `||` merged the top level only, so the rest of
-- the address was lost, in the store and at the provider by the next push.
CREATE OR REPLACE FUNCTION hub_merge_fields(target jsonb, patch jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF jsonb_typeof(target) IS DISTINCT FROM 'object' OR jsonb_typeof(patch) IS DISTINCT FROM 'object' THEN
        RETURN patch;
    END IF;
    RETURN target || coalesce(
        (SELECT jsonb_object_agg(p.key, hub_merge_fields(target -> p.key, p.value)) FROM jsonb_each(patch) AS p),
        '{}'::jsonb
    );
END
$$;
