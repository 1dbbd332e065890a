import Synchronization

/// Every emulated company, behind one lock, created on first use: a realm the OAuth server
/// issued a token for, or one a test made through the admin API (with its own volumes). Requests
/// work on a company in short synchronous critical sections.
final class QuickBooksStore: Sendable {
    /// The realm and token every sandbox starts with.
    static let seededRealm = "9130350000000000"
    static let seededToken = "qbo_sandbox_token"

    private struct State {
        var companies: [String: QuickBooksCompany] = [:]
        /// Tokens the admin API issued, by value: their realm.
        var tokens: [String: String] = [QuickBooksStore.seededToken: QuickBooksStore.seededRealm]
    }

    private let state = Mutex(State())
    let seed: UInt64
    let volume: Int

    init(seed: UInt64, volume: Int) {
        self.seed = seed
        self.volume = volume
    }

    func realm(ofToken token: String) -> String? {
        state.withLock { $0.tokens[token] }
    }

    /// Replaces (or makes) a company with its own volumes per entity, and issues a token for it.
    func reset(realm: String, volumes: [QuickBooksEntity: Int], token: String) {
        state.withLock { state in
            state.companies[realm] = QuickBooksCompany(realm: realm, seed: QuickBooksSeed(seed: seed, volume: volume, overrides: volumes))
            state.tokens[token] = realm
        }
    }

    func withCompany<Result: Sendable>(
        _ realm: String,
        _ body: (inout QuickBooksCompany) throws(QuickBooksFault) -> Result
    )
        throws(QuickBooksFault) -> Result
    {
        try state.withLock { (state: inout State) throws(QuickBooksFault) -> Result in
            // Taken out while `body` runs, so its collections are mutated in place, not copied.
            var company =
                state.companies.removeValue(forKey: realm) ?? QuickBooksCompany(realm: realm, seed: QuickBooksSeed(seed: seed, volume: volume))
            defer { state.companies[realm] = company }
            return try body(&company)
        }
    }
}
