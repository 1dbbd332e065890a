import Foundation
import HTTPTypes
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebConsole

/// The link `scripts/up` prints: made by a service-to-service call, good for one sign-in.
@Suite struct SignInLinkTests {
    @Test func aLinkSignsInOnceAndThenIsGone() async throws {
        let console = try await ConsoleTestApp.make()
        let token = try await console.hub.token()
        try await console.app.test(.router) { client in
            let created = try await client.execute(
                uri: "/internal/sign-in-links",
                method: .post,
                headers: [.authorization: "Bearer \(console.hub.internalToken)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"token": "\#(token)"}"#)
            )
            #expect(created.status == .created)
            let link = try JSONDecoder().decode([String: JSONValue].self, from: Data(buffer: created.body))
            let path = try #require(link["path"]?.stringValue)
            #expect(path.hasPrefix("/sign-in/link/"))

            // Opening the link only asks; a prefetch cannot spend it.
            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok)
            #expect(try await client.execute(uri: path, method: .get).status == .ok)

            let first = try await client.execute(uri: path, method: .post)
            #expect(first.status == .seeOther)
            #expect(ConsoleTestApp.sessionCookie(first.headers[.setCookie]) != nil)

            let second = try await client.execute(uri: path, method: .post)
            #expect(second.status == .gone)
            #expect(second.headers[.setCookie] == nil)
            #expect(try await client.execute(uri: path, method: .get).status == .gone)
        }
    }

    @Test func onlyTheServiceCredentialMakesLinksAndOnlyForValidTokens() async throws {
        let console = try await ConsoleTestApp.make()
        let token = try await console.hub.token()
        try await console.app.test(.router) { client in
            let anonymous = try await client.execute(
                uri: "/internal/sign-in-links",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"token": "\#(token)"}"#)
            )
            #expect(anonymous.status == .unauthorized)
            let invalid = try await client.execute(
                uri: "/internal/sign-in-links",
                method: .post,
                headers: [.authorization: "Bearer \(console.hub.internalToken)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"token": "nonsense"}"#)
            )
            #expect(invalid.status == .unauthorized)
        }
    }

    @Test func theStoreRedeemsALinkExactlyOnce() async throws {
        let console = try await ConsoleTestApp.make()
        let links = console.console.links
        let id = try await links.issue(token: "t0ken")
        #expect(try await links.isLive(id))
        #expect(try await links.redeem(id) == "t0ken")
        #expect(try await links.redeem(id) == nil)
        #expect(try await links.redeem("unknown") == nil)
    }
}
