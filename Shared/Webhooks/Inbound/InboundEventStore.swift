import Foundation
import HubCore
import Logging
import PostgresNIO

/// Inbound provider events in PostgreSQL: stored as received before the provider is answered,
/// deduplicated on (connection, provider event id), then claimed and processed one by one with
/// `FOR UPDATE SKIP LOCKED`, so any number of replicas share the work and a crash mid-way leaves
/// the event to be processed again (every effect of processing is idempotent).
public struct InboundEventStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    let batcher: AcceptBatcher<[Received], Int>

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        batcher = Self.makeBatcher(client: client, logger: logger)
    }

    /// One verified event for one connection.
    public struct Received: Sendable {
        public var organizationID: UUID
        public var connectionID: UUID
        public var provider: String
        public var eventID: String
        public var eventType: String
        public var body: [UInt8]
    }

    /// Stores the event for each connection it was routed to; returns how many rows were new
    /// (0: a provider's retry of an event already stored). Requests arriving together share one
    /// statement and one commit (a group commit); each returns only once its rows are committed.
    public func store(_ events: [Received]) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        return try await batcher.submit(events)
    }

    static func makeBatcher(client: PostgresClient, logger: Logger) -> AcceptBatcher<[Received], Int> {
        AcceptBatcher(maxEvents: 200) { requests in
            do {
                let inserted = try await insert(requests.flatMap { $0 }, client: client, logger: logger)
                // Each request is told how many of its own rows were new; a pair repeated across
                // requests (the same event twice at once) counts for the first.
                var remaining = inserted
                return requests.map { rows in
                    .success(rows.reduce(0) { count, row in count + (remaining.remove(Key(row)) != nil ? 1 : 0) })
                }
            } catch {
                return requests.map { _ in .failure(error) }
            }
        }
    }

    struct Key: Hashable {
        var connection: UUID
        var eventID: String

        init(_ row: Received) {
            connection = row.connectionID
            eventID = row.eventID
        }

        init(connection: UUID, eventID: String) {
            self.connection = connection
            self.eventID = eventID
        }
    }

    /// One insert of every row; the (connection, event id) pairs that were new.
    static func insert(_ events: [Received], client: PostgresClient, logger: Logger) async throws -> Set<Key> {
        try await client.withConnection { db in
            var inserted = Set<Key>()
            for try await (connection, eventID) in try await db.executePrepared(InboundEventInsert(events: events), logger: logger) {
                inserted.insert(Key(connection: connection, eventID: eventID))
            }
            return inserted
        }
    }

    /// A stored event taken for processing.
    public struct Claimed: Sendable {
        public var id: UUID
        public var event: Received
        /// When the hub stored it: a bound on when the provider made it.
        public var receivedAt: Date
        /// Earlier attempts that failed.
        public var attempts: Int
    }

    /// A processing failure worth telling the organization in these words; any other error is
    /// logged in full and recorded as a plain sentence.
    public struct ProcessingFailure: Error {
        public var message: String

        public init(message: String) {
            self.message = message
        }
    }

    /// A batch run without savepoints had an event fail: nothing of it was kept, and it is to be
    /// run again with them.
    public struct ReplayWithSavepoints: Error {}

    /// How processing one event ended.
    public enum Outcome: Sendable, Equatable {
        /// Done: `summary` says what it changed. `endsBatch`: it locked a row other processing
        /// may need from another connection (a connection's status), so the batch commits now.
        case processed(String, endsBatch: Bool = false)
        /// Nothing to do, and why (no sync configured for the entity, an event the hub does not act on).
        case ignored(String)
        /// Try again after `delay` (a sync of the entity is running and may have passed the change).
        case deferred(String, delay: Duration)
    }

    /// Takes up to `limit` of the oldest due events no one else holds and runs `process` with
    /// each, in order, inside the one transaction that holds them; then `settle` runs (what
    /// `process` left for the batch as a whole; the outcomes it names replace those `process`
    /// returned), the outcomes are written, and `beforeCommit` runs (the hub events the batch
    /// produced), in that transaction, so the events and what processing wrote commit together
    /// (one commit for the batch). When `process` throws, what it wrote for that event is rolled
    /// back to a savepoint and the attempt is counted: retried after `retryAfter(attempts)`, or
    /// failed for good after `maxAttempts` with the reason kept. Returns how many events were
    /// taken.
    ///
    /// Without `savepoints` the events run with none (two round trips fewer each, a third of a
    /// webhook's processing): the first that throws, or `settle` throwing, rolls the whole batch
    /// back and ends it with `ReplayWithSavepoints`, for the caller to run it again with them.
    public func processBatch(
        limit: Int,
        maxAttempts: Int,
        retryAfter: (Int) -> Duration,
        savepoints: Bool = true,
        _ process: (Claimed, PostgresConnection) async throws -> Outcome,
        settle: (PostgresConnection) async throws -> [UUID: Outcome] = { _ in [:] },
        beforeCommit: (PostgresConnection) async throws -> Void = { _ in }
    ) async throws -> Int {
        try await PostgresTransactionError.surfacing(ReplayWithSavepoints.self) {
            try await client.withTransaction(logger: logger) { db in
                let claimed = try await claim(limit: limit, on: db)
                var outcomes: [(id: UUID, outcome: Outcome)] = []
                for event in claimed {
                    let outcome =
                        savepoints
                        ? try await processed(event, process, maxAttempts: maxAttempts, retryAfter: retryAfter, on: db)
                        : try await Self.replayingOnFailure(event, process, on: db)
                    guard let outcome else { continue }
                    outcomes.append((event.id, outcome))
                    // A status change ends the batch: the rest are released unprocessed by the commit.
                    if case .processed(_, endsBatch: true) = outcome { break }
                }
                let settled: [UUID: Outcome]
                do {
                    settled = try await settle(db)
                } catch  where !savepoints {
                    throw ReplayWithSavepoints()
                }
                try await record(outcomes.map { ($0.id, settled[$0.id] ?? $0.outcome) }, on: db)
                try await beforeCommit(db)
                return claimed.count
            }
        }
    }

    /// Up to `limit` of the oldest due events no one else holds, locked by `db`'s transaction.
    private func claim(limit: Int, on db: PostgresConnection) async throws -> [Claimed] {
        try await db.inIndexOrder(logger: logger) {
            let rows = try await db.query(
                """
                SELECT id, org_id, connection_id, provider, event_id, event_type, body, received_at, attempts FROM inbound_events
                WHERE status = 'received' AND next_attempt_at <= now()
                ORDER BY next_attempt_at, received_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            )
            var claimed: [Claimed] = []
            for try await (id, org, connection, provider, eventID, type, body, receivedAt, attempts) in rows.decode(
                (UUID, UUID, UUID, String, String, String, ByteBuffer, Date, Int).self
            ) {
                let event = Received(
                    organizationID: org,
                    connectionID: connection,
                    provider: provider,
                    eventID: eventID,
                    eventType: type,
                    body: Array(buffer: body)
                )
                claimed.append(Claimed(id: id, event: event, receivedAt: receivedAt, attempts: attempts))
            }
            return claimed
        }
    }

    /// `event` processed inside a savepoint; nil when it threw, its writes rolled back and the
    /// attempt counted (`failed`).
    /// (`nonisolated(nonsending)`, as the next: on the caller's executor, so `process`, which is
    /// not `Sendable`, is not sent anywhere.)
    nonisolated(nonsending) private func processed(
        _ event: Claimed,
        _ process: (Claimed, PostgresConnection) async throws -> Outcome,
        maxAttempts: Int,
        retryAfter: (Int) -> Duration,
        on db: PostgresConnection
    ) async throws -> Outcome? {
        try await db.query("SAVEPOINT processing", logger: logger)
        do {
            let outcome = try await process(event, db)
            try await db.query("RELEASE SAVEPOINT processing", logger: logger)
            return outcome
        } catch {
            try await db.query("ROLLBACK TO SAVEPOINT processing", logger: logger)
            try await db.query("RELEASE SAVEPOINT processing", logger: logger)
            let reason = (error as? ProcessingFailure)?.message ?? "the hub could not process the event"
            logger.warning(
                "an inbound event could not be processed",
                metadata: ["inbound_event_id": "\(event.id)", "attempt": "\(event.attempts + 1)", "error": "\(String(reflecting: error))"]
            )
            try await failed(event, reason: reason, retryAfter: retryAfter(event.attempts + 1), maxAttempts: maxAttempts, on: db)
            return nil
        }
    }

    /// `event` processed with no savepoint; any failure becomes `ReplayWithSavepoints`, which
    /// rolls the batch back.
    nonisolated(nonsending) private static func replayingOnFailure(
        _ event: Claimed,
        _ process: (Claimed, PostgresConnection) async throws -> Outcome,
        on db: PostgresConnection
    ) async throws -> Outcome? {
        do {
            return try await process(event, db)
        } catch {
            throw ReplayWithSavepoints()
        }
    }

    /// Writes the batch's outcomes in one statement.
    func record(_ outcomes: [(id: UUID, outcome: Outcome)], on db: PostgresConnection) async throws {
        guard !outcomes.isEmpty else { return }
        var statuses: [String] = []
        var texts: [String] = []
        var delays: [Double] = []
        for (_, outcome) in outcomes {
            switch outcome {
            case .processed(let summary, _): (statuses, texts, delays) = (statuses + ["processed"], texts + [summary], delays + [0])
            case .ignored(let reason): (statuses, texts, delays) = (statuses + ["ignored"], texts + [reason], delays + [0])
            case .deferred(let reason, let delay):
                (statuses, texts, delays) = (statuses + ["received"], texts + [reason], delays + [Double(delay.wholeMilliseconds) / 1000])
            }
        }
        try await db.query(
            """
            UPDATE inbound_events e SET status = x.status, outcome = x.outcome,
                processed_at = CASE WHEN x.status <> 'received' THEN now() END,
                attempts = e.attempts + CASE WHEN x.status <> 'received' THEN 1 ELSE 0 END,
                next_attempt_at = CASE WHEN x.status = 'received' THEN now() + make_interval(secs => x.delay) ELSE e.next_attempt_at END
            FROM unnest(\(outcomes.map(\.id))::uuid[], \(statuses)::text[], \(texts)::text[], \(delays)::float8[])
                AS x(id, status, outcome, delay)
            WHERE e.id = x.id
            """,
            logger: logger
        )
    }

    /// Deletes events that finished (processed, ignored, or failed for good) longer than `age`
    /// ago by the database's clock, `batch` rows per statement so no statement holds many locks
    /// or runs long; returns how many were deleted. Events still to process are never touched.
    /// Replicas may prune at once: rows another one holds are skipped, not waited for, and
    /// deleting is idempotent.
    public func prune(olderThan age: Duration, batch: Int = 1_000) async throws -> Int {
        let seconds = Double(age.wholeMilliseconds) / 1000
        var deleted = 0
        while !Task.isCancelled {
            // `status <> 'received'` is the partial index's predicate (0009), so the scan reads
            // only finished rows; every finished row has processed_at set.
            let rows = try await client.query(
                """
                DELETE FROM inbound_events WHERE id IN (
                    SELECT id FROM inbound_events
                    WHERE status <> 'received' AND processed_at < now() - make_interval(secs => \(seconds))
                    LIMIT \(batch) FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """,
                logger: logger
            )
            var count = 0
            for try await _ in rows.decode(Int.self) { count += 1 }
            deleted += count
            if count < batch { break }
        }
        return deleted
    }

    func failed(_ event: Claimed, reason: String, retryAfter: Duration, maxAttempts: Int, on db: PostgresConnection) async throws {
        let final = event.attempts + 1 >= maxAttempts
        try await db.query(
            """
            UPDATE inbound_events SET attempts = attempts + 1, outcome = \(reason),
                status = CASE WHEN \(final) THEN 'failed' ELSE status END,
                processed_at = CASE WHEN \(final) THEN now() END,
                next_attempt_at = now() + make_interval(secs => \(Double(retryAfter.wholeMilliseconds) / 1000))
            WHERE id = \(event.id)
            """,
            logger: logger
        )
    }
}
