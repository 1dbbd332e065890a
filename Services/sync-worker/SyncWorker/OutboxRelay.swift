import Foundation
import HubConnections
import HubCore
import HubSync
import Logging
import ServiceLifecycle

/// Moves events from the PostgreSQL outbox to the event stream, as fast as they come; every
/// replica runs one (they share the rows without overlap). It stops only when its own task is
/// cancelled: a `CancellationError` from below (a driver's cancelled stream) is a failed pass,
/// logged and retried, not a reason to stop relaying for the life of the process. A pass still
/// running after `passDeadline` is abandoned as failed: a statement stuck on a connection that
/// died with PostgreSQL once held the relay for good, and every event after it with it.
struct OutboxRelay: Service {
    let outbox: EventOutbox
    let logger: Logger
    var passDeadline: Duration = .seconds(30)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let moved = try await withDeadline(passDeadline, "relaying hub events") { [outbox] in try await outbox.relay() }
                    if moved.rows < EventOutbox.rowsPerRelay { try await Task.sleep(for: .milliseconds(100)) }
                } catch {
                    // Stopping: PostgresNIO reports a cancelled query as its own error, not CancellationError.
                    if Task.isCancelled { break }
                    logger.warning("event relay failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }
}

/// Deletes outbox rows relayed longer than `retention` ago (`HUB_SYNC_OUTBOX_RETENTION_MINUTES`),
/// on start and then every minute, in bounded batches. Each replica runs one: a pass reads only
/// the rows it deletes (an index range scan) and skips rows another pass holds. A failed pass is
/// logged and the next one comes on time.
struct OutboxPrune: Service {
    let outbox: EventOutbox
    let retention: Duration
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await PruneLoop(every: interval, logger: logger).run(pruning: "relayed outbox events") {
                let pruned = try await outbox.prune(relayedBefore: retention)
                return pruned > 0 ? ["events": "\(pruned)"] : nil
            }
        }
    }
}
