import Foundation
import HubCore
import Logging
import PostgresNIO

/// Accepts events: the event rows and one delivery per matching subscription are written by one
/// statement (the outbox), so an accepted event always has its deliveries, and a crash either
/// keeps both or neither. Events accepted at the same moment share that statement and its commit. Idempotent on the event id (stream events) and on the organization's
/// idempotency key (API events).
public struct EventStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    let batcher: AcceptBatcher<Submission, AcceptedEvent>

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        self.batcher = Self.makeBatcher(client: client, logger: logger)
    }

    public enum Source: String, Sendable {
        case api
        case hub
        case test
    }

    public struct NewEvent: Sendable {
        public var id: UUID
        public var organizationID: UUID
        public var type: String
        public var data: JSONValue
        public var idempotencyKey: String?
        public var source: Source
        public var occurredAt: Date
        /// Only this subscription gets it, whatever its filters (test events).
        public var onlySubscription: UUID?

        public init(
            id: UUID = .timeOrdered(),
            organizationID: UUID,
            type: String,
            data: JSONValue,
            idempotencyKey: String? = nil,
            source: Source,
            occurredAt: Date = Date(),
            onlySubscription: UUID? = nil
        ) {
            self.id = id
            self.organizationID = organizationID
            self.type = type
            self.data = data
            self.idempotencyKey = idempotencyKey
            self.source = source
            self.occurredAt = occurredAt
            self.onlySubscription = onlySubscription
        }
    }

    /// Accepts an event in a transaction of its own, shared with the events accepted at the same
    /// moment (`AcceptBatcher`); returns once it committed. With `wakeup`, deliveries are
    /// claimed in that transaction for a dispatcher of this process that has room and handed to
    /// it after the commit (`DeliveryHandoff`), and the dispatcher is woken for the rest.
    public func accept(_ event: NewEvent, wakeup: DeliveryWakeup? = nil) async throws -> AcceptedEvent {
        try await batcher.submit(Submission(event: event, wakeup: wakeup))
    }

    /// Accepts on `db` (inside a caller's transaction when the event reports a change made there).
    public static func accept(_ event: NewEvent, on db: PostgresConnection, logger: Logger) async throws -> AcceptedEvent {
        try await accept([event], ticket: nil, on: db, logger: logger).events[0].get()
    }

    struct Submission: Sendable {
        var event: NewEvent
        var wakeup: DeliveryWakeup?
    }

    /// Events accepted by one statement: each event's outcome, in order, and the deliveries
    /// claimed for the ticket's dispatcher.
    struct Batch {
        var events: [Result<AcceptedEvent, any Error>]
        var claimed: [ClaimedDelivery]
        /// Pending deliveries left in the table for any worker's claim.
        var unclaimed: Int
        /// Subscriptions the ticket's dispatcher was saturated with whose deliveries were left
        /// in the table: it claims them as its attempts for them run down.
        var leftForSaturated: Set<UUID> = []
    }

    static let maxBatchEvents = 256
    /// Array elements cannot be NULL when bound: this stands for "every matching subscription".
    static let noSubscription = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    static func makeBatcher(client: PostgresClient, logger: Logger) -> AcceptBatcher<Submission, AcceptedEvent> {
        AcceptBatcher(maxEvents: maxBatchEvents) { submissions in
            await commitBatch(submissions, client: client, logger: logger)
        }
    }

    /// Commits `submissions` together; one outcome per submission, in order.
    static func commitBatch(_ submissions: [Submission], client: PostgresClient, logger: Logger) async -> [Result<AcceptedEvent, any Error>] {
        // A batch answers every event it holds; one bad event must not fail the others, so when the
        // transaction itself failed the batch is retried one event at a time. An event refused
        // inside a committed transaction (an id owned by another organization) is no such failure:
        // the others committed, and retrying them would answer them as duplicates (`created: false`).
        switch await commit(submissions, client: client, logger: logger) {
        case .success(let outcomes):
            return outcomes
        case .failure(let error) where submissions.count == 1:
            return [.failure(error)]
        case .failure:
            var single: [Result<AcceptedEvent, any Error>] = []
            for submission in submissions {
                single.append(await commit([submission], client: client, logger: logger).flatMap { $0[0] })
            }
            return single
        }
    }

    /// One transaction for `submissions`: the error that failed it, or each event's outcome. After
    /// the commit, the claimed deliveries go to their dispatcher and the workers are woken for the rest.
    static func commit(
        _ submissions: [Submission],
        client: PostgresClient,
        logger: Logger
    ) async -> Result<[Result<AcceptedEvent, any Error>], any Error> {
        // Claims are made for the dispatcher of the first submission's wakeup (all of them
        // share the service's one wakeup); the others' deliveries stay in the table.
        let wakeup = submissions.first?.wakeup
        let ticket = wakeup?.handoff.ticket()
        do {
            // The call commits before it makes its answer (migration 0028), so no claimed
            // delivery reaches the dispatcher before its event is durable, in one round trip.
            let batch = try await client.withConnection { db in
                try await accept(
                    submissions.map(\.event),
                    ticket: ticket,
                    claimFor: submissions.map { $0.wakeup === wakeup },
                    commit: true,
                    on: db,
                    logger: logger
                )
            }
            var unclaimed = batch.unclaimed
            if let wakeup, let ticket, !batch.claimed.isEmpty || !batch.leftForSaturated.isEmpty {
                if wakeup.handoff.deliver(batch.claimed, leftInTable: batch.leftForSaturated, ticket: ticket) {
                    wakeup.signalHandoff()
                } else {
                    logger.warning("the dispatcher stopped before taking claimed deliveries; they are due again after their lease")
                    unclaimed += batch.leftForSaturated.count
                }
            }
            if unclaimed > 0 {
                // Every wakeup of the batch (normally the service's one): its workers claim the rest.
                var woken: Set<ObjectIdentifier> = []
                for case let other? in submissions.map(\.wakeup) where woken.insert(ObjectIdentifier(other)).inserted { other.signal() }
            }
            return .success(batch.events)
        } catch {
            return .failure(error)
        }
    }

    /// Writes the events and, in the same call, one delivery per matching subscription (the
    /// outbox). With a ticket, deliveries to enabled subscriptions the ticket's dispatcher has
    /// room for (of the events `claimFor` marks) are written claimed by it: leased, with its
    /// token and their first attempt counted, as a claim from the table would leave them.
    /// `commit` commits them before the answer is read; it needs `db` outside any transaction.
    static func accept(
        _ events: [NewEvent],
        ticket: DeliveryHandoff.Ticket?,
        claimFor: [Bool]? = nil,
        commit: Bool = false,
        on db: PostgresConnection,
        logger: Logger
    ) async throws -> Batch {
        let payloads = events.map { EventPayload.encode(id: $0.id, type: $0.type, data: $0.data, at: $0.occurredAt) }
        let claim = claimFor ?? Array(repeating: true, count: events.count)
        // Events sharing an id (one stream entry read twice into one batch): only the first is
        // sent, as one event gets one delivery per subscription; the others are answered as
        // repeats of it, below.
        let index = Dictionary(events.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let firsts = events.indices.filter { index[events[$0].id] == $0 }
        let statement = AcceptStatement(
            events: firsts.map { events[$0] },
            payloads: firsts.map { payloads[$0] },
            claim: firsts.map { claim[$0] },
            ticket: ticket,
            commit: commit
        )
        let rows = try await db.executePrepared(statement, logger: logger)
        var pending: [UUID: Int] = [:]
        var claimed: [ClaimedDelivery] = []
        var unclaimed = 0
        var leftForSaturated: Set<UUID> = []
        var written: [AcceptStatement.Written] = []
        for try await answer in rows { written += answer }
        for (
            eventID, deliveryID, subscriptionID, isPending, isClaimed, url, keyID, ciphertext, previousKeyID, previousCiphertext, slackConnection,
            slackChannel
        ) in written {
            pending[eventID, default: 0] += isPending ? 1 : 0
            guard isPending else { continue }
            guard isClaimed, let ticket, let deliveryID, let subscriptionID, let url, let keyID, let ciphertext,
                let position = index[eventID]
            else {
                if let ticket, let subscriptionID, let position = index[eventID], claim[position], ticket.saturated.contains(subscriptionID) {
                    leftForSaturated.insert(subscriptionID)
                } else {
                    unclaimed += 1
                }
                continue
            }
            var previous: SealedSecret?
            if let previousKeyID, let previousCiphertext { previous = SealedSecret(keyID: previousKeyID, ciphertext: previousCiphertext) }
            let event = events[position]
            claimed.append(
                ClaimedDelivery(
                    id: deliveryID,
                    organizationID: event.organizationID,
                    subscriptionID: subscriptionID,
                    attempt: 1,
                    attemptInBudget: 1,
                    claimToken: ticket.token,
                    payload: payloads[position],
                    url: url,
                    secret: SealedSecret(keyID: keyID, ciphertext: ciphertext),
                    previousSecret: previous,
                    subscriptionActive: true,
                    slack: SlackTarget.from(connection: slackConnection, channel: slackChannel)
                )
            )
        }
        var outcomes: [Result<AcceptedEvent, any Error>] = []
        for (position, event) in events.enumerated() {
            if index[event.id] == position, let deliveries = pending[event.id] {
                outcomes.append(
                    .success(AcceptedEvent(id: event.id, type: event.type, createdAt: event.occurredAt, deliveries: deliveries, created: true))
                )
            } else {
                do {
                    // The conflicting row belongs to another organization (a forged stream id): not this caller's event.
                    outcomes.append(try await existing(event, on: db, logger: logger).map { .success($0) } ?? .failure(WebhookError.eventIDConflict))
                } catch  where commit {
                    // The batch is committed: only this event's answer is lost, not the others'.
                    outcomes.append(.failure(error))
                }
            }
        }
        return Batch(events: outcomes, claimed: claimed, unclaimed: unclaimed, leftForSaturated: leftForSaturated)
    }

    /// The event an earlier request already made (same id, or same idempotency key).
    static func existing(_ event: NewEvent, on db: PostgresConnection, logger: Logger) async throws -> AcceptedEvent? {
        let rows = try await db.query(
            """
            SELECT e.id, e.type, e.created_at, (SELECT count(*) FROM webhook_deliveries d WHERE d.event_id = e.id)::int
            FROM webhook_events e
            WHERE e.org_id = \(event.organizationID)
                AND (e.id = \(event.id) OR (\(event.idempotencyKey)::text IS NOT NULL AND e.idempotency_key = \(event.idempotencyKey)))
            LIMIT 1
            """,
            logger: logger
        )
        for try await (id, type, created, deliveries) in rows.decode((UUID, String, Date, Int).self) {
            return AcceptedEvent(id: id, type: type, createdAt: created, deliveries: deliveries, created: false)
        }
        return nil
    }
}
