import Foundation
import Synchronization

/// Every linked Item of the sandbox, by id and by access token, and the public tokens waiting to
/// be exchanged. Calls run in short synchronous critical sections under one lock.
final class PlaidStore: Sendable {
    private struct State {
        var items: [String: PlaidItem] = [:]
        var itemsByToken: [String: String] = [:]
        var removedTokens: Set<String> = []
        var publicTokens: [String: (institutionID: String, webhook: String?)] = [:]
        /// Link tokens issued by `/link/token/create`, with the webhook their Items get.
        var linkTokens: [String: String?] = [:]
        var linked = 0
    }

    private let state = Mutex(State())
    let seeder: PlaidSeeder

    init(seed: UInt64, volume: Int) {
        seeder = PlaidSeeder(seed: seed, volume: volume)
    }

    func createLinkToken(webhook: String?) -> String {
        let token = "link-sandbox-\(UUID().uuidString.lowercased())"
        state.withLock { $0.linkTokens[token] = .some(webhook) }
        return token
    }

    /// The webhook of a link token the sandbox issued; nil when it issued no such token.
    func linkTokenWebhook(_ token: String) -> String?? {
        state.withLock { $0.linkTokens[token] }
    }

    func createPublicToken(institutionID: String, webhook: String?) -> String {
        let token = "public-sandbox-\(UUID().uuidString.lowercased())"
        state.withLock { $0.publicTokens[token] = (institutionID, webhook) }
        return token
    }

    /// Exchanges a public token (once) for a new Item with seeded accounts and transactions.
    func exchange(_ publicToken: String) throws(PlaidAPIError) -> (accessToken: String, itemID: String, webhook: String?) {
        try state.withLock { (state: inout State) throws(PlaidAPIError) -> (String, String, String?) in
            guard let pending = state.publicTokens.removeValue(forKey: publicToken) else { throw .invalidPublicToken }
            state.linked += 1
            let item = seeder.item(number: state.linked, institutionID: pending.institutionID, webhook: pending.webhook)
            state.items[item.id] = item
            state.itemsByToken[item.accessToken] = item.id
            return (item.accessToken, item.id, item.webhook)
        }
    }

    /// Runs `body` on the Item of `accessToken`. Unless `allowingItemError`, an Item in an error
    /// state answers with that error, as Plaid does for data calls.
    func withItem<Result: Sendable>(
        token accessToken: String?,
        allowingItemError: Bool = false,
        _ body: (inout PlaidItem) throws(PlaidAPIError) -> Result
    ) throws(PlaidAPIError) -> Result {
        guard let accessToken, !accessToken.isEmpty else { throw .missingFields(["access_token"]) }
        return try state.withLock { (state: inout State) throws(PlaidAPIError) -> Result in
            guard let itemID = state.itemsByToken[accessToken] else {
                throw state.removedTokens.contains(accessToken) ? .itemNotFound : .invalidAccessToken
            }
            return try Self.mutate(&state.items, itemID, allowingItemError: allowingItemError, body)
        }
    }

    /// Runs `body` on the Item with id `itemID` (admin changes), whatever its error state.
    func withItem<Result: Sendable>(id itemID: String, _ body: (inout PlaidItem) throws(PlaidAPIError) -> Result) throws(PlaidAPIError) -> Result {
        try state.withLock { (state: inout State) throws(PlaidAPIError) -> Result in
            guard state.items[itemID] != nil else { throw .itemNotFound }
            return try Self.mutate(&state.items, itemID, allowingItemError: true, body)
        }
    }

    /// `/item/remove`: the access token stops working.
    func remove(token accessToken: String) throws(PlaidAPIError) {
        try state.withLock { (state: inout State) throws(PlaidAPIError) in
            guard let itemID = state.itemsByToken.removeValue(forKey: accessToken) else {
                throw state.removedTokens.contains(accessToken) ? .itemNotFound : .invalidAccessToken
            }
            state.items[itemID] = nil
            state.removedTokens.insert(accessToken)
        }
    }

    /// Ids and access tokens of every Item, for tests and tools.
    func summaries() -> [(itemID: String, accessToken: String)] {
        state.withLock { $0.items.values.map { ($0.id, $0.accessToken) }.sorted { $0.itemID < $1.itemID } }
    }

    /// Moves the Item out of the dictionary while `body` runs, so the Item's arrays are mutated
    /// in place instead of copied.
    private static func mutate<Result>(
        _ items: inout [String: PlaidItem],
        _ itemID: String,
        allowingItemError: Bool,
        _ body: (inout PlaidItem) throws(PlaidAPIError) -> Result
    ) throws(PlaidAPIError) -> Result {
        guard var item = items.removeValue(forKey: itemID) else { throw .itemNotFound }
        defer { items[itemID] = item }
        if !allowingItemError, let error = item.error { throw error }
        return try body(&item)
    }
}
