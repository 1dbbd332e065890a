import Synchronization

/// Stripe's idempotent requests: the first response to a POST carrying an `Idempotency-Key` is
/// kept for 24 hours and replayed for a repeat with the same parameters; a repeat with other
/// parameters is refused (`idempotency_error`), and one that arrives while the first is still
/// running gets a 409. Results of requests refused before they ran (bad parameters) are not kept,
/// so the caller may fix them and reuse the key, as Stripe allows.
final class StripeIdempotency: Sendable {
    struct Saved: Sendable {
        var status: Int
        var body: [UInt8]
    }

    enum Outcome: Sendable {
        /// A new key: run the request, then `finish` it.
        case proceed
        case replay(Saved)
        case mismatch
        case inUse
    }

    private struct Entry {
        var fingerprint: String
        var savedAt: Int
        var response: Saved?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Keys in the order they were saved, for expiry.
        var expiry: [(savedAt: Int, key: String)] = []
        var expiryStart = 0
    }

    static let retention = 24 * 3600

    private let state = Mutex(State())

    /// `fingerprint` identifies the request: method, path and its parameters in a canonical order.
    func begin(key: String, fingerprint: String, now: Int) -> Outcome {
        state.withLock { state in
            Self.expire(&state, now: now)
            guard let entry = state.entries[key] else {
                state.entries[key] = Entry(fingerprint: fingerprint, savedAt: now, response: nil)
                state.expiry.append((now, key))
                return .proceed
            }
            guard entry.fingerprint == fingerprint else { return .mismatch }
            guard let response = entry.response else { return .inUse }
            return .replay(response)
        }
    }

    /// Saves the response to replay, or forgets the key (`nil`) when the request did not run.
    func finish(key: String, response: Saved?) {
        state.withLock { state in
            if let response {
                state.entries[key]?.response = response
            } else {
                state.entries[key] = nil
            }
        }
    }

    func removeAll() {
        state.withLock { $0 = State() }
    }

    private static func expire(_ state: inout State, now: Int) {
        while state.expiryStart < state.expiry.count, state.expiry[state.expiryStart].savedAt <= now - retention {
            let key = state.expiry[state.expiryStart].key
            if let entry = state.entries[key], entry.savedAt <= now - retention { state.entries[key] = nil }
            state.expiryStart += 1
        }
        if state.expiryStart > 1024, state.expiryStart * 2 > state.expiry.count {
            state.expiry.removeFirst(state.expiryStart)
            state.expiryStart = 0
        }
    }

    /// A canonical form of a request: the same parameters in another order are the same request.
    static func fingerprint(method: String, path: String, body: [UInt8]) -> String {
        let pairs = String(decoding: body, as: UTF8.self).split(separator: "&").sorted()
        return "\(method) \(path)?\(pairs.joined(separator: "&"))"
    }
}
