import Foundation
import HubCore
import JWTKit

/// Plaid's webhook signing keys by key id, fetched on first sight of a `kid` and kept. A key
/// Plaid reports as expired is kept (to refuse its signatures without asking again); when a new
/// `kid` appears, the unexpired cached keys are fetched again too, since a rotation may have
/// expired them. Unknown ids that Plaid refused are not asked again for a minute, so forged
/// headers cannot make the hub hammer Plaid.
actor PlaidVerificationKeyCache {
    /// A key as `/webhook_verification_key/get` returns it.
    struct Key: Sendable {
        var keys: JWTKeyCollection
        var expiredAt: Int?
    }

    typealias Fetch = @Sendable (String) async throws(ConnectorError) -> JSONValue

    private let fetch: Fetch
    private var keys: [String: Key] = [:]
    private var refused: [String: Date] = [:]
    static let refusalMemory: TimeInterval = 60

    init(fetch: @escaping Fetch) {
        self.fetch = fetch
    }

    /// The key for `kid`, or nil when Plaid does not know it.
    func key(_ kid: String, now: Date) async -> Key? {
        if let key = keys[kid] { return key }
        if let refusedAt = refused[kid], now.timeIntervalSince(refusedAt) < Self.refusalMemory { return nil }
        for (cached, key) in keys where key.expiredAt == nil {
            if let fresh = await load(cached) { keys[cached] = fresh }
        }
        guard let key = await load(kid) else {
            if refused.count > 1000 { refused.removeAll() }
            refused[kid] = now
            return nil
        }
        keys[kid] = key
        return key
    }

    private func load(_ kid: String) async -> Key? {
        guard let json = try? await fetch(kid), let data = try? JSONEncoder().encode(json),
            let jwk = try? JSONDecoder().decode(JWK.self, from: data), jwk.keyIdentifier?.string == kid
        else { return nil }
        let collection = JWTKeyCollection()
        guard (try? await collection.add(jwk: jwk)) != nil else { return nil }
        var expiredAt: Int?
        if case .object(let fields) = json, case .number(let value)? = fields["expired_at"] { expiredAt = Int(exactly: value) }
        return Key(keys: collection, expiredAt: expiredAt)
    }
}
