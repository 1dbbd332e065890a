import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubRedis
import Logging
import PostgresNIO
import ServiceLifecycle

/// Processes stored inbound events off the request path, oldest first, several at once, on any
/// number of replicas. Each event is handled in the transaction that holds it: a record the
/// event carries is written to the store as a pull would write it (with the same conflict rules
/// and the hub's entity event, accepted for delivery in that transaction); a change it does not
/// carry triggers an incremental sync; a revoked login marks the connection. A crash rolls the
/// whole event back, to be processed again.
public struct InboundEventProcessor: Service {
    let store: InboundEventStore
    let interpreter: InboundEventInterpreter
    let wakeup: DeliveryWakeup
    let deliveries: DeliveryWakeup
    let concurrency: Int
    let maxAttempts: Int
    /// How long finished events are kept before `pruneLoop` deletes them.
    let retention: Duration
    /// Events per transaction: one commit for all of them.
    let batchSize = 50
    /// Longest one batch's transaction may take before the loop goes on without it.
    let batchDeadline: Duration
    let logger: Logger

    /// - Parameters:
    ///   - wakeup: signalled when an event is stored in this process.
    ///   - deliveries: signalled after an event was processed, so the hub events it produced are sent at once.
    ///   - batchDeadline: how long one batch's transaction may take before the loop goes on without it.
    public init(
        store: InboundEventStore,
        interpreter: InboundEventInterpreter,
        wakeup: DeliveryWakeup,
        deliveries: DeliveryWakeup,
        concurrency: Int = 2,
        maxAttempts: Int = 8,
        retention: Duration = .seconds(30 * 86_400),
        batchDeadline: Duration = .seconds(HubConfiguration.inboundBatchDeadlineSeconds),
        logger: Logger
    ) {
        self.store = store
        self.interpreter = interpreter
        self.wakeup = wakeup
        self.deliveries = deliveries
        self.concurrency = max(1, concurrency)
        self.maxAttempts = maxAttempts
        self.retention = retention
        self.batchDeadline = batchDeadline
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask { await loop() }
                }
                group.addTask { await pruneLoop() }
            }
        }
    }

    func loop() async {
        while !Task.isCancelled {
            do {
                // A transaction stuck on a connection that died must not stop this loop for good:
                // its rows stay locked by it, and others are processed meanwhile.
                if try await withDeadline(batchDeadline, "processing inbound webhooks", { try await processBatch() }) {
                    deliveries.signal()
                    continue
                }
            } catch {
                if Task.isCancelled { return }  // stopping
                logger.error("inbound event processing failed", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
            // Other replicas' events, and retries coming due, are found by the poll.
            await wakeup.wait(timeout: .seconds(1))
        }
    }

    /// Deletes finished events past the retention every 10 minutes (`PruneLoop`), so the table
    /// (raw provider bodies) does not grow forever.
    func pruneLoop() async {
        await PruneLoop(logger: logger).run(pruning: "inbound events") {
            let deleted = try await store.prune(olderThan: retention)
            return deleted > 0 ? ["deleted": "\(deleted)"] : nil
        }
    }

    /// Processes the next due events, up to `batchSize` in one transaction; whether there were any.
    /// A batch runs without savepoints first; one whose event fails is rolled back and run again
    /// with them, so the others commit and the failure is counted (`InboundEventStore.processBatch`).
    public func processBatch() async throws -> Bool {
        do {
            return try await processBatch(savepoints: false)
        } catch is InboundEventStore.ReplayWithSavepoints {
            return try await processBatch(savepoints: true)
        }
    }

    /// One run of a batch, with its own lookups: a replay must not see the hub events of the run
    /// rolled back.
    func processBatch(savepoints: Bool) async throws -> Bool {
        let lookups = InboundEventInterpreter.Lookups()
        lookups.buffersWrites = !savepoints
        let taken = try await store.processBatch(
            limit: batchSize,
            maxAttempts: maxAttempts,
            retryAfter: Self.backoff,
            savepoints: savepoints
        ) { event, db in
            // A failed event's work is rolled back, its hub events with it.
            let mark = lookups.events.count
            do {
                return try await interpreter.process(event, lookups: lookups, on: db)
            } catch {
                lookups.events.removeSubrange(mark...)
                throw error
            }
        } settle: { db in
            try await interpreter.settle(lookups, on: db)
        } beforeCommit: { db in
            guard !lookups.events.isEmpty else { return }
            // One statement for the batch's hub events (the outbox of their deliveries).
            _ = try await EventStore.accept(lookups.events, ticket: nil, on: db, logger: logger)
        }
        return taken > 0
    }

    /// 2 s, 4 s, 8 s … capped at 10 minutes.
    static func backoff(attempt: Int) -> Duration {
        .seconds(min(600, 1 << min(attempt, 10)))
    }
}
