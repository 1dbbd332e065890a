import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubRedis
import HubSync
import Logging
import PostgresNIO

/// Turns one stored inbound event into its effects, on the transaction that holds the event: the
/// connector says what the event means (`WebhookChange`), and this applies it where the
/// organization asked for it — only entities whose sync configuration is enabled and pulls.
public struct InboundEventInterpreter: Sendable {
    let registry: ConnectorRegistry
    let connections: ConnectionRepository
    let syncs: SyncRepository
    let records: RecordStore
    let redis: RedisClient
    let logger: Logger

    /// How long a change waits when a sync of its entity is already running (and may have read
    /// past it): the event is looked at again then, and triggers a new sync if none is running.
    public var runningSyncDelay: Duration = .seconds(5)

    public init(
        registry: ConnectorRegistry,
        connections: ConnectionRepository,
        syncs: SyncRepository,
        records: RecordStore,
        redis: RedisClient,
        logger: Logger
    ) {
        self.registry = registry
        self.connections = connections
        self.syncs = syncs
        self.records = records
        self.redis = redis
        self.logger = logger
    }

    /// What one batch of events has looked up already: a batch mostly holds one connection's
    /// events, and nothing it writes changes these (a status change ends the batch).
    public final class Lookups {
        var connections: [UUID: Connection?] = [:]
        var configs: [String: SyncConfig?] = [:]
        var mappings: [String: FieldMapping] = [:]
        /// The hub events the batch's processed events produced, accepted together before it commits.
        public var events: [EventStore.NewEvent] = []
        /// Set for a batch run without savepoints: the records its events carry are written
        /// together, an entity's in one `applyWebhooks`, when the batch settles (or before a
        /// deletion, or a second state of a record waiting). A failure replays the batch with
        /// savepoints, where each event writes its own at once.
        var buffersWrites = false
        var waiting: [RecordWrite] = []
        /// Each written record's outcome, by its place (its index among the batch's records:
        /// those written, then those waiting).
        var written: [Int: String] = [:]
        /// The events whose summaries name records written later, with the parts of each.
        var unsettled: [(event: UUID, parts: [SummaryPart], endsBatch: Bool)] = []

        public init() {}
    }

    /// A carried record to write, with where it goes.
    struct RecordWrite {
        var place: Int
        /// Where its hub events go among the batch's (`Lookups.events`): after those of the
        /// events processed before it, so they keep the order the events came in.
        var slot: Int
        var record: PreparedRecord
        var connection: Connection
        var entity: String
        var config: SyncConfig
    }

    /// A piece of an event's summary: text, or the outcome of a record written later.
    enum SummaryPart {
        case text(String)
        case record(Int)
    }

    public func process(
        _ claimed: InboundEventStore.Claimed,
        lookups: Lookups = Lookups(),
        on db: PostgresConnection
    ) async throws -> InboundEventStore.Outcome {
        let event = claimed.event
        let found: Connection?
        if let known = lookups.connections[event.connectionID] {
            found = known
        } else {
            found = try await connections.get(organization: event.organizationID, id: event.connectionID, on: db)
            lookups.connections[event.connectionID] = found
        }
        guard let connection = found, connection.status != .disconnected
        else { return .ignored("the connection is disconnected") }
        guard let type = registry.connector(id: event.provider) as? any WebhookInterpreting.Type else {
            return .ignored("the hub does not act on \(event.provider) webhooks")
        }
        let webhook = VerifiedWebhook(
            eventID: event.eventID,
            accountID: connection.accountID,
            eventType: event.eventType,
            payload: JSONReader.parse(event.body) ?? .null
        )
        let changes = type.changes(for: webhook)
        guard !changes.isEmpty else {
            guard type.actsOn(eventType: event.eventType) else { return .ignored("the hub does not act on \(event.eventType) events") }
            return .ignored("the \(event.eventType) event holds no object the hub can read (no id, or not the shape the provider sends)")
        }
        var done: [SummaryPart] = []
        var skipped: [String] = []
        for change in changes {
            switch change {
            case .upsert(let entity, let record):
                guard let config = try await pullingConfig(connection, entity, lookups, on: db) else {
                    skipped.append("\(entity) is not synced")
                    continue
                }
                done.append(try await write(record, entity: entity, connection: connection, config: config, lookups: lookups, on: db))
            case .delete(let entity, let externalID, let final):
                guard let config = try await pullingConfig(connection, entity, lookups, on: db) else {
                    skipped.append("\(entity) is not synced")
                    continue
                }
                // Records waiting are written first: this deletion may be of one of them.
                try await settleWrites(lookups, on: db)
                done.append(
                    .text(
                        try await delete(
                            externalID,
                            // A final deletion is dated by its receipt (on the hub's clock, a bound on
                            // the provider's): no later state of the object can exist, so an older
                            // page must not bring it back. One that can be undone is not dated.
                            at: final ? claimed.receivedAt : nil,
                            entity: entity,
                            connection: connection,
                            config: config,
                            lookups: lookups,
                            on: db
                        )
                    )
                )
            case .resync(let entity):
                guard try await pullingConfig(connection, entity, lookups, on: db) != nil else {
                    skipped.append("\(entity) is not synced")
                    continue
                }
                guard connection.status == .connected else {
                    skipped.append("the connection is \(connection.status.rawValue); no sync")
                    continue
                }
                let (job, created) = try await syncs.enqueue(
                    organization: connection.organizationID,
                    connection: connection.id,
                    entity: entity,
                    direction: .pull,
                    fullResync: false,
                    trigger: .webhook
                )
                if created {
                    // The job row is committed; an id Redis cannot take now is sent by the scheduler.
                    await SyncJobStream.publish([(job.id, connection.organizationID)], redis: redis, orMarkUnpublishedIn: syncs)
                    done.append(.text("\(entity): sync \(job.id.uuidString.lowercased()) queued"))
                } else if job.status == .running {
                    return .deferred("a sync of \(entity) is running and may have passed this change; waiting for it", delay: runningSyncDelay)
                } else {
                    done.append(.text("\(entity): sync \(job.id.uuidString.lowercased()) already queued"))
                }
            case .reauthorize(let reason):
                done.append(.text(try await reauthorize(connection, reason: reason, lookups: lookups, on: db)))
            case .announce(let type, let data, let entity):
                if let entity, try await pullingConfig(connection, entity, lookups, on: db) != nil {
                    skipped.append("\(type) is announced by the \(entity) sync")
                    continue
                }
                lookups.events.append(announcement(type, data: data, connection: connection))
                done.append(.text("\(type) announced"))
            }
        }
        if done.isEmpty { return .ignored(skipped.joined(separator: "; ")) }
        // A status change holds the connection's row until commit; a sync enqueued for it later in
        // the same batch would wait for that lock from another connection, forever.
        let changedStatus = changes.contains { if case .reauthorize = $0 { true } else { false } }
        let parts = done + skipped.map(SummaryPart.text)
        guard let summary = Self.summary(parts, lookups) else {
            // Named when its records are written (`settle`).
            lookups.unsettled.append((claimed.id, parts, changedStatus))
            return .processed("", endsBatch: changedStatus)
        }
        return .processed(summary, endsBatch: changedStatus)
    }

    /// Writes the records still waiting and names the outcomes of the events that carried them
    /// (by inbound event id), for `InboundEventStore.processBatch` to record in place of theirs.
    func settle(_ lookups: Lookups, on db: PostgresConnection) async throws -> [UUID: InboundEventStore.Outcome] {
        try await settleWrites(lookups, on: db)
        var outcomes: [UUID: InboundEventStore.Outcome] = [:]
        for (event, parts, endsBatch) in lookups.unsettled {
            outcomes[event] = .processed(Self.summary(parts, lookups) ?? "", endsBatch: endsBatch)
        }
        lookups.unsettled = []
        // The batch's hub events are timed in the order they are listed, the order their inbound
        // events came in, whenever their records were written.
        for (index, instant) in zip(lookups.events.indices, Date.microsecondSteps(lookups.events.count)) {
            lookups.events[index].occurredAt = instant
        }
        return outcomes
    }

    /// The summary, or nil while a record it names waits to be written.
    static func summary(_ parts: [SummaryPart], _ lookups: Lookups) -> String? {
        var texts: [String] = []
        for part in parts {
            switch part {
            case .text(let text): texts.append(text)
            case .record(let place):
                guard let outcome = lookups.written[place] else { return nil }
                texts.append(outcome)
            }
        }
        return texts.joined(separator: "; ")
    }

    /// The entity's sync configuration if it is enabled and pulls, read in the batch's transaction.
    func pullingConfig(_ connection: Connection, _ entity: String, _ lookups: Lookups, on db: PostgresConnection) async throws -> SyncConfig? {
        let key = "\(connection.id)/\(entity)"
        let config: SyncConfig?
        if let known = lookups.configs[key] {
            config = known
        } else {
            config = try await syncs.config(organization: connection.organizationID, connection: connection.id, entity: entity, on: db)
            lookups.configs[key] = config
        }
        guard let config, config.enabled, config.direction != .push else { return nil }
        return config
    }

    /// The connection's mapping of an entity, built once per batch.
    func mapping(_ connection: Connection, _ entity: String, _ config: SyncConfig, _ lookups: Lookups) throws -> FieldMapping {
        let key = "\(connection.id)/\(entity)"
        if let known = lookups.mappings[key] { return known }
        guard let type = registry.connector(id: connection.provider) as? any DataConnector.Type else {
            throw InboundEventStore.ProcessingFailure(message: "the hub cannot sync \(connection.provider) records")
        }
        do {
            let mapping = try SyncMapping.effective(connectorType: type, entity: entity, override: config.fieldMappings)
            lookups.mappings[key] = mapping
            return mapping
        } catch {
            throw InboundEventStore.ProcessingFailure(message: error.message)
        }
    }

    /// Writes a carried record with the connection's mapping, at once or, when the batch buffers
    /// writes, with the others of the batch (`settleWrites`); a second state of a record waiting is
    /// written after the first. The part of the summary that names its outcome.
    func write(
        _ record: ProviderRecord,
        entity: String,
        connection: Connection,
        config: SyncConfig,
        lookups: Lookups,
        on db: PostgresConnection
    ) async throws -> SummaryPart {
        let mapping = try self.mapping(connection, entity, config, lookups)
        let prepared = PreparedRecord.prepare([record], mapping: mapping)[0]
        let waits = lookups.waiting.contains {
            $0.connection.id == connection.id && $0.entity == entity && $0.record.externalID == prepared.externalID
        }
        if waits { try await settleWrites(lookups, on: db) }
        let place = lookups.written.count + lookups.waiting.count
        lookups.waiting.append(
            RecordWrite(place: place, slot: lookups.events.count, record: prepared, connection: connection, entity: entity, config: config)
        )
        if !lookups.buffersWrites { try await settleWrites(lookups, on: db) }
        return .record(place)
    }

    /// Writes the records waiting, one `applyWebhooks` per connection and entity, names each
    /// outcome, and queues the hub events for what changed, accepted before the batch commits.
    func settleWrites(_ lookups: Lookups, on db: PostgresConnection) async throws {
        let waiting = lookups.waiting
        lookups.waiting = []
        var placed: [(slot: Int, place: Int, event: EventStore.NewEvent)] = []
        var groups: [[RecordWrite]] = []
        var groupOf: [String: Int] = [:]
        for write in waiting {
            let key = "\(write.connection.id)/\(write.entity)"
            if let index = groupOf[key] {
                groups[index].append(write)
            } else {
                groupOf[key] = groups.count
                groups.append([write])
            }
        }
        for group in groups {
            let (connection, entity) = (group[0].connection, group[0].entity)
            let records = group.map(\.record)
            let (result, older) = try await self.records.applyWebhooks(
                records,
                scope: scope(connection, entity, group[0].config),
                on: db
            )
            let changes = Dictionary(result.changes.map { ($0.externalID, $0.kind) }, uniquingKeysWith: { first, _ in first })
            let conflicts = Dictionary(result.conflicts.map { ($0.externalID, $0.winner) }, uniquingKeysWith: { first, _ in first })
            for write in group {
                let id = write.record.externalID
                lookups.written[write.place] =
                    if older.contains(id) {
                        "\(entity) \(id): the store holds a newer state"
                    } else if let kind = changes[id] {
                        "\(entity) \(id) \(kind.rawValue)"
                    } else if let winner = conflicts[id] {
                        "\(entity) \(id): changed on both sides; \(winner) kept"
                    } else {
                        "\(entity) \(id) unchanged"
                    }
            }
            let slots = Dictionary(group.map { ($0.record.externalID, ($0.slot, $0.place)) }, uniquingKeysWith: { first, _ in first })
            for (change, event) in zip(result.changes, entityEvents(for: result, connection: connection, entity: entity, records: records)) {
                if let (slot, place) = slots[change.externalID] { placed.append((slot, place, event)) }
            }
        }
        // Last slot first, so that each insertion leaves the earlier slots where they were; one
        // slot's events in the order of their records.
        for (slot, _, event) in placed.sorted(by: { ($0.slot, $0.place) > ($1.slot, $1.place) }) {
            lookups.events.insert(event, at: slot)
        }
    }

    /// Marks a record deleted and queues the hub event if it was stored.
    func delete(
        _ externalID: String,
        at deletedAt: Date?,
        entity: String,
        connection: Connection,
        config: SyncConfig,
        lookups: Lookups,
        on db: PostgresConnection
    ) async throws -> String {
        let result = try await records.applyPull(
            [],
            deletedIDs: [externalID],
            deletedAt: deletedAt,
            scope: scope(connection, entity, config),
            on: db
        )
        lookups.events += entityEvents(for: result, connection: connection, entity: entity, records: [])
        if let change = result.changes.first { return "\(entity) \(externalID) \(change.kind.rawValue)" }
        return "\(entity) \(externalID) unchanged"
    }

    func scope(_ connection: Connection, _ entity: String, _ config: SyncConfig) -> RecordStore.Scope {
        RecordStore.Scope(
            organization: connection.organizationID,
            connection: connection.id,
            entity: entity,
            seenJob: nil,
            conflictPolicy: config.conflictPolicy
        )
    }

    /// The hub events of what a write changed, one per change, in the order of `result.changes`.
    func entityEvents(for result: RecordStore.PageResult, connection: Connection, entity: String, records: [PreparedRecord]) -> [EventStore.NewEvent]
    {
        EntityEvents.events(
            for: result,
            organization: connection.organizationID,
            connection: connection.id,
            provider: connection.provider,
            entity: entity,
            records: records
        )
        .map { EventStore.NewEvent(id: $0.id, organizationID: $0.organizationID, type: $0.type, data: $0.data, source: .hub) }
    }

    /// A business event a provider webhook is (`payment.received`, `dispute.created`), naming the
    /// connection it came through. Stored once per inbound event: its row commits with the event.
    func announcement(_ type: String, data: JSONValue, connection: Connection) -> EventStore.NewEvent {
        var fields = data.objectValue ?? [:]
        fields["connection_id"] = .string(connection.id.uuidString.lowercased())
        fields["provider"] = .string(connection.provider)
        return EventStore.NewEvent(organizationID: connection.organizationID, type: type, data: .object(fields), source: .hub)
    }

    /// Marks the connection `reauth_required` with the provider's reason and announces it once.
    func reauthorize(_ connection: Connection, reason: String, lookups: Lookups, on db: PostgresConnection) async throws -> String {
        guard connection.status != .reauthRequired || connection.statusReason != reason else { return "already awaiting reauthorization" }
        guard
            try await connections.setStatus(
                organization: connection.organizationID,
                id: connection.id,
                to: .reauthRequired,
                reason: reason,
                actor: "webhook-service",
                on: db
            ) != nil
        else { return "the connection is disconnected" }
        lookups.events.append(
            EventStore.NewEvent(
                organizationID: connection.organizationID,
                type: "connection.reauth_required",
                data: [
                    "connection_id": .string(connection.id.uuidString.lowercased()), "provider": .string(connection.provider),
                    "reason": .string(reason),
                ],
                source: .hub
            )
        )
        return "connection marked reauth_required"
    }
}
