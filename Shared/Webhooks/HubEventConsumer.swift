import Foundation
import HubConnections
import HubCore
import HubRedis
import Logging
import ServiceLifecycle

/// Consumes the hub's own events from the `hub:events` stream (what `HubEventPublisher` and the
/// sync outbox relay write) in the consumer group `webhook-service`: each entry is accepted as an
/// event with its deliveries, durably, before it is acknowledged. The event id comes from the
/// entry's `id` field (`evt_<uuid>`), or from the entry id when it has none, so an entry read twice
/// (a consumer that died before acknowledging) makes one event.
public struct HubEventConsumer: Service {
    public static let group = "webhook-service"

    let queue: RedisStreamQueue
    let events: EventStore
    let wakeup: DeliveryWakeup
    let consumer: String
    let claimIdle: Duration
    /// Whether the schema is migrated; nothing is read before.
    let schemaReady: @Sendable () -> Bool
    let logger: Logger

    public init(
        redis: RedisClient, events: EventStore, wakeup: DeliveryWakeup, consumer: String, claimIdle: Duration = .seconds(30),
        schemaReady: @escaping @Sendable () -> Bool = { true }, logger: Logger
    ) {
        self.queue = RedisStreamQueue(client: redis, stream: HubEventPublisher.stream, group: Self.group)
        self.events = events
        self.wakeup = wakeup
        self.consumer = consumer
        self.claimIdle = claimIdle
        self.schemaReady = schemaReady
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var groupReady = false
            while !Task.isCancelled {
                guard schemaReady() else {
                    try? await Task.sleep(for: .milliseconds(200))
                    continue
                }
                do {
                    // Made again after a failure: a flushed Redis loses the group with the stream.
                    if !groupReady {
                        try await queue.ensureGroup()
                        groupReady = true
                    }
                    var entries = try await queue.claimAbandoned(consumer: consumer, minIdle: claimIdle, count: 100)
                    if entries.isEmpty {
                        entries = try await queue.receive(consumer: consumer, count: 100, block: .seconds(2))
                    }
                    try await handle(entries)
                } catch is CancellationError {
                    return
                } catch {
                    groupReady = false
                    logger.warning("hub event stream not readable; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    func handle(_ entries: [RedisStreamEntry]) async throws {
        guard !entries.isEmpty else { return }
        for entry in entries {
            if let event = Self.event(from: entry) {
                do {
                    // Handed to this process's dispatcher, or the workers are woken to claim it.
                    _ = try await events.accept(event, wakeup: wakeup)
                } catch let refusal as APIError {
                    // An id already used by another organization: never that organization's event.
                    logger.warning("hub event refused", metadata: ["entry_id": "\(entry.id)", "reason": "\(refusal.code)"])
                }
            } else {
                logger.warning("malformed hub event dropped", metadata: ["entry_id": "\(entry.id)"])
            }
        }
        try await queue.acknowledge(entries.map(\.id))
    }

    /// The event an entry carries, or nil when it lacks a type or an organization.
    static func event(from entry: RedisStreamEntry) -> EventStore.NewEvent? {
        guard let type = entry.fields["type"], !type.isEmpty, let orgText = entry.fields["org_id"],
            let organization = UUID(uuidString: orgText)
        else { return nil }
        let id: UUID
        if let text = entry.fields["id"], text.hasPrefix("evt_"), let parsed = UUID(uuidString: String(text.dropFirst(4))) {
            id = parsed
        } else {
            id = Self.uuid(derivedFrom: "hub:events/" + entry.id)
        }
        var data: JSONValue = [:]
        if let text = entry.fields["data"] {
            data = (try? JSONDecoder.hub.decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
        }
        var occurred = Date()
        if let text = entry.fields["occurred_at"], let date = try? Date(text, strategy: .iso8601) { occurred = date }
        return EventStore.NewEvent(id: id, organizationID: organization, type: type, data: data, source: .hub, occurredAt: occurred)
    }

    /// A stable UUID for a name (the first 16 bytes of its SHA-256, marked version 8).
    static func uuid(derivedFrom name: String) -> UUID {
        var bytes = Array(sha256(Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
