import Foundation
import HTTPTypes
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebConsole

/// Signing in opens a server-side session behind an opaque `__Host-` cookie; signing out ends it.
@Suite struct SignInTests {
    @Test func signedOutVisitorsAreSentToSignIn() async throws {
        let console = try await ConsoleTestApp.make()
        try await console.app.test(.router) { client in
            let response = try await client.execute(uri: "/integrations", method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/sign-in")
        }
    }

    @Test func aValidTokenOpensASessionBehindAHostOnlyHttpOnlySecureCookie() async throws {
        let console = try await ConsoleTestApp.make()
        let token = try await console.hub.token()
        try await console.app.test(.router) { client in
            let response = try await client.execute(
                uri: "/sign-in",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Origin")!: ConsoleTestApp.origin],
                body: ByteBuffer(string: "token=" + token)
            )
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/integrations")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.hasPrefix("__Host-hub_session="))
            for attribute in ["Path=/", "HttpOnly", "Secure", "SameSite=Lax"] {
                #expect(cookie.contains(attribute), "\(attribute) missing from \(cookie)")
            }
            #expect(!cookie.contains(token), "the token itself must never reach the browser")
            let id = try #require(ConsoleTestApp.sessionCookie(cookie))
            let session = try #require(try await console.console.sessions.find(id))
            #expect(session.token == token)
        }
    }

    @Test func aFormLargerThanAnyTheConsoleHasGetsA413PageNotA500() async throws {
        let console = try await ConsoleTestApp.make()
        try await console.app.test(.router) { client in
            let response = try await client.execute(
                uri: "/sign-in",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Origin")!: ConsoleTestApp.origin],
                body: ByteBuffer(string: "token=" + String(repeating: "a", count: 300 * 1024))
            )
            #expect(response.status == .contentTooLarge)
            #expect(String(buffer: response.body).contains("Too much to send"))
            #expect(response.headers[.setCookie] == nil)
        }
    }

    @Test func aBadTokenIsRefusedOnTheFormWithoutASession() async throws {
        let console = try await ConsoleTestApp.make()
        try await console.app.test(.router) { client in
            let response = try await client.execute(
                uri: "/sign-in",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=not-a-jwt")
            )
            #expect(response.status == .unauthorized)
            #expect(response.headers[.setCookie] == nil)
            #expect(String(buffer: response.body).contains("That token was not accepted"))
        }
    }

    @Test func signOutNeedsTheCSRFTokenAndEndsTheSessionServerSide() async throws {
        let console = try await ConsoleTestApp.make()
        try await console.app.test(.router) { client in
            let id = try #require(try await console.signIn(client))
            let session = try #require(try await console.console.sessions.find(id))
            let cookie = "\(Console.cookieName)=\(id)"

            let forged = try await client.execute(
                uri: "/sign-out",
                method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ConsoleTestApp.form(["_csrf": "guessed"])
            )
            #expect(forged.status == .forbidden)
            #expect(try await console.console.sessions.find(id) != nil)

            let real = try await client.execute(
                uri: "/sign-out",
                method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ConsoleTestApp.form(["_csrf": session.csrfToken])
            )
            #expect(real.status == .seeOther)
            #expect(real.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await console.console.sessions.find(id) == nil)
        }
    }

    @Test func unsafeRequestsFromAnotherSiteAreRefused() async throws {
        let console = try await ConsoleTestApp.make()
        let token = try await console.hub.token()
        try await console.app.test(.router) { client in
            for headers: HTTPFields in [
                [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"],
                [HTTPField.Name("Sec-Fetch-Site")!: "same-site"],
                [HTTPField.Name("Origin")!: "https://evil.example"],
            ] {
                var all = headers
                all[.contentType] = "application/x-www-form-urlencoded"
                let response = try await client.execute(uri: "/sign-in", method: .post, headers: all, body: ByteBuffer(string: "token=" + token))
                #expect(response.status == .forbidden, "\(headers)")
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    @Test func pagesCarryTheStrictContentSecurityPolicy() async throws {
        let console = try await ConsoleTestApp.make()
        try await console.app.test(.router) { client in
            let response = try await client.execute(uri: "/sign-in", method: .get)
            #expect(response.status == .ok)
            let policy = try #require(response.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(policy.contains("script-src 'self'"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(!policy.contains("unsafe-inline"))
            #expect(!String(buffer: response.body).contains("<script>"), "no inline script")
        }
    }

    @Test func anUnknownPageIsAnHTMLPageButAnUnknownAPIPathStaysJSON() async throws {
        let console = try await ConsoleTestApp.make()
        try await console.app.test(.router) { client in
            let page = try await client.execute(uri: "/no/such/page", method: .get)
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!] != nil)
            let api = try await client.execute(uri: "/api/v1/nothing", method: .get)
            #expect(api.status == .notFound || api.status == .unauthorized)
            #expect(api.headers[.contentType]?.hasPrefix("application/json") == true)
            let css = try await client.execute(uri: "/static/console.css", method: .get)
            #expect(css.status == .ok)
        }
    }
}
