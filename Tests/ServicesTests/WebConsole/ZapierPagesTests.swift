import Foundation
import HTTPTypes
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebConsole

/// The console's Zapier page against webhook-service's real key API (on a port, as the console
/// reaches it in production): a new key is shown once in the answer to its form and never again,
/// the list shows only its prefix and last four, revoking marks it revoked and Zapier is refused
/// at once, and an API refusal is shown beside the form.
@Suite(.serialized)
struct ZapierPagesTests {
    static let origin = "http://127.0.0.1:8080"

    /// A whole key's text in a page, if one is there.
    static func fullKey(in html: String) -> String? {
        html.firstMatch(of: /hzk_[0-9a-f]{64}/).map { String($0.output) }
    }

    /// A signed-in browser of one organization on the console, which calls the harness's
    /// webhook-service (the same JWT secret, as every service of one deployment shares).
    struct Browser: Sendable {
        let client: any TestClientProtocol
        let cookie: String
        var csrf = ""

        func get(_ uri: String) async throws -> (status: HTTPResponse.Status, html: String, headers: HTTPFields) {
            let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: "\(Console.cookieName)=\(cookie)"])
            return (response.status, String(buffer: response.body), response.headers)
        }

        func post(_ uri: String, _ fields: [String: String]) async throws -> (status: HTTPResponse.Status, html: String, headers: HTTPFields) {
            let response = try await client.execute(
                uri: uri,
                method: .post,
                headers: [
                    .cookie: "\(Console.cookieName)=\(cookie)", .contentType: "application/x-www-form-urlencoded",
                    HTTPField.Name("Origin")!: ZapierPagesTests.origin,
                ],
                body: ByteBuffer(string: fields.map { "\($0.key)=\(urlComponent($0.value))" }.joined(separator: "&"))
            )
            return (response.status, String(buffer: response.body), response.headers)
        }
    }

    static func withConsole(_ harness: WebhookHarness, token: String, _ body: @Sendable (Browser) async throws -> Void) async throws {
        let port = try #require(harness.client.port)
        let hub = try await TestHub.make(
            service: .console,
            environment: [
                "HUB_UI_ORIGIN": origin, "HUB_JWT_HS256_SECRET": harness.hub.hs256Secret, "HUB_SERVICE_URL_WEBHOOK": "http://127.0.0.1:\(port)",
            ]
        )
        let console = try await WebConsole.makeConsole(dependencies: hub.dependencies)
        let router = try HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: try WebConsole.openAPI()) {
            try WebConsole.addRoutes(to: $0, console: console)
        }
        try await Application(router: router).test(.router) { client in
            let signIn = try await client.execute(
                uri: "/sign-in",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Origin")!: origin],
                body: ByteBuffer(string: "token=" + token)
            )
            let setCookie = try #require(signIn.headers[.setCookie])
            let cookie = String(setCookie.dropFirst(Console.cookieName.count + 1).prefix { $0 != ";" })
            var browser = Browser(client: client, cookie: cookie)
            browser.csrf = try #require(try await console.sessions.find(cookie)).csrfToken
            try await body(browser)
        }
    }

    @Test func aKeyIsShownOnceListedMaskedAndRevoked() async throws {
        try await WebhookHarness.run(testing: .live) { harness in
            let token = try await harness.hub.token(organization: UUID())
            try await Self.withConsole(harness, token: token) { browser in
                // No key yet: the page says what a key is for, and the navigation leads here.
                let empty = try await browser.get("/integrations/zapier")
                #expect(empty.status == .ok)
                #expect(empty.html.contains("No API keys yet"), "\(empty.html)")
                #expect(empty.html.contains("docs/zapier.md"))
                #expect(empty.html.contains(#"<a href="/integrations/zapier" aria-current="page">Zapier</a>"#))

                // Created: the key is in the answer to the form, with the note, and not cached.
                let created = try await browser.post(
                    "/integrations/zapier",
                    ["_csrf": browser.csrf, "organization_name": "Acme Books Ltd", "name": "Zapier production"]
                )
                #expect(created.status == .ok, "\(created.html)")
                let key = try #require(Self.fullKey(in: created.html))
                #expect(created.html.contains("Copy it now: it will not be shown again."))
                #expect(created.headers[.cacheControl] == "no-store")
                let me = try await ZapierRoutesTests.zapier(harness, .get, "/api/v1/integrations/zapier/me", key: key)
                #expect(me.status == .ok, "the key shown is the one the API made: \(me.text)")

                // Listed: name, prefix…last four, active; the key itself nowhere, not even its random part.
                let list = try await browser.get("/integrations/zapier")
                #expect(Self.fullKey(in: list.html) == nil)
                #expect(!list.html.contains(String(key.dropFirst(4).prefix(16))))
                #expect(list.html.contains("<code>\(key.prefix(8))…\(key.suffix(4))</code>"), "\(list.html)")
                #expect(list.html.contains("Zapier production"))
                #expect(list.html.contains("Active"))
                #expect(!list.html.contains("No API keys yet"))
                let id = try #require(try await harness.request(.get, ZapierRoutesTests.keys, token: token).data.first?["id"] as? String)
                #expect(list.html.contains(#"action="/integrations/zapier/\#(id)/revoke""#))

                // Without the session's CSRF token, nothing is revoked.
                #expect(try await browser.post("/integrations/zapier/\(id)/revoke", [:]).status == .forbidden)

                // Revoked: the list marks it, no Revoke button is left, and Zapier is refused at once.
                let revoke = try await browser.post("/integrations/zapier/\(id)/revoke", ["_csrf": browser.csrf])
                #expect(revoke.status == .seeOther)
                #expect(revoke.headers[.location] == "/integrations/zapier?notice=revoked")
                let after = try await browser.get("/integrations/zapier?notice=revoked")
                #expect(after.html.contains("Key revoked"))
                #expect(after.html.contains("Revoked</span>"), "\(after.html)")
                #expect(!after.html.contains("/revoke\""))
                #expect(try await ZapierRoutesTests.zapier(harness, .get, "/api/v1/integrations/zapier/me", key: key).status == .unauthorized)

                // Revoking it again: the API's 404 is shown on the page, not an error page.
                let again = try await browser.post("/integrations/zapier/\(id)/revoke", ["_csrf": browser.csrf])
                #expect(again.status == .unprocessableContent)
                #expect(again.html.contains("The key was not revoked"), "\(again.html)")
            }
        }
    }

    @Test func anAPIRefusalIsShownBesideTheFormWithWhatWasEntered() async throws {
        try await WebhookHarness.run(testing: .live) { harness in
            let token = try await harness.hub.token(organization: UUID())
            try await Self.withConsole(harness, token: token) { browser in
                let refused = try await browser.post("/integrations/zapier", ["_csrf": browser.csrf, "organization_name": " ", "name": "Kept name"])
                #expect(refused.status == .unprocessableContent)
                #expect(refused.html.contains("The key was not created"))
                #expect(refused.html.contains("must be 1 to 200 characters"), "the API's own message: \(refused.html)")
                #expect(refused.html.contains(##"href="#organization_name""##), "the summary links the field the API named")
                #expect(refused.html.contains(#"value="Kept name""#))
                #expect(Self.fullKey(in: refused.html) == nil)
                #expect(try await harness.request(.get, ZapierRoutesTests.keys, token: token).data.isEmpty)
            }
        }
    }
}
