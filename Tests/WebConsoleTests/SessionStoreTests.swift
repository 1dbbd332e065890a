import Foundation
import HubCore
import Testing

@testable import WebConsole

/// Sessions live in Redis under a hash of the cookie and never outlive their token.
@Suite struct SessionStoreTests {
    @Test func aSessionIsFoundByItsCookieUntilClosed() async throws {
        let console = try await ConsoleTestApp.make()
        let store = console.console.sessions
        let identity = Identity(organizationID: UUID(), subject: "alice")
        let (id, session) = try await store.open(identity: identity, token: "tok", tokenExpiresAt: nil)
        #expect(try await store.find(id) == session)
        #expect(session.csrfToken.count >= 43)
        #expect(try await store.find(id + "x") == nil)
        try await store.close(id)
        #expect(try await store.find(id) == nil)
    }

    @Test func aSessionEndsWithItsToken() async throws {
        let console = try await ConsoleTestApp.make()
        let store = console.console.sessions
        let identity = Identity(organizationID: UUID(), subject: "bob")
        let expiry = Date().addingTimeInterval(30)
        let (_, session) = try await store.open(identity: identity, token: "tok", tokenExpiresAt: expiry)
        #expect(session.expiresAt <= expiry)
        await #expect(throws: APIError.self) {
            try await store.open(identity: identity, token: "tok", tokenExpiresAt: Date().addingTimeInterval(-5))
        }
    }

    @Test func theTokensExpiryIsReadFromItsClaims() async throws {
        let console = try await ConsoleTestApp.make()
        let token = try await console.hub.token(expiresIn: 120)
        let expiry = try #require(SignInRoutes.expiry(of: token))
        #expect(abs(expiry.timeIntervalSinceNow - 120) < 5)
    }
}
