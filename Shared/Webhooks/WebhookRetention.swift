import Foundation
import HubCore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Retention of outbound webhook data: events older than `HUB_WEBHOOK_RETENTION_DAYS` whose
/// deliveries all finished are deleted with their deliveries and those deliveries' attempts,
/// every 10 minutes in each webhook-service, so the three largest tables the hub keeps do not
/// grow forever. An event with a pending delivery is kept whatever its age: it is still being
/// sent (or was resent or recovered), and its delivery log must stay whole.
public struct WebhookRetention: Service {
    let client: PostgresClient
    /// How long an event is kept after it was accepted.
    let retention: Duration
    let logger: Logger

    public init(
        client: PostgresClient,
        retention: Duration,
        logger: Logger
    ) {
        self.client = client
        self.retention = retention
        self.logger = logger
    }

    /// What a prune deleted.
    public struct Pruned: Sendable, Equatable {
        public var events = 0
        public var deliveries = 0
        public var attempts = 0

        public init(events: Int = 0, deliveries: Int = 0, attempts: Int = 0) {
            self.events = events
            self.deliveries = deliveries
            self.attempts = attempts
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await PruneLoop(logger: logger).run(pruning: "webhook events") {
                let pruned = try await prune(olderThan: retention)
                guard pruned.events > 0 else { return nil }
                return ["events": "\(pruned.events)", "deliveries": "\(pruned.deliveries)", "attempts": "\(pruned.attempts)"]
            }
        }
    }

    /// Deletes finished events accepted longer than `age` ago by the database's clock, `batch`
    /// events per transaction so none holds many locks or runs long, until a batch deletes fewer;
    /// returns what went. Replicas may prune at once: rows another one holds are skipped, not
    /// waited for.
    public func prune(olderThan age: Duration, batch: Int = 1_000) async throws -> Pruned {
        var pruned = Pruned()
        while !Task.isCancelled {
            let deleted = try await pruneBatch(olderThan: age, limit: batch)
            pruned.events += deleted.events
            pruned.deliveries += deleted.deliveries
            pruned.attempts += deleted.attempts
            if deleted.events < batch { break }
        }
        return pruned
    }

    /// One transaction: up to `limit` of the oldest finished events past the retention, children first.
    func pruneBatch(olderThan age: Duration, limit: Int) async throws -> Pruned {
        let seconds = Double(age.wholeMilliseconds) / 1000
        return try await client.withTransaction(logger: logger) { db in
            // Oldest first through webhook_events_created (0011), stopping at the limit; the
            // pending check reads only pending deliveries (webhook_deliveries_due). Locking the
            // events keeps new deliveries off them until the batch commits.
            var candidates: [UUID] = []
            let rows = try await db.query(
                """
                SELECT e.id FROM webhook_events e
                WHERE e.created_at < now() - make_interval(secs => \(seconds))
                    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
                ORDER BY e.created_at LIMIT \(limit) FOR UPDATE OF e SKIP LOCKED
                """,
                logger: logger
            )
            for try await id in rows.decode(UUID.self) { candidates.append(id) }
            guard !candidates.isEmpty else { return Pruned() }
            let doomed = try await Self.lockFinishedDeliveries(of: candidates, on: db, logger: logger)
            guard !doomed.isEmpty else { return Pruned() }
            let attempts = try await Self.count(
                """
                WITH gone AS (
                    DELETE FROM webhook_attempts a USING webhook_deliveries d
                    WHERE a.delivery_id = d.id AND d.event_id = ANY(\(doomed)::uuid[]) RETURNING 1
                ) SELECT count(*)::int FROM gone
                """,
                on: db,
                logger: logger
            )
            let deliveries = try await Self.count(
                """
                WITH gone AS (DELETE FROM webhook_deliveries WHERE event_id = ANY(\(doomed)::uuid[]) RETURNING 1)
                SELECT count(*)::int FROM gone
                """,
                on: db,
                logger: logger
            )
            let events = try await Self.count(
                """
                WITH gone AS (DELETE FROM webhook_events WHERE id = ANY(\(doomed)::uuid[]) RETURNING 1)
                SELECT count(*)::int FROM gone
                """,
                on: db,
                logger: logger
            )
            return Pruned(events: events, deliveries: deliveries, attempts: attempts)
        }
    }

    /// Of `events`, those whose deliveries this transaction could lock and found all finished.
    /// The first query read a snapshot: since then a resend or recover may have made a delivery
    /// pending, or be doing so now. Locking reads each delivery's latest state, and skipping a
    /// locked one (keeping its event for a later pass) never waits, so the prune cannot deadlock
    /// with a recover updating the same rows in another order.
    static func lockFinishedDeliveries(of events: [UUID], on db: PostgresConnection, logger: Logger) async throws -> [UUID] {
        let rows = try await db.query(
            """
            WITH locked AS MATERIALIZED (
                SELECT id, status FROM webhook_deliveries WHERE event_id = ANY(\(events)::uuid[]) FOR UPDATE SKIP LOCKED
            )
            SELECT DISTINCT d.event_id FROM webhook_deliveries d LEFT JOIN locked l ON l.id = d.id
            WHERE d.event_id = ANY(\(events)::uuid[]) AND (l.id IS NULL OR l.status = 'pending')
            """,
            logger: logger
        )
        var kept = Set<UUID>()
        for try await id in rows.decode(UUID.self) { kept.insert(id) }
        return events.filter { !kept.contains($0) }
    }

    /// The one count a statement answers: deletions are counted in the database, so a batch's
    /// thousands of attempts do not each cross the wire.
    static func count(_ statement: PostgresQuery, on db: PostgresConnection, logger: Logger) async throws -> Int {
        for try await count in try await db.query(statement, logger: logger).decode(Int.self) { return count }
        return 0
    }
}
