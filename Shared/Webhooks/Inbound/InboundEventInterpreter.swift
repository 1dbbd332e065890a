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

        public init() {}
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
        guard !changes.isEmpty else { return .ignored("the hub does not act on \(event.eventType) events") }
        var done: [String] = []
        var skipped: [String] = []
        for change in changes {
            switch change {
            case .upsert(let entity, let record):
                guard let config = try await pullingConfig(connection, entity, lookups, on: db) else {
                    skipped.append("\(entity) is not synced")
                    continue
                }
                done.append(
                    try await write(entity: entity, record: record, deletion: nil, connection: connection, config: config, lookups: lookups, on: db)
                )
            case .delete(let entity, let externalID, let final):
                guard let config = try await pullingConfig(connection, entity, lookups, on: db) else {
                    skipped.append("\(entity) is not synced")
                    continue
                }
                done.append(
                    try await write(
                        entity: entity,
                        record: nil,
                        // A final deletion is dated by its receipt (on the hub's clock, a bound on the
                        // provider's): no later state of the object can exist, so an older page
                        // must not bring it back. One that can be undone is not dated.
                        deletion: (externalID, at: final ? claimed.receivedAt : nil),
                        connection: connection,
                        config: config,
                        lookups: lookups,
                        on: db
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
                    // The job row is committed; a lost publish is re-sent by the scheduler's sweep.
                    try? await SyncJobStream.publish([(job.id, connection.organizationID)], redis: redis)
                    done.append("\(entity): sync \(job.id.uuidString.lowercased()) queued")
                } else if job.status == .running {
                    return .deferred("a sync of \(entity) is running and may have passed this change; waiting for it", delay: runningSyncDelay)
                } else {
                    done.append("\(entity): sync \(job.id.uuidString.lowercased()) already queued")
                }
            case .reauthorize(let reason):
                done.append(try await reauthorize(connection, reason: reason, lookups: lookups, on: db))
            case .announce(let type, let data, let entity):
                if let entity, try await pullingConfig(connection, entity, lookups, on: db) != nil {
                    skipped.append("\(type) is announced by the \(entity) sync")
                    continue
                }
                lookups.events.append(announcement(type, data: data, connection: connection))
                done.append("\(type) announced")
            }
        }
        if done.isEmpty { return .ignored(skipped.joined(separator: "; ")) }
        // A status change holds the connection's row until commit; a sync enqueued for it later in
        // the same batch would wait for that lock from another connection, forever.
        let changedStatus = changes.contains { if case .reauthorize = $0 { true } else { false } }
        return .processed((done + skipped).joined(separator: "; "), endsBatch: changedStatus)
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

    /// Writes a carried record or a deletion to the store with the connection's mapping, and
    /// queues the hub events for what changed, accepted before the batch commits.
    func write(
        entity: String,
        record: ProviderRecord?,
        deletion: (externalID: String, at: Date?)?,
        connection: Connection,
        config: SyncConfig,
        lookups: Lookups,
        on db: PostgresConnection
    ) async throws -> String {
        let scope = RecordStore.Scope(
            organization: connection.organizationID,
            connection: connection.id,
            entity: entity,
            seenJob: nil,
            conflictPolicy: config.conflictPolicy
        )
        var prepared: [PreparedRecord] = []
        let result: RecordStore.PageResult
        if let record {
            let mapping = try self.mapping(connection, entity, config, lookups)
            prepared = PreparedRecord.prepare([record], mapping: mapping)
            guard let applied = try await records.applyWebhook(prepared[0], scope: scope, on: db) else {
                return "\(entity) \(record.externalID): the store holds a newer state"
            }
            result = applied
        } else if let deletion {
            result = try await records.applyPull([], deletedIDs: [deletion.externalID], deletedAt: deletion.at, scope: scope, on: db)
        } else {
            return "\(entity): nothing"
        }
        let events = EntityEvents.events(
            for: result,
            organization: connection.organizationID,
            connection: connection.id,
            provider: connection.provider,
            entity: entity,
            records: prepared
        )
        lookups.events += events.map {
            EventStore.NewEvent(id: $0.id, organizationID: $0.organizationID, type: $0.type, data: $0.data, source: .hub)
        }
        let id = record?.externalID ?? deletion?.externalID ?? ""
        if let change = result.changes.first { return "\(entity) \(id) \(change.kind.rawValue)" }
        if let conflict = result.conflicts.first { return "\(entity) \(id): changed on both sides; \(conflict.winner) kept" }
        return "\(entity) \(id) unchanged"
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
