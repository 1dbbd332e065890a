import Foundation
import HubConnections
import Logging
import ServiceLifecycle

/// Refreshes access tokens ahead of expiry: every interval, the connections whose token expires
/// within the refresh window, soonest first. Safe with any number of oauth-service replicas: the
/// broker's per-connection lock and re-read make a second refresher use the first one's result.
struct TokenRefreshService: Service {
    let lifecycle: ConnectionLifecycle
    let interval: Duration
    let window: TimeInterval
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await refreshDue()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// One pass; returns how many tokens were refreshed or confirmed fresh.
    @discardableResult
    func refreshDue(limit: Int = 200) async -> Int {
        let due: [(organization: UUID, id: UUID)]
        do {
            due = try await lifecycle.repository.expiring(before: Date().addingTimeInterval(window), limit: limit)
        } catch {
            logger.warning("could not list expiring tokens", metadata: ["error": "\(error)"])
            return 0
        }
        var done = 0
        for (organization, id) in due {
            do {
                guard let connection = try await lifecycle.repository.get(organization: organization, id: id) else { continue }
                _ = try await lifecycle.tokens.freshCredentials(for: connection, actor: "oauth-service")
                done += 1
            } catch {
                logger.warning("token refresh failed", metadata: ["connection_id": "\(id)", "error": "\(String(describing: Swift.type(of: error)))"])
            }
        }
        return done
    }
}
