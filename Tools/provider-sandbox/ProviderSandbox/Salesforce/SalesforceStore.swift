import Synchronization

/// Every emulated org behind one lock, created on first use: the seeded org, an org the OAuth
/// server issued a token for, or one a test made through the admin API (with its own volume).
/// Also the daily API allowance every org is held to. Requests work in short synchronous
/// critical sections, never awaiting inside.
final class SalesforceStore: Sendable {
    private struct State {
        var orgs: [String: SalesforceOrg] = [:]
        /// Tokens the data API accepts besides the OAuth server's, by value: their org.
        var tokens: [String: String] = [SalesforceProvider.seededToken: SalesforceProvider.seededOrgID]
        var volumes: [String: Int] = [:]
        var orgCount = 1
        var dailyLimit = SalesforceStore.defaultDailyLimit
    }

    /// An Enterprise org's allowance is 100,000 a day and more; the sandbox's is generous.
    static let defaultDailyLimit = 5_000_000

    private let state = Mutex(State())
    let volume: Int

    init(volume: Int) {
        self.volume = volume
    }

    func org(ofToken token: String) -> String? {
        state.withLock { $0.tokens[token] }
    }

    /// A new org of `volume` records per object and a token that reaches it.
    func makeOrg(volume: Int?) -> (org: String, token: String) {
        state.withLock { state in
            state.orgCount += 1
            let org = SalesforceID.make("00D", state.orgCount)
            let token = "\(org)!AQsandbox\(state.orgCount)"
            state.tokens[token] = org
            state.volumes[org] = volume
            state.orgs[org] = nil
            return (org, token)
        }
    }

    var dailyLimit: Int { state.withLock { $0.dailyLimit } }

    /// Sets the allowance and starts a new day for every org.
    func setDailyLimit(_ limit: Int) {
        state.withLock { state in
            state.dailyLimit = limit
            for key in state.orgs.keys { state.orgs[key]?.apiUsage = 0 }
        }
    }

    /// Counts one call against the org's allowance: the usage after it and the limit, or nil
    /// (and the usage as it stands) when the allowance is used up.
    func admit(_ org: String) -> (admitted: Bool, used: Int, limit: Int) {
        state.withLock { state in
            let limit = state.dailyLimit
            var record = state.orgs.removeValue(forKey: org) ?? SalesforceOrg(id: org, volume: state.volumes[org] ?? volume)
            defer { state.orgs[org] = record }
            guard record.apiUsage < limit else { return (false, record.apiUsage, limit) }
            record.apiUsage += 1
            return (true, record.apiUsage, limit)
        }
    }

    func withOrg<Result: Sendable>(
        _ org: String,
        _ body: (inout SalesforceOrg) throws(SalesforceAPIError) -> Result
    ) throws(SalesforceAPIError) -> Result {
        try state.withLock { (state: inout State) throws(SalesforceAPIError) -> Result in
            // Taken out while `body` runs, so its tables are mutated in place, not copied.
            var record = state.orgs.removeValue(forKey: org) ?? SalesforceOrg(id: org, volume: state.volumes[org] ?? volume)
            defer { state.orgs[org] = record }
            return try body(&record)
        }
    }

    /// Forgets every org's changes (they are seeded again when next called) and the limit.
    func reset() {
        state.withLock { state in
            state.orgs = [:]
            state.dailyLimit = Self.defaultDailyLimit
        }
    }
}
