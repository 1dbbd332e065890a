import Foundation
import PostgresNIO

/// The two statements of `DeliveryQueue.record`, prepared once per connection: every batch of
/// attempt results sends both. Arrays carry no NULL elements: 0, -1 and "" stand for "none".

/// Each delivery's new state, only where the claim is still the one that made the attempt.
struct DeliveryStateUpdate: PostgresPreparedStatement {
    static let name = "hub_webhook_delivery_states_v1"
    typealias Row = ()
    static let bindingDataTypes: [PostgresDataType] = [.uuidArray, .uuidArray, .textArray, .float8Array, .int8Array, .textArray]
    static let sql = """
        UPDATE webhook_deliveries d SET
            status = r.status,
            next_attempt_at = CASE WHEN r.delay < 0 THEN d.next_attempt_at ELSE now() + make_interval(secs => r.delay) END,
            claim_token = NULL, last_status_code = nullif(r.code, 0), last_error = nullif(r.error, ''),
            delivered_at = CASE WHEN r.status = 'delivered' THEN now() ELSE d.delivered_at END,
            failed_at = CASE WHEN r.status = 'failed' THEN now() ELSE NULL END
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::float8[], $5::int[], $6::text[]) AS r (id, token, status, delay, code, error)
        WHERE d.id = r.id AND d.claim_token = r.token
        """

    var ids: [UUID]
    var tokens: [UUID]
    var statuses: [String]
    var delays: [Double]
    var codes: [Int]
    var errors: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: Self.bindingDataTypes.count)
        bindings.append(ids)
        bindings.append(tokens)
        bindings.append(statuses)
        bindings.append(delays)
        bindings.append(codes)
        bindings.append(errors)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// Every attempt, once (a result written again after a lost answer adds nothing).
struct AttemptInsert: PostgresPreparedStatement {
    static let name = "hub_webhook_attempts_v1"
    typealias Row = ()
    static let bindingDataTypes: [PostgresDataType] = [
        .uuidArray, .int8Array, .uuidArray, .timestamptzArray, .int8Array, .int8Array, .textArray, .textArray, .textArray, .textArray,
    ]
    static let sql = """
        INSERT INTO webhook_attempts (delivery_id, attempt, org_id, attempted_at, status_code, latency_ms, response_body, error,
            request_headers, response_headers)
        SELECT a.id, a.attempt, a.org, a.at, nullif(a.code, 0), a.latency, nullif(a.body, ''), nullif(a.error, ''),
            nullif(a.sent, '')::jsonb, nullif(a.received, '')::jsonb
        FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::timestamptz[], $5::int[], $6::int[], $7::text[], $8::text[], $9::text[],
            $10::text[]) AS a (id, attempt, org, at, code, latency, body, error, sent, received)
        ON CONFLICT DO NOTHING
        """

    var ids: [UUID]
    var attempts: [Int]
    var orgs: [UUID]
    var times: [Date]
    var codes: [Int]
    var latencies: [Int]
    var bodies: [String]
    var errors: [String]
    var sentHeaders: [String]
    var receivedHeaders: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: Self.bindingDataTypes.count)
        bindings.append(ids)
        bindings.append(attempts)
        bindings.append(orgs)
        bindings.append(times)
        bindings.append(codes)
        bindings.append(latencies)
        bindings.append(bodies)
        bindings.append(errors)
        bindings.append(sentHeaders)
        bindings.append(receivedHeaders)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
