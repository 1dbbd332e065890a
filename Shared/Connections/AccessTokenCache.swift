import Foundation
import Synchronization

/// Access tokens a service got from oauth-service, kept until shortly before they expire so a
/// busy connection does not ask for every call. Keyed by connection and the version of the stored
/// credentials the token was asked for: credentials replaced since (a re-authorization) never
/// get an old token. Bounded: past `capacity` entries, the expired go first, then the soonest to
/// expire.
public final class AccessTokenCache: Sendable {
    struct Key: Hashable {
        var connection: UUID
        var credentialVersion: Int64
    }

    struct Entry {
        var token: String
        /// When the token stops being handed out: its expiry less the margin; nil when the
        /// provider gave no expiry.
        var usableUntil: Date?
    }

    let capacity: Int
    /// How long before its expiry a token stops being used.
    let margin: TimeInterval
    private let entries = Mutex<[Key: Entry]>([:])

    public init(capacity: Int = 10_000, margin: Duration = .seconds(60)) {
        self.capacity = max(1, capacity)
        self.margin = TimeInterval(margin.components.seconds)
    }

    func token(connection: UUID, credentialVersion: Int64, now: Date = Date()) -> String? {
        entries.withLock { entries in
            let key = Key(connection: connection, credentialVersion: credentialVersion)
            guard let entry = entries[key] else { return nil }
            if let until = entry.usableUntil, until <= now {
                entries[key] = nil
                return nil
            }
            return entry.token
        }
    }

    func store(_ token: String, expiresAt: Date?, connection: UUID, credentialVersion: Int64, now: Date = Date()) {
        let usableUntil = expiresAt.map { $0.addingTimeInterval(-margin) }
        // A token already inside the margin would never be handed out.
        if let usableUntil, usableUntil <= now { return }
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.usableUntil.map { $0 > now } ?? true }
            }
            while entries.count >= capacity,
                let soonest = entries.min(by: { ($0.value.usableUntil ?? .distantFuture) < ($1.value.usableUntil ?? .distantFuture) })
            {
                entries[soonest.key] = nil
            }
            entries[Key(connection: connection, credentialVersion: credentialVersion)] = Entry(token: token, usableUntil: usableUntil)
        }
    }

    /// Forgets every token of a connection (the provider refused one).
    func drop(connection: UUID) {
        entries.withLock { entries in
            entries = entries.filter { $0.key.connection != connection }
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
