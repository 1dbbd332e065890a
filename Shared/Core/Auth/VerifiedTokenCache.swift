import Foundation
import Synchronization

/// Tokens that passed verification, with the identity they carry, until their `exp`. A client
/// sends the same bearer token on every request of its session, so its signature and claims are
/// checked once per token rather than on every request.
/// Only verified tokens are kept, keyed by the whole token (a token differing in one byte is
/// verified afresh), and an entry is never served at or past its expiry. Bounded: when full,
/// the cache starts over, which costs one verification per active token.
final class VerifiedTokenCache: Sendable {
    private struct Entry {
        var identity: Identity
        var expiresAt: Date
    }

    private let entries = Mutex([String: Entry]())
    private let capacity: Int

    init(capacity: Int = 4_096) {
        self.capacity = capacity
    }

    func identity(for token: String, now: Date = Date()) -> Identity? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.expiresAt else {
                entries[token] = nil
                return nil
            }
            return entry.identity
        }
    }

    func remember(_ token: String, identity: Identity, expiresAt: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(identity: identity, expiresAt: expiresAt)
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
