import Foundation
import HubConnections
import HubSync
import Logging
import ServiceLifecycle

/// Moves events from the PostgreSQL outbox to the event stream, as fast as they come; every
/// replica runs one (they share the rows without overlap).
struct OutboxRelay: Service {
    let outbox: EventOutbox
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let moved = try await outbox.relay(limit: 1_000)
                    if moved < 1_000 { try await Task.sleep(for: .milliseconds(100)) }
                } catch is CancellationError {
                    break
                } catch {
                    logger.warning("event relay failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }
}
