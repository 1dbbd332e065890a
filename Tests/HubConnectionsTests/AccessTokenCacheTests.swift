import Foundation
import Testing

@testable import HubConnections

/// Tokens from oauth-service are kept until a margin before their expiry, only for the credential
/// version they were asked for, forgotten after a provider's refusal, and never more than the bound.
struct AccessTokenCacheTests {
    let connection = UUID()
    let now = Date()

    @Test func aTokenIsHandedOutUntilTheMarginBeforeItsExpiry() {
        let cache = AccessTokenCache(margin: .seconds(60))
        cache.store("a", expiresAt: now.addingTimeInterval(3600), connection: connection, credentialVersion: 4, now: now)
        #expect(cache.token(connection: connection, credentialVersion: 4, now: now) == "a")
        #expect(cache.token(connection: connection, credentialVersion: 4, now: now.addingTimeInterval(3530)) == "a")
        #expect(cache.token(connection: connection, credentialVersion: 4, now: now.addingTimeInterval(3541)) == nil)
        // A token already inside the margin is not kept at all.
        cache.store("b", expiresAt: now.addingTimeInterval(30), connection: connection, credentialVersion: 4, now: now)
        #expect(cache.count == 0)
    }

    @Test func replacedCredentialsNeverGetAnOldToken() {
        let cache = AccessTokenCache()
        cache.store("a", expiresAt: now.addingTimeInterval(3600), connection: connection, credentialVersion: 4, now: now)
        #expect(cache.token(connection: connection, credentialVersion: 5, now: now) == nil)
    }

    @Test func aRefusalForgetsEveryTokenOfTheConnection() {
        let cache = AccessTokenCache()
        let other = UUID()
        cache.store("a", expiresAt: nil, connection: connection, credentialVersion: 4, now: now)
        cache.store("b", expiresAt: nil, connection: other, credentialVersion: 1, now: now)
        cache.drop(connection: connection)
        #expect(cache.token(connection: connection, credentialVersion: 4, now: now) == nil)
        #expect(cache.token(connection: other, credentialVersion: 1, now: now) == "b")
    }

    @Test func theCacheIsBoundedAndLetsTheSoonestToExpireGoFirst() {
        let cache = AccessTokenCache(capacity: 3)
        let ids = (0..<5).map { _ in UUID() }
        for (index, id) in ids.enumerated() {
            cache.store("t\(index)", expiresAt: now.addingTimeInterval(Double(3600 - index * 10)), connection: id, credentialVersion: 1, now: now)
        }
        #expect(cache.count == 3)
        #expect(cache.token(connection: ids[4], credentialVersion: 1, now: now) == "t4", "the newest is kept")
        #expect(cache.token(connection: ids[0], credentialVersion: 1, now: now) == "t0", "the one expiring last is kept")
    }
}
