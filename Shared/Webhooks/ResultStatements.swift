import Foundation
import PostgresNIO

/// The two statements of `DeliveryQueue.record`: every batch of attempt results sends both, each
/// result a row of the bound arrays.

/// Each delivery's new state, only where the claim is still the one that made the attempt. Sent
/// unnamed, so planned for each batch. Prepared, PostgreSQL settles on a generic plan after five
/// runs: one made while the table was small (a new database) hash-joins a sequential scan of every
/// delivery, slower as the table grows, and is kept until an analyze (docs/performance.md).
struct DeliveryStateUpdate {
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

    var results: [DeliveryQueue.Result]

    var query: PostgresQuery {
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(results.map(\.delivery.id))
        bindings.append(results.map(\.delivery.claimToken))
        bindings.append(results.map(\.status))
        bindings.append(results.map(\.retryDelay))
        bindings.append(results.map(\.statusCode))
        bindings.append(results.map(\.errorText))
        return PostgresQuery(unsafeSQL: Self.sql, binds: bindings)
    }
}

/// Every attempt, once (a result written again after a lost answer adds nothing). Prepared once
/// per connection: an insert from the bound arrays has no join for a generic plan to get wrong.
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

    var results: [DeliveryQueue.Result]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: Self.bindingDataTypes.count)
        bindings.append(results.map(\.delivery.id))
        bindings.append(results.map(\.delivery.attempt))
        bindings.append(results.map(\.delivery.organizationID))
        bindings.append(results.map(\.outcome.attemptedAt))
        bindings.append(results.map(\.statusCode))
        bindings.append(results.map(\.outcome.latencyMilliseconds))
        bindings.append(results.map { $0.outcome.responseBody ?? "" })
        bindings.append(results.map(\.errorText))
        bindings.append(results.map { AttemptHeader.json($0.outcome.requestHeaders) })
        bindings.append(results.map { AttemptHeader.json($0.outcome.responseHeaders) })
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// A result's columns. Bound arrays hold no NULL elements: 0, -1 and "" stand for "none" and
/// become NULL again in SQL (a status code is never 0, a delay never negative).
extension DeliveryQueue.Result {
    var status: String {
        switch decision {
        case .delivered: "delivered"
        case .retry: "pending"
        case .failed, .gone: "failed"
        }
    }

    var retryDelay: Double {
        if case .retry(let after) = decision { after } else { -1 }
    }

    var statusCode: Int { outcome.statusCode ?? 0 }

    /// Why the attempt failed; none for a delivered one.
    var errorText: String {
        if case .delivered = decision { return "" }
        return outcome.error ?? outcome.statusCode.map { "the endpoint answered \($0)" } ?? ""
    }
}
