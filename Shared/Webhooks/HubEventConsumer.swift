import Foundation
import HubConnections
import HubCore
import HubRedis
import HubSync
import Logging
import ServiceLifecycle
import Synchronization

/// Consumes the hub's own events from the `hub:events` stream (what `HubEventPublisher` and the
/// sync outbox relay write) in the consumer group `webhook-service`: each entry is accepted as an
/// event with its deliveries, durably, before it is acknowledged. The event id comes from the
/// entry's `id` field (`evt_<uuid>`), or from the entry id when it has none, so an entry read twice
/// (a consumer that died before acknowledging) makes one event.
///
/// Redis is disposable: when the group had to be made (at first, or after Redis lost the stream),
/// or Redis restarted (perhaps from a snapshot older than the stream's newest entries:
/// `RedisStreamQueue.detectRestart`), the entries the relay had written may be gone, so the consumer has the outbox
/// send again every relayed row it still keeps (`EventOutbox.resendRelayed`); the events that had
/// arrived already are absorbed by EventStore (one event per id). The key `outboxResentKey` is
/// set only once that resend committed, and a flush deletes it with the stream: a consumer that
/// finds it missing (checked when it starts and every `resendCheckInterval`) resends, so a crash
/// between the group being made and the resend committing loses nothing either. At the same pace
/// it records how far the group has consumed the stream (`EventOutbox.recordConsumed`): the outbox
/// keeps the rows relayed after that, however long this consumer is down.
public struct HubEventConsumer: Service {
    public static let group = "webhook-service"
    /// Present while the outbox was resent since this Redis last lost its data.
    public static let outboxResentKey = "hub:events:outbox-resent"

    /// Set when this consumer's queue made the group; taken by the loop that resends.
    final class LostStream: Sendable {
        let flag = Mutex(false)
        func set() { flag.withLock { $0 = true } }
        func take() -> Bool {
            flag.withLock { value in
                defer { value = false }
                return value
            }
        }
    }

    let queue: RedisStreamQueue
    let redis: RedisClient
    let events: EventStore
    let lost: LostStream
    let resendCheckInterval: Duration
    let wakeup: DeliveryWakeup
    let consumer: String
    let claimIdle: Duration
    /// How long the resend and the progress mark may take before they are abandoned (a statement
    /// on a connection that died with PostgreSQL), so the loop goes on and tries again.
    let storeDeadline: Duration
    let logger: Logger

    public init(
        redis: RedisClient,
        events: EventStore,
        wakeup: DeliveryWakeup,
        consumer: String,
        claimIdle: Duration = .seconds(30),
        resendCheckInterval: Duration = .seconds(10),
        storeDeadline: Duration = .seconds(60),
        logger: Logger
    ) {
        let lost = LostStream()
        self.lost = lost
        self.queue = RedisStreamQueue(client: redis, stream: HubEventPublisher.stream, group: Self.group) {
            // The key goes first: should this process stop before the resend, the next start resends.
            _ = try? await redis.del(Self.outboxResentKey)
            lost.set()
        }
        self.redis = redis
        self.events = events
        self.resendCheckInterval = resendCheckInterval
        self.wakeup = wakeup
        self.consumer = consumer
        self.claimIdle = claimIdle
        self.storeDeadline = storeDeadline
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var groupReady = false
            var nextResendCheck = ContinuousClock.now
            while !Task.isCancelled {
                do {
                    // Made again after a failure: a flushed Redis loses the group with the stream.
                    if !groupReady {
                        try await queue.ensureGroup()
                        groupReady = true
                    }
                    // A restart that loaded an older snapshot keeps the group but not the newest entries.
                    if ContinuousClock.now >= nextResendCheck { try await queue.detectRestart() }
                    // After the group exists, so every entry the relay sends again is read.
                    let lostHere = lost.take()
                    if lostHere || ContinuousClock.now >= nextResendCheck {
                        do {
                            try await withDeadline(storeDeadline, "resending the outbox") { try await resendOutboxIfLost(known: lostHere) }
                        } catch {
                            if lostHere { lost.set() }
                            throw error
                        }
                        try await withDeadline(storeDeadline, "recording the hub event stream's progress") { try await recordProgress() }
                        nextResendCheck = ContinuousClock.now + resendCheckInterval
                    }
                    var entries = try await queue.claimAbandoned(consumer: consumer, minIdle: claimIdle, count: 100)
                    if entries.isEmpty {
                        entries = try await queue.receive(consumer: consumer, count: 100, block: .seconds(2))
                    }
                    try await handle(entries)
                } catch is CancellationError where Task.isCancelled {
                    return
                } catch {
                    groupReady = false
                    logger.warning("hub event stream not readable; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Has the outbox send again every relayed row it keeps when the stream was lost: when this
    /// consumer made the group (`known`), or when `outboxResentKey` is missing (another consumer
    /// made it and has not resent yet, or stopped before it did). Sets the key once the resend
    /// committed.
    func resendOutboxIfLost(known: Bool) async throws {
        if !known, try await redis.exists(Self.outboxResentKey) > 0 { return }
        let resent = try await EventOutbox.resendRelayed(client: events.client, logger: logger)
        try await redis.set(Self.outboxResentKey, "1")
        logger.notice("hub event stream made again: relayed outbox events sent again", metadata: ["events": "\(resent)"])
    }

    /// Tells the outbox how far the group has consumed the stream, so it keeps every relayed row
    /// the group has not read yet (`EventOutbox.prune`).
    func recordProgress() async throws {
        guard let through = try await queue.consumedThrough() else { return }
        try await EventOutbox.recordConsumed(through: through, client: events.client, logger: logger)
    }

    /// An entry's id and the event it carries.
    typealias Pending = (entry: String, event: EventStore.NewEvent)

    /// Accepts the events of one read together, so they share the EventStore's transactions
    /// (one commit for many entries, not one each), then acknowledges every entry whose event
    /// committed, was refused (an id another organization holds: logged, never retried) or was malformed (dropped).
    /// Entries that failed otherwise stay pending to be read again, and the first such error is
    /// thrown once the others are acknowledged.
    func handle(_ entries: [RedisStreamEntry]) async throws {
        guard !entries.isEmpty else { return }
        var done: [String] = []
        var parsed: [Pending] = []
        for entry in entries {
            if let event = Self.event(from: entry) {
                parsed.append((entry.id, event))
            } else {
                logger.warning("malformed hub event dropped", metadata: ["entry_id": "\(entry.id)"])
                done.append(entry.id)
            }
        }
        var failure: (any Error)?
        for round in Self.rounds(parsed) {
            for (entry, error) in await accept(round) {
                guard let error else {
                    done.append(entry)
                    continue
                }
                if error as? WebhookError == .eventIDConflict {
                    // An id already used by another organization: never that organization's event.
                    logger.warning("hub event refused", metadata: ["entry_id": "\(entry)", "reason": "event_id_conflict"])
                    done.append(entry)
                } else if failure == nil {
                    failure = error
                }
            }
        }
        if !done.isEmpty { try await queue.acknowledge(done) }
        if let failure { throw failure }
    }

    /// Accepts `events` concurrently (the EventStore batches concurrent submissions); returns each
    /// entry with the error that refused its event, or nil once the event committed.
    func accept(_ events: [Pending]) async -> [(entry: String, error: (any Error)?)] {
        await withTaskGroup(of: (entry: String, error: (any Error)?).self) { group in
            for (entry, event) in events {
                group.addTask {
                    do {
                        // Handed to this process's dispatcher, or the workers are woken to claim it.
                        _ = try await self.events.accept(event, wakeup: wakeup)
                        return (entry, nil)
                    } catch {
                        return (entry, error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// The events in rounds in which no event id repeats: the n-th entry carrying an id goes in
    /// round n, accepted after the earlier one committed, as the duplicate it is (one batch must
    /// not hold an id twice, and a forged id of another organization is still refused).
    static func rounds(_ events: [Pending]) -> [[Pending]] {
        var rounds: [[Pending]] = []
        var seen: [UUID: Int] = [:]
        for item in events {
            let round = seen[item.event.id, default: 0]
            seen[item.event.id] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(item)
        }
        return rounds
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
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }
}
