import Foundation
import HubConnections
import Synchronization

/// The connections a provider account routes to, remembered for a few seconds so a burst of
/// webhooks for one account does not look them up once each. Only found routes are kept: a
/// connection made a moment ago gets its events at once. A connection disconnected within the
/// lifetime may still get an event stored; processing checks the connection and ignores it.
final class ConnectionRouteCache: Sendable {
    private struct Entry {
        var connections: [Connection]
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex([String: Entry]())
    private let lifetime: Duration
    private let capacity: Int

    init(lifetime: Duration = .seconds(5), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func connections(provider: String, account: String, load: () async throws -> [Connection]) async throws -> [Connection] {
        let key = provider + "\u{0}" + account
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.expires > now { return entry.connections }
        let found = try await load()
        guard !found.isEmpty else { return found }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(connections: found, expires: now + lifetime)
        }
        return found
    }
}
