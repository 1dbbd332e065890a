import Foundation
import HubConnections
import HubCore
import HubRedis
import Logging
import PostgresNIO

/// One event for the hub's event stream, written to the outbox first. It holds its data as the
/// JSON text the outbox stores: a pull's events are written straight as text, splicing in each
/// record's canonical text serialized once for the store (`EntityEvents.events`), and never exist
/// as a `JSONValue` tree.
public struct OutboxEvent: Sendable, Equatable {
    public var id: UUID
    public var organizationID: UUID
    public var type: String
    /// The JSON text of the event's data (keys sorted), as stored and sent.
    public private(set) var dataText: String

    public init(id: UUID = .timeOrdered(), organizationID: UUID, type: String, data: JSONValue) {
        self.init(id: id, organizationID: organizationID, type: type, dataText: String(decoding: data.encoded(), as: UTF8.self))
    }

    /// An event whose maker wrote its data's text itself, as `JSONValue.encoded()` would.
    init(id: UUID = .timeOrdered(), organizationID: UUID, type: String, dataText: String) {
        self.id = id
        self.organizationID = organizationID
        self.type = type
        self.dataText = dataText
    }

    /// The data, read back from its text (`.null` if the text were not JSON).
    public var data: JSONValue { JSONReader.parse(Array(dataText.utf8)) ?? .null }
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

    /// Writes events on `db`, the transaction of the change they report: one row per
    /// organization, its events side by side (0022), in the order given.
    public static func insert(_ events: [OutboxEvent], on db: PostgresConnection, logger: Logger) async throws {
        var organizations: [UUID] = []
        var byOrganization: [UUID: [OutboxEvent]] = [:]
        for event in events {
            if byOrganization[event.organizationID] == nil { organizations.append(event.organizationID) }
            byOrganization[event.organizationID, default: []].append(event)
        }
        for organization in organizations {
            let batch = byOrganization[organization] ?? []
            let ids = batch.map(\.id)
            let types = batch.map(\.type)
            let data = batch.map(\.dataText)
            try await db.query(
                """
                INSERT INTO event_outbox (org_id, event_ids, types, data)
                VALUES (\(organization), \(ids)::uuid[], \(types)::text[], \(data)::text[])
                """,
                logger: logger
            )
        }
    }

    /// The advisory lock the relays share and `resendRelayed` takes alone ("hubrely" in ASCII).
    public static let relayLockKey: Int64 = 0x6875_6272_656C_79

    /// About how many `XADD`s the relay sends in one Redis pipeline.
    static let pipelineSize = 1_000

    /// Outbox rows one relay transaction takes by default: a row is one transaction's events (a
    /// pull write's 1,000, or a single `sync.completed`).
    public static let rowsPerRelay = 64

    /// What one `relay` call moved.
    public struct Relayed: Sendable, Equatable {
        /// Outbox rows (one per transaction and organization).
        public var rows = 0
        public var events = 0

        public init(rows: Int = 0, events: Int = 0) {
            self.rows = rows
            self.events = events
        }
    }

    /// Moves the events of up to `limit` of the oldest rows not relayed yet to the stream and
    /// marks the rows relayed. Several relays may run at once: each takes rows the others have not
    /// locked. Two statements a batch (read and lock, then mark) and Redis pipelines of about
    /// `pipelineSize` commands; the shared advisory lock is taken by the first statement, before
    /// any row.
    public func relay(limit: Int = rowsPerRelay) async throws -> Relayed {
        try await client.withTransaction(logger: logger) { db in
            // The index event_outbox_pending (0022) holds exactly the rows not relayed, in
            // sequence order: the scan stops at the limit and never reads the kept relayed rows.
            // The lock is a one-time filter evaluated before the scan returns its first row.
            let rows = try await db.query(
                """
                WITH fence AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(\(Self.relayLockKey)))
                SELECT sequence, org_id, event_ids, types, data, occurred_at FROM event_outbox
                WHERE relayed_at IS NULL AND EXISTS (SELECT FROM fence)
                ORDER BY sequence LIMIT \(limit) FOR UPDATE OF event_outbox SKIP LOCKED
                """,
                logger: logger
            )
            var sequences: [Int64] = []
            var commands: [[RESPArgument]] = []
            var events = 0
            let formatter = Date.ISO8601FormatStyle()
            // Sent in pipelines of about `pipelineSize` commands as the rows arrive, so a backlog of
            // large rows (10,000 events from one QuickBooks write) is never held whole in memory.
            func send() async throws {
                guard !commands.isEmpty else { return }
                for reply in try await redis.pipeline(commands) {
                    if case .error(let message) = reply { throw RedisError.server(message) }
                }
                events += commands.count
                commands.removeAll(keepingCapacity: true)
            }
            for try await (sequence, org, ids, types, data, occurred) in rows.decode((Int64, UUID, [UUID], [String], [String], Date).self) {
                sequences.append(sequence)
                let organization = RESPArgument.string(org.uuidString.lowercased())
                let occurredAt = RESPArgument.string(formatter.format(occurred))
                // The arrays are of one length (0022's CHECK).
                for (index, id) in ids.enumerated() {
                    commands.append([
                        "XADD", .string(HubEventPublisher.stream), "MAXLEN", "~", .integer(HubEventPublisher.maxLength), "*",
                        "id", .string("evt_" + id.uuidString.lowercased()), "type", .string(types[index]),
                        "org_id", organization, "data", .string(data[index]), "occurred_at", occurredAt,
                    ])
                }
                if commands.count >= Self.pipelineSize { try await send() }
            }
            try await send()
            guard !sequences.isEmpty else { return Relayed() }
            // The clock after the XADD answered, not the transaction's start: a row relayed before
            // the consumer's progress mark was in the stream before it (`prune`).
            try await db.query(
                "UPDATE event_outbox SET relayed_at = clock_timestamp() WHERE sequence = ANY(\(sequences)::bigint[])",
                logger: logger
            )
            return Relayed(rows: sequences.count, events: events)
        }
    }

    /// Marks every relayed row still kept as not relayed, so the relays send them again; returns
    /// how many events they hold. For the stream's consumer, once it knows the stream lost entries it had not read
    /// (its group was made again): call it after the group exists, so every entry sent again is
    /// read. Waits for the relays running now (the exclusive advisory lock) and holds the next
    /// ones off until it commits. Rows relayed before the consumer's recorded progress (less
    /// `clockAllowance`, as `prune` allows) were read and stored already: not sent again, so the
    /// rows that were lost do not wait behind an hour of those (55-67 s after a restart).
    public static func resendRelayed(client: PostgresClient, logger: Logger, clockAllowance: Duration = .seconds(60)) async throws -> Int {
        let allowance = Double(clockAllowance.wholeMilliseconds) / 1000
        return try await client.withTransaction(logger: logger) { db in
            try await db.query("SELECT pg_advisory_xact_lock(\(relayLockKey))", logger: logger)
            // A statement of its own: READ COMMITTED takes its snapshot after the lock was granted,
            // so it sees the marks of the relays it waited for.
            let rows = try await db.query(
                """
                WITH again AS (
                    UPDATE event_outbox SET relayed_at = NULL
                    WHERE relayed_at >= coalesce((SELECT consumed_through - make_interval(secs => \(allowance))
                        FROM event_stream_progress WHERE stream = \(HubEventPublisher.stream)), '-infinity')
                    RETURNING cardinality(event_ids) AS events
                )
                SELECT coalesce(sum(events), 0)::int FROM again
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
    /// clocks of Redis and PostgreSQL may be; nothing while it has recorded none), `batch` rows per
    /// transaction until a batch deletes fewer; returns how many events went. So a consumer that
    /// is down keeps every row it has not read, however long the outage, and a loss of Redis
    /// afterwards can send them again. Rows another transaction holds (a relay, a resend) are
    /// skipped, not waited for.
    public func prune(relayedBefore age: Duration, clockAllowance: Duration = .seconds(60), batch: Int = 500) async throws -> Int {
        let seconds = Double(age.wholeMilliseconds) / 1000
        let allowance = Double(clockAllowance.wholeMilliseconds) / 1000
        var pruned = 0
        while !Task.isCancelled {
            // Oldest first through event_outbox_relayed (0022), stopping at the limit, then each
            // row by its primary key (`IN (…)` would hash-join against a scan of the whole table).
            let rows = try await client.query(
                """
                WITH gone AS (
                    DELETE FROM event_outbox WHERE sequence = ANY(ARRAY(
                        SELECT sequence FROM event_outbox WHERE relayed_at < least(
                            now() - make_interval(secs => \(seconds)),
                            coalesce((SELECT consumed_through - make_interval(secs => \(allowance))
                                FROM event_stream_progress WHERE stream = \(HubEventPublisher.stream)), '-infinity'))
                        ORDER BY relayed_at LIMIT \(batch) FOR UPDATE SKIP LOCKED))
                    RETURNING cardinality(event_ids) AS events
                ) SELECT count(*)::int, coalesce(sum(events), 0)::int FROM gone
                """,
                logger: logger
            )
            var deleted = (rows: 0, events: 0)
            for try await (count, events) in rows.decode((Int, Int).self) { deleted = (count, events) }
            pruned += deleted.events
            if deleted.rows < batch { break }
        }
        return pruned
    }
}
