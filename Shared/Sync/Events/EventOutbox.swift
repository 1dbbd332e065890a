import Foundation
import HubConnections
import HubCore
import HubRedis
import Logging
import PostgresNIO

/// One event for the hub's event stream, written to the outbox first.
public struct OutboxEvent: Sendable, Equatable {
    public var id: UUID
    public var organizationID: UUID
    public var type: String
    public var data: JSONValue
    /// `data` as the JSON text `insert` stores (the bytes of `data.encoded()`), when the maker
    /// already has it: a pull's events splice in each record's canonical text, serialized once
    /// for the store, instead of serializing it again (`EntityEvents.events`).
    var encodedData: String?

    public init(id: UUID = .timeOrdered(), organizationID: UUID, type: String, data: JSONValue) {
        self.id = id
        self.organizationID = organizationID
        self.type = type
        self.data = data
    }

    /// The JSON text of `data`, as stored.
    public var dataText: String { encodedData ?? String(decoding: data.encoded(), as: UTF8.self) }

    /// Equal events have equal contents; the text is only `data` written out.
    public static func == (lhs: OutboxEvent, rhs: OutboxEvent) -> Bool {
        lhs.id == rhs.id && lhs.organizationID == rhs.organizationID && lhs.type == rhs.type && lhs.data == rhs.data
    }
}

/// Events written in the same transaction as the change they report, then relayed to the event
/// stream (`hub:events`) and marked relayed. A crash before the relay loses nothing (the rows
/// wait); a crash after the `XADD` but before the mark sends the event again with the same id,
/// which consumers deduplicate: at least once, never lost.
///
/// Redis is disposable: relayed rows are kept for a retention (`prune(relayedBefore:)` deletes
/// them after it), so when the stream is lost before its consumer read it, the consumer calls
/// `resendRelayed` and the relay sends them all again. The relay holds a shared advisory lock from
/// before its `XADD` to its commit, and `resendRelayed` takes it exclusively before it reads: a
/// relay whose `XADD` went to the lost stream but had not committed its mark yet is waited for,
/// so its rows are sent again too, and a relay that starts later writes to the new stream.
public struct EventOutbox: Sendable {
    let client: PostgresClient
    let redis: RedisClient
    let logger: Logger

    public init(client: PostgresClient, redis: RedisClient, logger: Logger) {
        self.client = client
        self.redis = redis
        self.logger = logger
    }

    /// Writes events on `db`, the transaction of the change they report.
    public static func insert(_ events: [OutboxEvent], on db: PostgresConnection, logger: Logger) async throws {
        guard !events.isEmpty else { return }
        let ids = events.map(\.id)
        let organizations = events.map(\.organizationID)
        let types = events.map(\.type)
        let data = events.map(\.dataText)
        try await db.query(
            """
            INSERT INTO event_outbox (id, org_id, type, data)
            SELECT x.id, x.org, x.type, x.data::json FROM unnest(\(ids)::uuid[], \(organizations)::uuid[], \(types)::text[], \(data)::text[])
                AS x(id, org, type, data)
            """,
            logger: logger
        )
    }

    /// The advisory lock the relays share and `resendRelayed` takes alone ("hubrely" in ASCII).
    public static let relayLockKey: Int64 = 0x6875_6272_656C_79

    /// Moves up to `limit` of the oldest events not relayed yet to the stream and marks them
    /// relayed; returns how many. Several relays may run at once: each takes rows the others have
    /// not locked. Two statements a batch, as before (read and lock, then mark), and one Redis
    /// pipeline; the shared advisory lock is taken by the first statement, before any row.
    public func relay(limit: Int = 500) async throws -> Int {
        try await client.withTransaction(logger: logger) { db in
            // The index event_outbox_pending (0012) holds exactly the rows not relayed, in
            // sequence order: the scan stops at the limit and never reads the kept relayed rows.
            // The lock is a one-time filter evaluated before the scan returns its first row.
            let rows = try await db.query(
                """
                WITH fence AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(\(Self.relayLockKey)))
                SELECT id, org_id, type, data::text, occurred_at FROM event_outbox
                WHERE relayed_at IS NULL AND EXISTS (SELECT FROM fence)
                ORDER BY sequence LIMIT \(limit) FOR UPDATE OF event_outbox SKIP LOCKED
                """,
                logger: logger
            )
            var ids: [UUID] = []
            var commands: [[RESPArgument]] = []
            let formatter = Date.ISO8601FormatStyle()
            for try await (id, org, type, data, occurred) in rows.decode((UUID, UUID, String, String, Date).self) {
                ids.append(id)
                commands.append([
                    "XADD", .string(HubEventPublisher.stream), "MAXLEN", "~", .integer(HubEventPublisher.maxLength), "*",
                    "id", .string("evt_" + id.uuidString.lowercased()), "type", .string(type),
                    "org_id", .string(org.uuidString.lowercased()), "data", .string(data),
                    "occurred_at", .string(formatter.format(occurred)),
                ])
            }
            guard !ids.isEmpty else { return 0 }
            for reply in try await redis.pipeline(commands) {
                if case .error(let message) = reply { throw RedisError.server(message) }
            }
            // The clock after the XADD answered, not the transaction's start: a row relayed before
            // the consumer's progress mark was in the stream before it (`prune`).
            try await db.query("UPDATE event_outbox SET relayed_at = clock_timestamp() WHERE id = ANY(\(ids)::uuid[])", logger: logger)
            return ids.count
        }
    }

    /// Marks every relayed row still kept as not relayed, so the relays send them again; returns
    /// how many. For the stream's consumer, once it knows the stream lost entries it had not read
    /// (its group was made again): call it after the group exists, so every entry sent again is
    /// read. Waits for the relays running now (the exclusive advisory lock) and holds the next
    /// ones off until it commits.
    public static func resendRelayed(client: PostgresClient, logger: Logger) async throws -> Int {
        try await client.withTransaction(logger: logger) { db in
            try await db.query("SELECT pg_advisory_xact_lock(\(relayLockKey))", logger: logger)
            // A statement of its own: READ COMMITTED takes its snapshot after the lock was granted,
            // so it sees the marks of the relays it waited for.
            let rows = try await db.query(
                """
                WITH again AS (UPDATE event_outbox SET relayed_at = NULL WHERE relayed_at IS NOT NULL RETURNING 1)
                SELECT count(*)::int FROM again
                """,
                logger: logger
            )
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    /// Records that the stream's consumer has received and acknowledged every entry added before
    /// `instant` (Unix milliseconds, Redis's clock: `RedisStreamQueue.consumedThrough`). Never
    /// moves back, so a consumer reading an older answer changes nothing.
    public static func recordConsumed(through milliseconds: Int64, client: PostgresClient, logger: Logger) async throws {
        let seconds = Double(milliseconds) / 1000
        try await client.query(
            """
            INSERT INTO event_stream_progress (stream, consumed_through) VALUES (\(HubEventPublisher.stream), to_timestamp(\(seconds)))
            ON CONFLICT (stream) DO UPDATE SET updated_at = now(),
                consumed_through = greatest(event_stream_progress.consumed_through, excluded.consumed_through)
            """,
            logger: logger
        )
    }

    /// Deletes rows relayed more than `age` ago by the database's clock and before the stream's
    /// consumer recorded its progress (`recordConsumed`, less `clockAllowance`: how far apart the
    /// clocks of Redis and PostgreSQL may be; nothing while it has recorded none), `batch` rows per transaction until a batch deletes fewer;
    /// returns how many went. So a consumer that is down keeps every row it has not read, however
    /// long the outage, and a loss of Redis afterwards can send them again. Rows another
    /// transaction holds (a relay, a resend) are skipped, not waited for.
    public func prune(relayedBefore age: Duration, clockAllowance: Duration = .seconds(60), batch: Int = 5_000) async throws -> Int {
        let seconds = Double(age.wholeMilliseconds) / 1000
        let allowance = Double(clockAllowance.wholeMilliseconds) / 1000
        var pruned = 0
        while !Task.isCancelled {
            // Oldest first through event_outbox_relayed (0012), stopping at the limit, then each
            // row by its primary key (`IN (…)` would hash-join against a scan of the whole table).
            let rows = try await client.query(
                """
                WITH gone AS (
                    DELETE FROM event_outbox WHERE id = ANY(ARRAY(
                        SELECT id FROM event_outbox WHERE relayed_at < least(
                            now() - make_interval(secs => \(seconds)),
                            coalesce((SELECT consumed_through - make_interval(secs => \(allowance))
                                FROM event_stream_progress WHERE stream = \(HubEventPublisher.stream)), '-infinity'))
                        ORDER BY relayed_at LIMIT \(batch) FOR UPDATE SKIP LOCKED))
                    RETURNING 1
                ) SELECT count(*)::int FROM gone
                """,
                logger: logger
            )
            var deleted = 0
            for try await count in rows.decode(Int.self) { deleted = count }
            pruned += deleted
            if deleted < batch { break }
        }
        return pruned
    }
}
